// From a table of cells (read from CSV or JSONL) to a Dataset: column roles, one-hot encoding
// of categorical features, class indices for class targets, and missing values. Missing
// feature values are either dropped here or kept as NaN for imputation fitted on the
// training split (impute.ts), so no statistic of the held-out rows leaks into training.
import type { Dataset } from './dataset';
import { oneHotName } from './dataset';
import { DataError } from './errors';
import { setOwn } from '../../core/own';
import { columnList } from './quote';

export type Cell = string | number | null;
export interface LineProblem { line: number; message: string }

export interface RawTable {
  /** How the file is named in messages, e.g. "data/patients.csv". */
  source: string;
  columns: string[];
  rows: Cell[][];
  /** Source line of each row, for messages. */
  lines: number[];
  /** Records that could not be read (skipped), by line. */
  problems: LineProblem[];
}

export interface TargetRequest {
  column: string;
  /** 'class': class indices (names sorted); 'value': a number (regression). */
  kind: 'class' | 'value';
  /** Binary targets must be 0/1; other values are mapped to 0/1 in sorted order. */
  binary?: boolean;
  /** Who needs the column, for messages: "task 'risk'" or "data.split.stratifyBy". */
  usedBy: string;
  /** JSON path of the spec field that names the column, for Problems. */
  path?: (string | number)[];
  /** 'task': a missing value is NaN (the row is unlabelled for that task; rows missing every
   *  task's target are dropped) and the column is never a feature by default;
   *  'strata' (stratifyBy) groups missing values as their own class and stays a feature. */
  role: 'task' | 'strata';
}

export interface TableOptions {
  targets: TargetRequest[];
  /** Feature columns, in order; default: every column that is not a task target. */
  features?: string[];
  /** Columns to one-hot encode even when their values are numbers. */
  categorical?: string[];
  missing?: 'drop' | 'impute';
}

