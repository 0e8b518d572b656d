// Data settings: the source (with a preview of a csv/jsonl file's first rows, read by the
// host), preprocessing steps in order, and the train/validation/test split.
import type { DataPreview } from '../../src/core/designerProtocol';
import { Button } from '../ui';
import { problemsAt, useDesigner } from './context';
import { ObjectFields, ProblemText } from './fields';
import { isObject } from './model';
import { setValue } from './operations';
import { PREPROCESS, SOURCE, SPLIT } from './schemas';
import { VariantFields } from './VariantFields';

export function DataPanel(p: { preview?: DataPreview; requestPreview(path: string): void }) {
  const d = useDesigner();
  const data = isObject(d.model.doc.data) ? d.model.doc.data : {};
  const source = isObject(data.source) ? data.source : undefined;
  const steps = Array.isArray(data.preprocess) ? data.preprocess : [];
  const file = source && (source.type === 'csv' || source.type === 'jsonl') && typeof source.path === 'string' ? source.path : undefined;
  return (
    <div className="panel-section">
      <ProblemText problems={problemsAt(d.model.problems, ['data'], true)} />
      <h3>Source</h3>
      <VariantFields union={SOURCE} value={data.source} path={['data', 'source']} label="Source" starters="source" />
      {file !== undefined && (
        <div className="preview-block">
          <Button appearance="secondary" onClick={() => p.requestPreview(file)}>Preview first rows</Button>
          {p.preview && p.preview.path === file && <PreviewTable preview={p.preview} />}
        </div>
      )}
      <h3>Preprocessing</h3>
      {steps.length === 0 && <p className="muted">No preprocessing: features are used as they are.</p>}
      {steps.map((step, i) => (
        <div key={i} className="step-card">
          <VariantFields union={PREPROCESS} value={step} path={['data', 'preprocess', i]} label={`Step ${i + 1}`} starters="preprocess" />
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

function PreviewTable({ preview }: { preview: DataPreview }) {
  if (!preview.ok) return <p className="muted">{preview.message}</p>;
  return (
    <div className="preview-table" role="region" aria-label={`First rows of ${preview.path}`} tabIndex={0}>
      <table>
        <thead><tr>{preview.columns.map((c, i) => <th key={i} scope="col">{c}</th>)}</tr></thead>
        <tbody>{preview.rows.map((r, i) => <tr key={i}>{r.map((v, j) => <td key={j}>{v}</td>)}</tr>)}</tbody>
      </table>
      {preview.truncated && <p className="muted">First {preview.rows.length} rows.</p>}
    </div>
  );
}
