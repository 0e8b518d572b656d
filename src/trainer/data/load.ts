// The one entry point from a spec to training data:
//   load the source -> check the tasks' targets -> split (seeded, stratified for classification)
//   -> fit imputation and preprocessing on the training split -> apply them to every split.
import type { DataSource, ExperimentSpec, TaskSpec } from '../../core/spec';
import type { Dataset, SplitDataset } from './dataset';
import { takeRows } from './dataset';
import { DataError } from './errors';
import { checkIntegerInputs } from './intInputs';
import { applyImputation, fitImputation, hasMissing, type Imputation } from './impute';
import { loadMnist } from './mnist';
import { loadMultiMnist } from './multimnist';
import { applyPreprocessingInPlace, fitPreprocessing, type FittedPreprocessing } from './preprocess';
import { arrangeBySplit, splitIndices, type SplitIndices } from './split';
import { loadSyntheticCorrelated } from './syntheticCorrelated';
import { tableToDataset, type TableHead, type TargetRequest } from './table';
import { readTable } from './tabularFile';

export interface LoadOptions {
  /** Folder that relative data paths are resolved against. */
  workspaceDir: string;
}

export interface ExperimentData extends SplitDataset {
  /** Everything loading did, in order, for the run log. */
  report: string[];
  /** Fitted on the training split; store it with the model to prepare new inputs the same way. */
  preprocessing: FittedPreprocessing;
  /** Present when missing values were imputed (fitted on the training split). */
  imputation?: Imputation;
  /** Target that the split was stratified by, if any. */
  stratifiedBy?: string;
}

type DataPart = Pick<ExperimentSpec, 'data' | 'tasks'>;

/** The data a run trains on; given the model too, int32 inputs are checked against the values they would get. */
export function loadExperimentData(spec: DataPart & { model?: Pick<ExperimentSpec['model'], 'inputs'> }, options: LoadOptions): ExperimentData {
  // The plan is not used afterwards: its rows are arranged in place instead of copied.
  const data = prepareSplits(spec, planSplit(spec, options), { consume: true });
  if (spec.model) checkIntegerInputs(spec.model.inputs, [data.train, data.validation, data.test], (spec.data.preprocess ?? []).length > 0);
  return data;
}

/** The whole data set and the rows of each split: what a run trains on, before imputation and preprocessing. */
export interface SplitPlan {
  all: Dataset;
  parts: SplitIndices;
  report: string[];
  stratifiedBy?: string;
  /** The file's columns and first rows, for csv/jsonl sources (not its data: that is in `all`). */
  table?: TableHead;
}

export function planSplit(spec: DataPart, options: LoadOptions): SplitPlan {
  const { ds: all, table } = loadChecked(spec, options);
  const report = [...all.report];
  const { split } = spec.data;
  const strataColumn = split.stratifyBy ?? spec.tasks.find((t) => t.kind !== 'regression')?.target;
  const strata = strataColumn === undefined ? undefined : all.targets[strataColumn];
  if (strataColumn !== undefined && !strata) {
    throw new DataError(`data.split.stratifyBy names '${strataColumn}', which the data does not have. Available: ${Object.keys(all.targets).join(', ')}.`, ['data', 'split', 'stratifyBy']);
  }
  if (strata && split.stratifyBy !== undefined && new Set(strata).size > Math.max(100, all.n / 10)) {
    throw new DataError(`data.split.stratifyBy '${strataColumn}' has ${new Set(strata).size} different values; stratify by a class column.`, ['data', 'split', 'stratifyBy']);
  }
  const parts = splitIndices(all.n, split, strata);
  const fmt = (k: number) => k.toLocaleString('en-US');
  report.push(`Split with seed ${split.seed}${strata ? `, stratified by '${strataColumn}'` : ''}: ` +
    `${fmt(parts.train.length)} train, ${fmt(parts.validation.length)} validation, ${fmt(parts.test.length)} test.`);
  return { all, parts, report, ...(strata ? { stratifiedBy: strataColumn } : {}), ...(table ? { table } : {}) };
}

/**
 * Imputation and preprocessing fitted on the training rows, applied to every split. With
 * `consume`, the plan's data set is reordered and used in place (no copy of a large data set);
 * otherwise the splits are copies and the plan stays as it was.
 */