/** Cells read as missing (besides an empty cell). */
const MISSING_TOKENS = new Set(['NA', 'N/A', 'NaN', 'nan', 'null', 'NULL']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** Text columns with more distinct values than this are not one-hot encoded unless declared. */
const MAX_AUTO_CATEGORIES = 50;
const MISSING_CLASS = '(missing)';

interface Column {
  name: string;
  /** Trimmed text of each cell; null when missing. */
  text: (string | null)[];
  /** Numeric value of each cell; NaN when missing or not a number. */
  num: Float64Array;
  missing: number;
  /** Rows whose non-missing value is not a number. */
  nonNumericRows: number[];
}

export function tableToDataset(table: RawTable, options: TableOptions): Dataset {
  const report: string[] = [];
  reportProblems(table, report);
  if (table.rows.length === 0) {
    const why = table.problems.slice(0, 3).map((p) => `line ${p.line}: ${p.message}`).join('; ');
    throw new DataError(`${table.source} has no usable rows${why ? ` (${why})` : ''}.`, ['data', 'source', 'path']);
  }

  const targets = dedupe(options.targets);
  const taskTargets = new Set(targets.filter((t) => t.role === 'task').map((t) => t.column));
  const featureColumns = options.features ?? table.columns.filter((c) => !taskTargets.has(c));
  const categorical = new Set(options.categorical ?? []);
  requireColumns(table, targets.map((t) => [t.column, t.usedBy, t.path] as const));
  requireColumns(table, featureColumns.map((c) => [c, 'data.source.features', ['data', 'source', 'features']] as const));
  requireColumns(table, [...categorical].map((c) => [c, 'data.source.categorical', ['data', 'source', 'categorical']] as const));
  for (const c of featureColumns) {
    if (taskTargets.has(c)) throw new DataError(`Column '${c}' is both a feature (data.source.features) and a task's target; a model would see the answer.`, ['data', 'source', 'features']);
  }
  if (featureColumns.length === 0) throw new DataError(`${table.source} has no feature columns left besides the targets.`, ['data', 'source', 'features']);

  const columns = new Map<string, Column>();
  const column = (name: string): Column => {
    let c = columns.get(name);
    if (!c) { c = readColumn(table, name); columns.set(name, c); }
    return c;
  };

  // Which rows survive: a row missing some task targets stays (those tasks' losses and
  // metrics skip it: NaN target, see encodeTarget); a row with no task target at all is
  // useless and dropped. Features depend on `missing`.
  const missingMode = options.missing ?? 'drop';
  const keep = new Uint8Array(table.rows.length).fill(1);
  const taskColumns = targets.filter((x) => x.role === 'task').map((t) => column(t.column));
  const partial = taskColumns.filter((c) => c.missing > 0);
  if (partial.length > 0) {
    let unlabelled = 0;
    for (let r = 0; r < table.rows.length; r++) {
      if (taskColumns.every((c) => c.text[r] === null)) { keep[r] = 0; unlabelled++; }
    }
    if (unlabelled > 0) report.push(`Dropped ${unlabelled} rows without any task's target value.`);
  }
  const featureMissing = featureColumns.map((name) => [name, column(name).missing] as const).filter(([, m]) => m > 0);
  if (featureMissing.length > 0) {
    const perColumn = featureMissing.map(([name, m]) => `${name}: ${m}`).join(', ');
    let rowsWithMissing = 0;
    for (let r = 0; r < table.rows.length; r++) {
      if (keep[r] && featureColumns.some((name) => column(name).text[r] === null)) {
        rowsWithMissing++;
        if (missingMode === 'drop') keep[r] = 0;
      }
    }
    report.push(missingMode === 'drop'
      ? `Dropped ${rowsWithMissing} rows with missing feature values (${perColumn}).`
      : `${rowsWithMissing} rows have missing feature values (${perColumn}); they are imputed with the training split's mean (numbers) or most frequent category.`);
  }
  // Counted on the rows that stay (after feature drops too).
  const kept = partial.map((c) => `${c.name}: ${c.text.filter((v, r) => v === null && keep[r]).length}`).filter((x) => !x.endsWith(': 0'));
  if (kept.length > 0) report.push(`Kept rows missing some task targets (${kept.join(', ')}); each task trains and is measured on its labelled rows only.`);
  const rows: number[] = [];
  keep.forEach((k, r) => { if (k) rows.push(r); });
  if (rows.length === 0) throw new DataError(`No rows of ${table.source} are left after dropping rows with missing values.`, ['data', 'source', 'missing']);

  // Features: numbers as they are, categorical columns one-hot (NaN block when missing).
  const featureNames: string[] = [];
  const blocks: { column: Column; categories?: string[] }[] = [];
  const oneHot: Record<string, string[]> = {};
  const encodedNotes: string[] = [];
  for (const name of featureColumns) {
    const c = column(name);
    const isText = c.nonNumericRows.some((r) => keep[r]);
    if (!categorical.has(name) && !isText) {
      featureNames.push(name);
      blocks.push({ column: c });
      continue;
    }
    const categories = sortedDistinct(rows.map((r) => c.text[r]).filter((v): v is string => v !== null));
    if (!categorical.has(name) && categories.length > MAX_AUTO_CATEGORIES) throw tooManyCategories(table, c, categories.length);
    setOwn(oneHot, name, categories);
    for (const cat of categories) featureNames.push(oneHotName(name, cat));
    blocks.push({ column: c, categories });
    encodedNotes.push(`${name} (${categories.length})`);
  }
  if (encodedNotes.length > 0) report.push(`One-hot encoded: ${encodedNotes.join(', ')}.`);

  const d = featureNames.length;
  const features = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    let j = i * d;
    for (const { column: c, categories } of blocks) {
      if (!categories) { features[j++] = c.num[r] as number; continue; }
      const v = c.text[r];
      for (const cat of categories) features[j++] = v === null ? NaN : v === cat ? 1 : 0;
    }
  });

  const ds: Dataset = { n: rows.length, featureNames, features, featureShape: [d], targets: {}, report };
  for (const t of targets) encodeTarget(ds, table, column(t.column), t, rows);
  report.unshift(`${table.source}: ${rows.length.toLocaleString('en-US')} rows, ${featureColumns.length} feature columns (${d} values per example).`);
  if (Object.keys(oneHot).length > 0) ds.oneHot = oneHot;
  return ds;
}

function readColumn(table: RawTable, name: string): Column {
  const index = table.columns.indexOf(name);
  const text: (string | null)[] = [];
  const num = new Float64Array(table.rows.length);
  const nonNumericRows: number[] = [];
  let missing = 0;
  table.rows.forEach((row, r) => {
    const cell = row[index] ?? null;
    if (typeof cell === 'number') {
      text.push(String(cell));
      num[r] = cell;
      return;
    }
    const s = cell === null ? '' : cell.trim();
    if (s === '' || MISSING_TOKENS.has(s)) {
      text.push(null);
      num[r] = NaN;
      missing++;
      return;
    }
    text.push(s);
    if (NUMBER.test(s)) num[r] = Number(s);
    else { num[r] = NaN; nonNumericRows.push(r); }
  });
  return { name, text, num, missing, nonNumericRows };
}

