// The one entry point from a spec to training data:
//   load the source -> check the tasks' targets -> split (seeded, stratified for classification)
//   -> fit imputation and preprocessing on the training split -> apply them to every split.
import type { DataSource, ExperimentSpec, InputSpec, TaskSpec } from '../../core/spec';
import type { Dataset, SplitDataset } from './dataset';
import { takeRows } from './dataset';
import type { DataFolders } from './confine';
import { DataError } from './errors';
import { loadImageFolder, type DecodeImage } from './imageFolder';
import { checkIntegerInputs } from './intInputs';
import { applyImputation, fitImputation, hasMissing, type Imputation } from './impute';
import { loadMnist } from './mnist';
import { loadMultiMnist } from './multimnist';
import { loadNumpy } from './numpy';
import { readParquetTable } from './parquet';
import { applyPreprocessingInPlace, fitPreprocessing, type FittedPreprocessing } from './preprocess';
import { arrangeBySplit, splitIndices, type SplitIndices } from './split';
import { loadSyntheticCorrelated } from './syntheticCorrelated';
import { loadSyntheticSequence } from './syntheticSequence';
import { fromRows, type ColumnTable } from './columnTable';
import { tableToDataset, type TableHead, type TargetRequest } from './table';
import { readTable } from './tabularFile';
import { own } from '../../core/own';

/** Where data files are found and may be read from (confine.ts), and what was read before. */
export interface LoadOptions extends DataFolders {
  /** The source's table when it was read before the load (Parquet, whose reader is async): see prereadData. */
  table?: ColumnTable;
  /** Decodes images (tfjs, passed in by the trainer); without it an image folder is only listed (the data summary). */
  decodeImage?: DecodeImage;
}

/**
 * What must be read asynchronously before the synchronous load (a Parquet file), added to the
 * options. Every caller that loads data awaits this first (run.ts, the data summary).
 */
