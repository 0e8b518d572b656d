// Data settings: the source (with "Preview data": what the trainer's loaders make of it),
// preprocessing steps in order, and the train/validation/test split.
import { Button } from '../ui';
import { problemsAt, useDesigner } from './context';
import { DataPreviewSection, type PreviewProps } from './DataPreviewView';
import { ObjectFields, ProblemText } from './fields';
import { isObject } from './model';
import { setValue } from './operations';
import { PREPROCESS_TITLES, SOURCE_TITLES } from '../../src/core/experimentSchema';
import { PREPROCESS, SOURCE, SPLIT, titled } from './schemas';
import { VariantFields } from './VariantFields';

export function DataPanel(p: { preview: PreviewProps }) {
  const d = useDesigner();
  const data = isObject(d.model.doc.data) ? d.model.doc.data : {};
  const steps = Array.isArray(data.preprocess) ? data.preprocess : [];
  return (
    <div className="panel-section">
      <ProblemText problems={problemsAt(d.model.problems, ['data'], true)} />
      <h3>Source</h3>
      <VariantFields union={SOURCE} value={data.source} path={['data', 'source']} label="Source" starters="source" optionLabel={titled(SOURCE_TITLES)} />
      <DataPreviewSection {...p.preview} />
      <h3>Preprocessing</h3>
      {steps.length === 0 && <p className="muted">No preprocessing: features are used as they are.</p>}
      {steps.map((step, i) => (
        <div key={i} className="step-card">
          <VariantFields union={PREPROCESS} value={step} path={['data', 'preprocess', i]} label={`Step ${i + 1}`} starters="preprocess" optionLabel={titled(PREPROCESS_TITLES)} />
          <Button appearance="secondary" disabled={d.readOnly} aria-label={`Remove step ${i + 1}`}
            onClick={() => d.edit({ label: `Remove preprocessing step ${i + 1}`, ops: [{ op: 'remove', path: ['data', 'preprocess', i] }] })}>Remove step</Button>
        </div>
      ))}
      <div className="actions">
        <Button appearance="secondary" disabled={d.readOnly}
          onClick={() => d.edit(Array.isArray(data.preprocess)
            ? { label: 'Add preprocessing step', ops: [{ op: 'insert', path: ['data', 'preprocess', steps.length], value: { op: 'zscore' } }] }
            : setValue(['data', 'preprocess'], [{ op: 'zscore' }], 'Add preprocessing step'))}>Add step</Button>
      </div>
      <h3>Split</h3>
      <div className="field-grid">
        <ObjectFields schema={SPLIT} value={data.split} path={['data', 'split']} />
      </div>
    </div>
  );
}
