// Training settings: optimizer, learning-rate schedule (with its curve), epochs, batch size,
// task weighting, regularisation, early stopping, baselines, how train metrics are measured, repeats and cross-validation, and
// the experiment's name.
import { DEFAULT_DELTA_M } from '../../src/core/deltaM';
import { optimizerWithDefaults, scheduleWithDefaults } from '../../src/core/defaults';
import { OPTIMIZER_TITLES, SCHEDULE_TITLES } from '../../src/core/experimentSchema';
import { DEFAULT_TRAIN_METRICS, type OptimizerSpec, type ScheduleSpec } from '../../src/core/spec';
import { gradientMode, weightingMethod } from '../../src/core/weighting/registry';
import { Checkbox } from '../ui';
import { problemsAt, useDesigner } from './context';
import { FieldShell, ObjectFields, ProblemText, SchemaField } from './fields';
import { LrPreview } from './LrPreview';
import { isObject } from './model';
import { setValue } from './operations';
import { CROSS_VALIDATION, DESCRIPTION, EARLY_STOPPING, EVALUATION, NAME, OPTIMIZER, SCHEDULE, titled, TRAINING, WEIGHTING } from './schemas';
import { useVariantChange, VariantFields } from './VariantFields';
import { WeightingGuide } from './WeightingGuide';

/** Defaults of a tagged setting, when it is well-formed enough to compute them. */
function safely<T>(f: () => T): T | undefined {
  try { return f(); } catch { return undefined; }
}

/**
 * A weighting method as the picker names it: its title ("PCGrad"), with its id when the id is
 * not the title in other letters ("IMTL-G · imtlg"), so the JSON's value can still be read off.
 */
export function weightingOptionLabel(id: string): string {
  const title = weightingMethod(id)?.description.title;
  if (!title) return id;
  return title.toLowerCase() === id ? title : `${title} · ${id}`;
}

/** The chosen method's settings as the run fills them in (its defaults, a gradient method's mode), for the fields' placeholders. */
function weightingDefaults(weighting: unknown): Record<string, unknown> | undefined {
  const method = isObject(weighting) && typeof weighting.method === 'string' ? weightingMethod(weighting.method) : undefined;
  if (!method) return undefined;
  const d = method.description;
  return { ...d.defaults, ...(d.family === 'gradient' ? { mode: gradientMode(undefined) } : {}) };
}

/** The run's settings whose empty field turns something off, said so plainly (the schema's defaults). */
const TRAINING_EMPTY = { l2: 'off (default 0)', clipNorm: 'off (no clipping)' };

export function TrainingPanel() {
  const d = useDesigner();
  const { doc } = d.model;
  const training = isObject(doc.training) ? doc.training : {};
  const optimizer = training.optimizer;
  const schedule = training.schedule;
  const early = training.earlyStopping;
  const cv = isObject(doc.evaluation) ? doc.evaluation.crossValidation : undefined;
  const chooseWeighting = useVariantChange({ union: WEIGHTING, path: ['training', 'weighting'], label: 'Method', optional: { fallback: 'equal' } });
  return (
    <div className="panel-section">
      <ProblemText problems={problemsAt(d.model.problems, ['training'], true)} />
      <h3>Optimizer</h3>
      <VariantFields union={OPTIMIZER} value={optimizer} path={['training', 'optimizer']} label="Optimizer" starters="optimizer" optionLabel={titled(OPTIMIZER_TITLES)}
        defaults={isObject(optimizer) ? safely(() => optimizerWithDefaults(optimizer as unknown as OptimizerSpec) as unknown as Record<string, unknown>) : undefined} />
      <h3>Learning-rate schedule</h3>
      <VariantFields union={SCHEDULE} value={schedule} path={['training', 'schedule']} label="Schedule" starters="schedule" optional={{ fallback: 'constant' }} optionLabel={titled(SCHEDULE_TITLES)}
        defaults={safely(() => scheduleWithDefaults(isObject(schedule) ? schedule as unknown as ScheduleSpec : undefined) as unknown as Record<string, unknown>)} />
      <LrPreview schedule={schedule} learningRate={isObject(optimizer) ? optimizer.learningRate : undefined} epochs={training.epochs} />
      <h3>Run</h3>
      <div className="field-grid">
        <ObjectFields schema={TRAINING} value={training} path={['training']} skip={['optimizer', 'schedule', 'weighting', 'earlyStopping']} empty={TRAINING_EMPTY} />
      </div>
      <h3>Task weighting</h3>
      <VariantFields union={WEIGHTING} value={training.weighting} path={['training', 'weighting']} label="Method" optional={{ fallback: 'equal' }}
        optionLabel={weightingOptionLabel} defaults={weightingDefaults(training.weighting)} />
      <WeightingGuide current={isObject(training.weighting) && typeof training.weighting.method === 'string' ? training.weighting.method : 'equal'}
        disabled={d.readOnly} onChoose={chooseWeighting} />
      <h3>Early stopping</h3>
      <FieldShell label="" path={['training', 'earlyStopping']} problems={problemsAt(d.model.problems, ['training', 'earlyStopping'], true)} help={EARLY_STOPPING.description}>
        <Checkbox checked={isObject(early)} disabled={d.readOnly} onChange={(on) => d.edit(setValue(['training', 'earlyStopping'], on ? { patience: 5 } : undefined, on ? 'Enable early stopping' : 'Disable early stopping'))}>
          Stop when the validation loss stops improving
        </Checkbox>
      </FieldShell>
      {isObject(early) && <ObjectFields schema={EARLY_STOPPING} value={early} path={['training', 'earlyStopping']} defaults={{ monitor: 'loss' }} />}
      <h3>Evaluation</h3>
      <ObjectFields schema={EVALUATION} value={doc.evaluation} path={['evaluation']} skip={['crossValidation']} defaults={{ baselines: 'single-task', deltaM: DEFAULT_DELTA_M, trainMetrics: DEFAULT_TRAIN_METRICS, repeats: 1 }} />
      <FieldShell label="" path={['evaluation', 'crossValidation']} problems={problemsAt(d.model.problems, ['evaluation', 'crossValidation'], true)} help={CROSS_VALIDATION.description}>
        <Checkbox checked={isObject(cv)} disabled={d.readOnly} onChange={(on) => d.edit(on
          // An edit sets no missing parent: without an evaluation object the whole object is set.
          ? setValue(isObject(doc.evaluation) ? ['evaluation', 'crossValidation'] : ['evaluation'], isObject(doc.evaluation) ? { folds: 5 } : { crossValidation: { folds: 5 } }, 'Enable cross-validation')
          : setValue(['evaluation', 'crossValidation'], undefined, 'Disable cross-validation'))}>
          Cross-validate over k stratified folds
        </Checkbox>
      </FieldShell>
      {/* "fold" (one fold alone) is what a study writes into each run's experiment.json: shown only where it is set. */}
      {isObject(cv) && <ObjectFields schema={CROSS_VALIDATION} value={cv} path={['evaluation', 'crossValidation']} skip={cv.fold === undefined ? ['fold'] : []} defaults={{ test: 'fixed' }} />}
      <h3>Experiment</h3>
      <SchemaField name="name" schema={NAME} value={doc.name} path={['name']} required />
      <SchemaField name="description" schema={DESCRIPTION} value={doc.description} path={['description']} required={false} />
    </div>
  );
}