export async function prereadData(spec: Pick<ExperimentSpec, 'data'>, options: LoadOptions): Promise<LoadOptions> {
  const source = spec.data.source;
  if (source.type !== 'parquet' || options.table) return options;
  const raw = await readParquetTable(source, options);
  const table = fromRows(raw.source, raw.columns, raw.rows, { lines: raw.lines, problems: raw.problems, ...(raw.unit ? { unit: raw.unit } : {}), ...(source.missingValues ? { missingValues: source.missingValues } : {}) });
  return { ...options, table };
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

/** The model's inputs, when given, set the size an image folder is resized to. */
type DataPart = Pick<ExperimentSpec, 'data' | 'tasks'> & { model?: { inputs: readonly InputSpec[] } };

/** The data a run trains on; given the model too, int32 inputs are checked against the values they would get. */
export function loadExperimentData(spec: DataPart, options: LoadOptions): ExperimentData {
  // The plan is not used afterwards: its rows are arranged in place instead of copied.
  return trainingData(spec, planSplit(spec, options), { consume: true });
}

/** A plan's splits prepared for training (prepareSplits), with the checks only training needs. */
export function trainingData(spec: DataPart, plan: SplitPlan, options: { consume?: boolean } = {}): ExperimentData {
  if (plan.listedOnly) throw new Error('Images were listed but not decoded: pass decodeImage in the load options to train.');
  const data = prepareSplits(spec, plan, options);
  if (spec.model) checkIntegerInputs(spec.model.inputs, [data.train, data.validation, data.test], (spec.data.preprocess ?? []).length > 0);
  return data;
}

/** The whole data set and the rows of each split: what a run trains on, before imputation and preprocessing. */
export interface SplitPlan {
  all: Dataset;
  parts: SplitIndices;
  report: string[];
  stratifiedBy?: string;
  /** The file's columns and first rows, for csv/jsonl/parquet sources (not its data: that is in `all`). */
  table?: TableHead;
  /** The images of an image folder were listed, not decoded: `all` has no feature values. */
  listedOnly?: boolean;
}

/** The whole data set, loaded and checked once, with the class column its splits and folds are stratified by. */
export interface LoadedData {
  all: Dataset;
  report: string[];
  /** One class id per row (NaN: unlabelled), when the split is stratified. */
  strata?: Float32Array;
  stratifiedBy?: string;
  table?: TableHead;
  listedOnly?: boolean;
}

/** Reads the source (the one read of the data in a run) and picks the strata: data.split.stratifyBy, else the first classification task. */
export function loadStratified(spec: DataPart, options: LoadOptions): LoadedData {
  const { ds: all, table } = loadChecked(spec, options);
  const report = [...all.report];
  const { split } = spec.data;
  const strataColumn = split.stratifyBy ?? spec.tasks.find((t) => t.kind !== 'regression')?.target;
  const strata = strataColumn === undefined ? undefined : own(all.targets, strataColumn);
  if (strataColumn !== undefined && !strata) {
    throw new DataError(`data.split.stratifyBy names '${strataColumn}', which the data does not have. Available: ${Object.keys(all.targets).join(', ')}.`, ['data', 'split', 'stratifyBy']);
  }
  if (strata && split.stratifyBy !== undefined && new Set(strata).size > Math.max(100, all.n / 10)) {
    throw new DataError(`data.split.stratifyBy '${strataColumn}' has ${new Set(strata).size} different values; stratify by a class column.`, ['data', 'split', 'stratifyBy']);
  }
  const listedOnly = spec.data.source.type === 'imageFolder' && !options.decodeImage;
  return { all, report, ...(strata ? { strata, stratifiedBy: strataColumn } : {}), ...(table ? { table } : {}), ...(listedOnly ? { listedOnly } : {}) };
}

export function planSplit(spec: DataPart, options: LoadOptions): SplitPlan {
  return splitLoaded(spec, loadStratified(spec, options));
}

/** The seeded hold-out split (data.split) of loaded data. */
export function splitLoaded(spec: DataPart, loaded: LoadedData): SplitPlan {
  const { all, strata } = loaded;
  const report = [...loaded.report];
  const { split } = spec.data;
  const parts = splitIndices(all.n, split, strata);
  // Metrics of an empty part are NaN; a run must not report them as results.
  if (parts.test.length === 0) {
    throw new DataError(`A test fraction of ${split.test} of ${all.n} example${all.n === 1 ? '' : 's'} leaves no test examples, so nothing can be evaluated: raise the test fraction or use more data.`, ['data', 'split', 'test']);
  }
  if (parts.train.length === 0) {
    throw new DataError(`The split leaves no training examples out of ${all.n}: lower the validation and test fractions or use more data.`, ['data', 'split']);
  }
  const fmt = (k: number) => k.toLocaleString('en-US');
  report.push(`Split with seed ${split.seed}${strata ? `, stratified by '${loaded.stratifiedBy}'` : ''}: ` +
    `${fmt(parts.train.length)} train, ${fmt(parts.validation.length)} validation, ${fmt(parts.test.length)} test.`);
  return { all, parts, report, ...(loaded.stratifiedBy !== undefined ? { stratifiedBy: loaded.stratifiedBy } : {}), ...(loaded.table ? { table: loaded.table } : {}), ...(loaded.listedOnly ? { listedOnly: true } : {}) };
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
  const loaded = loadSource(spec, options);
  checkTargets(loaded.ds, spec.tasks, spec.data.source);
  return loaded;
}

function loadSource(spec: DataPart, options: LoadOptions): { ds: Dataset; table?: TableHead } {
  const { source } = spec.data;
  switch (source.type) {
    case 'mnist': return { ds: loadMnist(source.limit === undefined ? {} : { limit: source.limit }) };
    case 'multimnist': return { ds: loadMultiMnist(source) };
    case 'synthetic-correlated': return { ds: loadSyntheticCorrelated(source) };
    case 'synthetic-sequence': return { ds: loadSyntheticSequence(source) };
    case 'imageFolder': return { ds: loadImageFolder(source, options, spec.model?.inputs, options.decodeImage) };
    case 'numpy': return { ds: loadNumpy(source, options) };
    case 'csv':
    case 'jsonl':
    case 'parquet': {
      const targets: TargetRequest[] = spec.tasks.map((t, i) => ({
        column: t.target, kind: t.kind === 'regression' ? 'value' : 'class', binary: t.kind === 'binary',
        usedBy: `target of task '${t.id}'`, role: 'task', path: ['tasks', i, 'target'],
      }));
      const { stratifyBy } = spec.data.split;
      if (stratifyBy !== undefined) targets.push({ column: stratifyBy, kind: 'class', usedBy: 'data.split.stratifyBy', role: 'strata', path: ['data', 'split', 'stratifyBy'] });
      let table: ColumnTable;
      if (source.type !== 'parquet') table = readTable(source, options);
      else if (options.table) table = options.table;
      else throw new Error('A Parquet source is read by prereadData before the load; call it first.');
      const ds = tableToDataset(table, {
        targets,
        ...(source.features ? { features: source.features } : {}),
        ...(source.categorical ? { categorical: source.categorical } : {}),
        ...(source.missing ? { missing: source.missing } : {}),
        ...(source.columnTypes ? { columnTypes: source.columnTypes } : {}),
        consume: true,
      });
      // Only the head is kept: the columns' storage is freed once the data set is built.
      return { ds, table: { source: table.source, columns: table.columns, n: table.n, head: table.head } };
    }
    default:
      throw new DataError(`Unknown data source type '${(source as { type: string }).type}'.`, ['data', 'source', 'type']);
  }
}

/** How many rows are labelled, when they all hold the same class (NaN: unlabelled); undefined when two classes or none. */
function rowsOfOneClass(values: ArrayLike<number>): number | undefined {
  let only = NaN;
  let labelled = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) continue;
    if (labelled > 0 && v !== only) return undefined;
    only = v;
    labelled++;
  }
  return labelled > 0 ? labelled : undefined;
}