export function prepareSplits(spec: DataPart, plan: SplitPlan, options: { consume?: boolean } = {}): ExperimentData {
  const { all, parts } = plan;
  const report = [...plan.report];
  const { train, validation, test } = options.consume
    ? arrangeBySplit(all, parts)
    : { train: takeRows(all, parts.train), validation: takeRows(all, parts.validation), test: takeRows(all, parts.test) };
  const fmt = (k: number) => k.toLocaleString('en-US');

  let imputation: Imputation | undefined;
  if (hasMissing(train) || hasMissing(validation) || hasMissing(test)) {
    imputation = fitImputation(train);
    const counts = [train, validation, test].map((ds) => applyImputation(ds, imputation as Imputation));
    report.push(`Imputed ${fmt(counts.reduce((a, b) => a + b, 0))} missing values (train ${counts[0]}, validation ${counts[1]}, test ${counts[2]}) with the training split's means and most frequent categories.`);
  }

  const preprocessing = fitPreprocessing(train, spec.data.preprocess ?? []);
  // The splits are this function's own copies: preprocessed in place, so a large data set is
  // not held a third time.
  for (const ds of [train, validation, test]) applyPreprocessingInPlace(ds, preprocessing);
  report.push(...preprocessing.steps);
  for (const ds of [train, validation, test]) ds.report = report;
  return { train, validation, test, report, preprocessing, ...(imputation ? { imputation } : {}), ...(plan.stratifiedBy !== undefined ? { stratifiedBy: plan.stratifiedBy } : {}) };
}

/** The whole data set of a spec, before splitting, with its tasks' targets checked. */
export function loadDataset(spec: DataPart, options: LoadOptions): Dataset {
  return loadChecked(spec, options).ds;
}

function loadChecked(spec: DataPart, options: LoadOptions): { ds: Dataset; table?: TableHead } {
  const loaded = loadSource(spec.data.source, spec.tasks, spec.data.split.stratifyBy, options.workspaceDir);
  checkTargets(loaded.ds, spec.tasks, spec.data.source);
  return loaded;
}

function loadSource(source: DataSource, tasks: TaskSpec[], stratifyBy: string | undefined, workspaceDir: string): { ds: Dataset; table?: TableHead } {
  switch (source.type) {
    case 'mnist': return { ds: loadMnist(source.limit === undefined ? {} : { limit: source.limit }) };
    case 'multimnist': return { ds: loadMultiMnist(source) };
    case 'synthetic-correlated': return { ds: loadSyntheticCorrelated(source) };
    case 'csv':
    case 'jsonl': {
      const targets: TargetRequest[] = tasks.map((t, i) => ({
        column: t.target, kind: t.kind === 'regression' ? 'value' : 'class', binary: t.kind === 'binary',
        usedBy: `target of task '${t.id}'`, role: 'task', path: ['tasks', i, 'target'],
      }));
      if (stratifyBy !== undefined) targets.push({ column: stratifyBy, kind: 'class', usedBy: 'data.split.stratifyBy', role: 'strata', path: ['data', 'split', 'stratifyBy'] });
      const table = readTable(source, workspaceDir);
      const ds = tableToDataset(table, {
        targets,
        ...(source.features ? { features: source.features } : {}),
        ...(source.categorical ? { categorical: source.categorical } : {}),
        ...(source.missing ? { missing: source.missing } : {}),
        ...(source.columnTypes ? { columnTypes: source.columnTypes } : {}),
      });
      // Only the head is kept: the columns' storage is freed once the data set is built.
      return { ds, table: { source: table.source, columns: table.columns, n: table.n, head: table.head } };
    }
    default:
      throw new DataError(`Unknown data source type '${(source as { type: string }).type}'.`, ['data', 'source', 'type']);
  }
}

/** Every task's target exists, and class targets fit the task (binary: 2 classes; multiclass: at most `classes`). */
function checkTargets(ds: Dataset, tasks: TaskSpec[], source: DataSource): void {
  tasks.forEach((task, i) => {
    const values = ds.targets[task.target];
    if (!values) {
      throw new DataError(`Task '${task.id}' has target '${task.target}', which the ${source.type} data does not have. Available: ${Object.keys(ds.targets).join(', ')}.`, ['tasks', i, 'target']);
    }
    if (task.kind === 'regression') return;
    let found = ds.classes?.[task.target];
    if (found === undefined) {
      if (!values.every((v) => Number.isInteger(v) && v >= 0)) {
        throw new DataError(`Task '${task.id}' is a ${task.kind} task, but its target '${task.target}' holds values that are not class numbers (0, 1, 2, ...). Use a regression task or a class column.`, ['tasks', i, 'kind']);
      }
      found = values.reduce((a, b) => Math.max(a, b), 0) + 1;
      ds.classes = { ...ds.classes, [task.target]: found };
    }
    if (task.kind === 'binary' && found > 2) {
      // The class names are cells of the file: `mts data` shows them, an error does not.
      throw new DataError(`Task '${task.id}' is binary, but its target '${task.target}' has ${found} classes. Make it a multiclass task.`, ['tasks', i, 'kind']);
    }
    if (task.kind === 'multiclass' && task.classes !== undefined && found > task.classes) {
      throw new DataError(`Task '${task.id}' declares ${task.classes} classes, but its target '${task.target}' has ${found}. Set "classes": ${found}.`, ['tasks', i, 'classes']);
    }
  });
}
