// Semantic checks of data and training settings that single values cannot show: split
// fractions that leave no training data, schedules that never leave warm-up, settings
// that are silently ignored, and (when the caller knows the data) columns that do not exist.
import { problemList } from './checkHelpers';
import type { JsonPath } from './edits';
import type { ExperimentSpec, Problem } from './spec';
import { didYouMean } from './wording';

export function checkSettings(spec: ExperimentSpec): Problem[] {
  const { problems, error, warning } = problemList();
  const { split } = spec.data;
  const { training } = spec;

  if (split.validation + split.test >= 1) {
    error(['data', 'split'], `validation (${split.validation}) + test (${split.test}) = ${+(split.validation + split.test).toFixed(6)} leaves no training data: keep their sum below 1.`);
  }
  // Nested cross-validation tests on each fold in turn: no test fraction is needed.
  const nested = spec.evaluation?.crossValidation?.test === 'nested';
  if (split.test === 0 && !nested && split.validation + split.test < 1) {
    error(['data', 'split', 'test'], 'data.split.test is 0, so no examples are kept for testing and the run would report no results: set a test fraction such as 0.1.');
  }
  // Cross-validation with a fixed test split validates on each fold in turn.
  const foldsValidate = spec.evaluation?.crossValidation !== undefined && !nested;
  if (training.earlyStopping && split.validation === 0 && !foldsValidate) {
    error(['training', 'earlyStopping'], 'earlyStopping watches the validation loss, but data.split.validation is 0: set a validation fraction or remove earlyStopping.');
  }

  const schedule = training.schedule;
  if (schedule?.warmupEpochs !== undefined && schedule.warmupEpochs >= training.epochs) {
    warning(['training', 'schedule', 'warmupEpochs'], `The warm-up (${schedule.warmupEpochs} epochs) lasts the whole run of ${training.epochs} epochs, so the schedule never starts.`);
  }
  if (schedule && (schedule.type === 'cosine' || schedule.type === 'sgdr') && (schedule.minLearningRate ?? 0) > training.optimizer.learningRate) {
    warning(['training', 'schedule', 'minLearningRate'], `minLearningRate (${schedule.minLearningRate}) is above the learning rate (${training.optimizer.learningRate}): the schedule would raise it.`);
  }

  const method = training.weighting?.method ?? 'equal';
  if (method !== 'static') {
    spec.tasks.forEach((task, i) => {
      if (task.weight !== undefined && task.weight !== 1) {
        warning(['tasks', i, 'weight'], `Task "${task.id}" has weight ${task.weight}, but weights are only used with training.weighting.method "static" (now "${method}").`);
      }
    });
  }

  return problems;
}

/** What the caller knows about the data without loading it (see the trainer's datasetColumns). */
export interface DataFacts {
  /** Feature columns (csv/jsonl headers, generated feature names); images have none. */
  columns?: readonly string[];
  /** Names usable as a task target or stratifyBy; default: `columns`. */
  targets?: readonly string[];
  /** Values per example as the loaders give them, e.g. [36, 36, 1] (dataShape.ts compares the inputs). */
  featureShape?: readonly number[];
}

/**
 * Every column the document names must exist in the data (a header read tells), and the
 * columns that preprocessing and inputs read must be features: the columns data.source.features
 * lists, else every column but the tasks' targets (as the loaders pick them, data/table.ts).
 */
export function checkData(spec: ExperimentSpec, facts: DataFacts): Problem[] {
  const { problems, error } = problemList();
  // One-hot features are named "column=category" (a feature of the column's encoding).
  const known = (names: readonly string[], name: string): boolean => names.includes(name) || names.includes(name.split('=')[0]!);
  const checker = (names: readonly string[] | undefined, what: string, unit: string) => (name: string, path: JsonPath, who: string): void => {
    if (!names || known(names, name)) return;
    // The count, not the names: as the loaders' messages, none quotes a file's header beyond the name it suggests.
    error(path, `${who} "${name}", which is not ${what} (${names.length} ${unit}${names.length === 1 ? '' : 's'}).${didYouMean(name, names)}`);
  };
  const column = checker(facts.columns, 'in the data', 'column');
  const target = checker(facts.targets ?? facts.columns, 'in the data', 'column');
  const source = spec.data.source;
  const tabular = source.type === 'csv' || source.type === 'jsonl' || source.type === 'parquet';
  const targets = new Set(spec.tasks.map((t) => t.target));
  const declared = tabular ? source.features : undefined;
  const features = checker(facts.columns && (declared ? declared.filter((f) => known(facts.columns!, f)) : facts.columns.filter((c) => !targets.has(c))), 'a feature of the data', 'feature');
  spec.tasks.forEach((task, i) => target(task.target, ['tasks', i, 'target'], `Task "${task.id}" reads its target from`));
  if (spec.data.split.stratifyBy !== undefined) target(spec.data.split.stratifyBy, ['data', 'split', 'stratifyBy'], 'data.split.stratifyBy names');
  spec.model.inputs.forEach((input, i) => input.features?.forEach((f, j) => features(f, ['model', 'inputs', i, 'features', j], `Input "${input.id}" reads feature`)));
  if (tabular) {
    source.features?.forEach((f, j) => column(f, ['data', 'source', 'features', j], 'data.source.features names'));
    source.categorical?.forEach((f, j) => column(f, ['data', 'source', 'categorical', j], 'data.source.categorical names'));
  }
  spec.data.preprocess?.forEach((step, i) => step.columns?.forEach((c, j) => features(c, ['data', 'preprocess', i, 'columns', j], `Preprocess step ${i + 1} (${step.op}) names`)));

  return problems;
}