/** Every task's target exists, and class targets fit the task (at least 2 classes; binary: 2; multiclass: at most `classes`). */
function checkTargets(ds: Dataset, tasks: TaskSpec[], source: DataSource): void {
  tasks.forEach((task, i) => {
    const values = own(ds.targets, task.target);
    if (!values) {
      throw new DataError(`Task '${task.id}' has target '${task.target}', which the ${source.type} data does not have. Available: ${Object.keys(ds.targets).join(', ')}.`, ['tasks', i, 'target']);
    }
    if (task.kind === 'regression') return;
    let found = ds.classes ? own(ds.classes, task.target) : undefined;
    if (found === undefined) {
      // NaN is an unlabelled row (table.ts), not a class.
      if (!values.every((v) => Number.isNaN(v) || (Number.isInteger(v) && v >= 0))) {
        throw new DataError(`Task '${task.id}' is a ${task.kind} task, but its target '${task.target}' holds values that are not class numbers (0, 1, 2, ...). Use a regression task or a class column.`, ['tasks', i, 'kind']);
      }
      found = values.reduce((a, b) => (b > a ? b : a), 0) + 1;
      ds.classes = { ...ds.classes, [task.target]: found };
    }
    const labelled = rowsOfOneClass(values);
    if (labelled !== undefined) {
      // One class teaches nothing: the model learns to say it, and the report shows an undefined AUC.
      throw new DataError(`Task '${task.id}' is a ${task.kind} task, but its target '${task.target}' holds one class only in all ${labelled} labelled ${labelled === 1 ? 'row' : 'rows'}: there is nothing to tell apart. Add rows of the other ${task.kind === 'binary' ? 'class' : 'classes'}, or pick another target.`, ['tasks', i, 'target']);
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