function encodeTarget(ds: Dataset, table: RawTable, c: Column, t: TargetRequest, rows: number[]): void {
  const values = new Float32Array(rows.length);
  const textIn = rows.map((r) => c.text[r] ?? null);
  if (t.kind === 'value') {
    const bad = rows.filter((r) => c.text[r] !== null && Number.isNaN(c.num[r]));
    if (bad.length > 0) {
      const where = bad.slice(0, 3).map((r) => `line ${table.lines[r]} has '${c.text[r]}'`).join(', ');
      throw new DataError(`${t.usedBy} needs numbers in column '${c.name}' of ${table.source}, but ${where}${bad.length > 3 ? ` (${bad.length} such rows)` : ''}.`, t.path);
    }
    rows.forEach((r, i) => { values[i] = c.num[r] as number; });
    setOwn(ds.targets, c.name, values);
    return;
  }
  const present = rows.filter((r) => c.text[r] !== null);
  const allNumeric = present.every((r) => !Number.isNaN(c.num[r]));
  // A task's missing label stays NaN (unlabelled); stratification makes it a class of its own.
  const missingClass = t.role === 'strata' && present.length < rows.length;
  const missingLabel = t.role === 'task' ? NaN : undefined;
  const nums = present.map((r) => c.num[r] as number);
  const max = nums.reduce((a, b) => Math.max(a, b), 0);
  const keepAsIs = allNumeric && !missingClass && nums.every((v) => Number.isInteger(v) && v >= 0) && (!t.binary || max <= 1);
  ds.classes ??= {};
  if (keepAsIs) {
    rows.forEach((r, i) => { values[i] = c.num[r] as number; });
    setOwn(ds.classes, c.name, max + 1);
  } else {
    const names = sortedDistinct(textIn.filter((v) => v !== null || missingClass).map((v) => v ?? MISSING_CLASS));
    const index = new Map(names.map((name, k) => [name, k]));
    textIn.forEach((v, i) => { values[i] = v === null ? missingLabel ?? (index.get(MISSING_CLASS) as number) : index.get(v) as number; });
    setOwn(ds.classes, c.name, names.length);
    ds.classNames ??= {};
    setOwn(ds.classNames, c.name, names);
    const shown = names.length <= 6 ? names.map((name, k) => `${name} → ${k}`).join(', ') : `${names.length} names, sorted`;
    ds.report.push(`Classes of '${c.name}' (${t.usedBy}): ${shown}.`);
  }
  setOwn(ds.targets, c.name, values);
}

/** Sorted category names: numbers by value, before text; text by code units (locale-independent). */
export function sortedDistinct(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => {
    const na = NUMBER.test(a) ? Number(a) : NaN;
    const nb = NUMBER.test(b) ? Number(b) : NaN;
    if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb || (a < b ? -1 : a > b ? 1 : 0);
    if (!Number.isNaN(na)) return -1;
    if (!Number.isNaN(nb)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

function dedupe(targets: TargetRequest[]): TargetRequest[] {
  const byColumn = new Map<string, TargetRequest>();
  for (const t of targets) {
    const prev = byColumn.get(t.column);
    // A task's use of a column wins over stratification.
    if (!prev || (prev.role === 'strata' && t.role === 'task')) byColumn.set(t.column, t);
  }
  return [...byColumn.values()];
}

function requireColumns(table: RawTable, wanted: readonly (readonly [string, string, (string | number)[] | undefined])[]): void {
  for (const [name, usedBy, path] of wanted) {
    if (!table.columns.includes(name)) {
      throw new DataError(`Column '${name}' (${usedBy}) is not in ${table.source}. Its columns are: ${columnList(table.columns)}.`, path);
    }
  }
}

function tooManyCategories(table: RawTable, c: Column, count: number): DataError {
  const numeric = c.text.length - c.missing - c.nonNumericRows.length;
  const first = c.nonNumericRows[0] as number;
  const hint = numeric > c.nonNumericRows.length
    ? ` It is mostly numbers, but line ${table.lines[first]} has '${c.text[first]}' (${c.nonNumericRows.length} such rows): fix those cells or leave them empty.`
    : ` Leave it out with data.source.features, or list it in data.source.categorical if one column per value is really meant.`;
  return new DataError(`Column '${c.name}' of ${table.source} holds text with ${count} different values, too many to one-hot encode.${hint}`, ['data', 'source', 'features']);
}

function reportProblems(table: RawTable, report: string[]): void {
  const { problems } = table;
  if (problems.length === 0) return;
  const shown = problems.slice(0, 5).map((p) => `line ${p.line}: ${p.message}`).join('; ');
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  report.push(`Skipped ${problems.length} unreadable ${problems.length === 1 ? 'record' : 'records'} in ${table.source} (${shown}${more}).`);
}
