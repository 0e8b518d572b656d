// From a table (read from CSV or JSONL, stored by column) to a Dataset: column roles and types,
// one-hot encoding of categorical features, class indices for class targets, and missing
// values. Missing feature values are either dropped here or kept as NaN for imputation fitted
// on the training split (impute.ts), so no statistic of the held-out rows leaks into training.
// Errors name columns and lines, never the cells' contents; notes (the run log and the data
// summary) may show a few clipped values, so that a user can recognise them.
import { positionWord, type MixedColumn, type PositionUnit } from '../../core/dataSummary';
import type { ColumnType } from '../../core/spec';
import { clip, float32Name, isNumberText } from './cells';
import { fromRows, type Cell, type ColumnTable, type LineProblem, type TableColumn } from './columnTable';
import type { Dataset } from './dataset';
import { oneHotName } from './dataset';
import { DataError } from './errors';
import { beyondFloat32Error } from './float32Range';
import { pageAlignedFloat32 } from './pageAligned';
import { setOwn } from '../../core/own';

export type { Cell, ColumnTable, LineProblem, TableHead } from './columnTable';

/** A table given as rows of cells, as a source with its rows in memory may build it. */
export interface RawTable {
  /** How the file is named in messages, e.g. "data/patients.csv". */
  source: string;
  columns: string[];
  rows: Cell[][];
  /** Source line of each row, for messages (row numbers when `unit` is 'row'). */
  lines: number[];
  /** What `lines` count; 'line' when not given. */
  unit?: PositionUnit;
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
  /** Per column: 'numeric' reads text cells as missing; 'categorical' one-hot encodes. */
  columnTypes?: Record<string, ColumnType>;
  missing?: 'drop' | 'impute';
  /**
   * Frees the feature columns' storage as the matrix is filled, so a large table and its
   * matrix are not held together, and the rest once the targets are read: afterwards the
   * table's columns cannot be read.
   */
  consume?: boolean;
}

/** Rows of the matrix filled between two releases of column storage (with `consume`). */
const FILL_ROWS = 1 << 16;

/** Text columns with more distinct values than this are not one-hot encoded unless declared. */
const MAX_AUTO_CATEGORIES = 50;
const MISSING_CLASS = '(missing)';
const SOURCE_PATH = ['data', 'source'];

/** A column with the type it is read as. */
interface Typed {
  c: TableColumn;
  numeric: boolean;
}

const isMissing = ({ c, numeric }: Typed, r: number): boolean => Number.isNaN(c.value(r)) && (numeric || c.code(r) < 0);

export function tableToDataset(input: RawTable | ColumnTable, options: TableOptions): Dataset {
  const table = 'rows' in input ? fromRows(input.source, input.columns, input.rows, { lines: input.lines, problems: input.problems, ...(input.unit ? { unit: input.unit } : {}) }) : input;
  const report: string[] = [];
  reportProblems(table, report);
  if (table.n === 0) {
    const why = table.problems.slice(0, 3).map((p) => `${table.unit} ${p.line}: ${p.message}`).join('; ');
    throw new DataError(`${table.source} has no usable rows${why ? ` (${why})` : ''}.`, ['data', 'source', 'path']);
  }

  const targets = dedupe(options.targets);
  const taskTargets = new Set(targets.filter((t) => t.role === 'task').map((t) => t.column));
  const declared = options.features !== undefined;
  let featureColumns = options.features ?? table.columns.filter((c) => !taskTargets.has(c));
  const categorical = new Set(options.categorical ?? []);
  const columnTypes = options.columnTypes ?? {};
  const mixed: MixedColumn[] = [];
  requireColumns(table, targets.map((t) => [t.column, t.usedBy, t.path] as const));
  requireColumns(table, featureColumns.map((c) => [c, 'data.source.features', [...SOURCE_PATH, 'features']] as const));
  requireColumns(table, [...categorical].map((c) => [c, 'data.source.categorical', [...SOURCE_PATH, 'categorical']] as const));
  requireColumns(table, Object.keys(columnTypes).map((c) => [c, 'data.source.columnTypes', [...SOURCE_PATH, 'columnTypes', c]] as const));
  for (const c of featureColumns) {
    if (taskTargets.has(c)) throw new DataError(`Column '${clip(c)}' is both a feature (data.source.features) and a task's target; a model would see the answer.`, [...SOURCE_PATH, 'features']);
  }
  const column = (name: string): TableColumn => table.data[table.columns.indexOf(name)] as TableColumn;

  // A column without a single value carries nothing to learn from: imputing it would invent
  // one constant. Asked for by name it is an error; found by default it is left out, said so.
  const empty = (name: string) => column(name).missing === table.n;
  for (const t of targets) {
    if (empty(t.column)) throw new DataError(`Column '${clip(t.column)}' (${t.usedBy}) of ${table.source} is empty in every row.`, t.path);
  }
  const asked = featureColumns.filter((name) => empty(name) && (declared || categorical.has(name) || name in columnTypes));
  if (asked.length > 0) {
    const name = asked[0] as string;
    const where = declared ? 'data.source.features' : categorical.has(name) ? 'data.source.categorical' : 'data.source.columnTypes';
    throw new DataError(`Column '${clip(name)}' (${where}) of ${table.source} is empty in every row: there is nothing to learn from it. Fill it or leave it out.`, [...SOURCE_PATH, where.split('.').pop() as string]);
  }
  const emptyColumns = featureColumns.filter(empty);
  if (emptyColumns.length > 0) {
    featureColumns = featureColumns.filter((name) => !empty(name));
    report.push(`Left out ${emptyColumns.length === 1 ? 'column' : 'columns'} ${emptyColumns.map((c) => `'${clip(c)}'`).join(', ')} of ${table.source}: empty in every row.`);
  }
  if (featureColumns.length === 0) throw new DataError(`${table.source} has no feature columns left besides the targets.`, [...SOURCE_PATH, 'features']);
  for (const t of targets) refuseOutOfRange(table, column(t.column), ` (${t.usedBy})`, t.path);
  for (const name of featureColumns) refuseOutOfRange(table, column(name), '', [...SOURCE_PATH, 'features']);

  // Which rows survive: a row missing some task targets stays (those tasks' losses and
  // metrics skip it: NaN target, see encodeTarget); a row with no task target at all is
  // useless and dropped. Features depend on `missing`.
  const n = table.n;
  const missingMode = options.missing ?? 'drop';
  const keep = new Uint8Array(n).fill(1);
  const declaredNumeric = (name: string): boolean => columnTypes[name] === 'numeric';
  const taskTyped = targets.filter((x) => x.role === 'task').map((t): Typed => ({ c: column(t.column), numeric: declaredNumeric(t.column) }));
  if (taskTyped.length > 0) {
    let unlabelled = 0;
    for (let r = 0; r < n; r++) {
      if (taskTyped.every((t) => isMissing(t, r))) { keep[r] = 0; unlabelled++; }
    }
    if (unlabelled > 0) report.push(`Dropped ${unlabelled} rows without any task's target value.`);
  }

  // Column types: declared, or numeric unless text remains among the rows kept.
  const typed = featureColumns.map((name): Typed => {
    const c = column(name);
    const type = columnTypes[name] ?? (categorical.has(name) ? 'categorical' : undefined);
    if (type !== undefined) {
      if (type === 'numeric' && c.textCells > 0) report.push(`Column '${clip(name)}': ${textRows(c, keep).count.toLocaleString('en-US')} text cells read as missing values (data.source.columnTypes).`);
      return { c, numeric: type === 'numeric' };
    }
    const text = c.textCells > 0 ? textRows(c, keep) : { count: 0, first: [] };
    if (text.count > 0 && c.numbers > 0) {
      const fact = mixedColumn(table, c, text);
      mixed.push(fact);
      report.push(mixedNote(table, fact));
    }
    return { c, numeric: text.count === 0 };
  });

  const featureMissing = typed.map((t) => {
    let m = 0;
    for (let r = 0; r < n; r++) if (isMissing(t, r)) m++;
    return [t.c.name, m] as const;
  }).filter(([, m]) => m > 0);
  if (featureMissing.length > 0) {
    const perColumn = featureMissing.map(([name, m]) => `${clip(name)}: ${m}`).join(', ');
    let rowsWithMissing = 0;
    for (let r = 0; r < n; r++) {
      if (keep[r] && typed.some((t) => isMissing(t, r))) {
        rowsWithMissing++;
        if (missingMode === 'drop') keep[r] = 0;
      }
    }
    report.push(missingMode === 'drop'
      ? `Dropped ${rowsWithMissing} rows with missing feature values (${perColumn}).`
      : `${rowsWithMissing} rows have missing feature values (${perColumn}); they are imputed with the training split's mean (numbers) or most frequent category.`);
  }
  // Counted on the rows that stay (after feature drops too).
  const kept = taskTyped.map((t) => {
    let m = 0;
    for (let r = 0; r < n; r++) if (keep[r] && isMissing(t, r)) m++;
    return `${clip(t.c.name)}: ${m}`;
  }).filter((x) => !x.endsWith(': 0'));
  if (kept.length > 0) report.push(`Kept rows missing some task targets (${kept.join(', ')}); each task trains and is measured on its labelled rows only.`);
  // Typed, not number[]: a million row indices take 4 MB, not 8 MB plus growth.
  let count = 0;
  for (let r = 0; r < n; r++) count += keep[r] as number;
  const rows = new Int32Array(count);
  for (let r = 0, i = 0; r < n; r++) if (keep[r]) rows[i++] = r;
  if (rows.length === 0) throw new DataError(`No rows of ${table.source} are left after dropping rows with missing values.`, [...SOURCE_PATH, 'missing']);

  // Features: numbers as they are, categorical columns one-hot (NaN block when missing).
  const featureNames: string[] = [];
  const blocks: { t: Typed; categories?: Categories }[] = [];
  const oneHot: Record<string, string[]> = {};
  const encodedNotes: string[] = [];
  for (const t of typed) {
    const name = t.c.name;
    if (t.numeric) {
      featureNames.push(name);
      blocks.push({ t });
      continue;
    }
    const categories = categoriesOf(t.c, rows);
    if (!categorical.has(name) && columnTypes[name] !== 'categorical' && categories.names.length > MAX_AUTO_CATEGORIES) throw tooManyCategories(table, t.c, categories.names.length, keep);
    setOwn(oneHot, name, categories.names);
    for (const cat of categories.names) featureNames.push(oneHotName(name, cat));
    blocks.push({ t, categories });
    encodedNotes.push(`${clip(name)} (${categories.names.length})`);
  }
  if (encodedNotes.length > 0) report.push(`One-hot encoded: ${encodedNotes.join(', ')}.`);

  const d = featureNames.length;
  // Page-aligned: the native backend trains on it in place instead of copying it (pageAligned.ts).
  const features = pageAlignedFloat32(rows.length * d);
  // Targets first: with `consume`, a column that is only a target is given back before the
  // matrix fills.
  const ds: Dataset = { n: rows.length, featureNames, features, featureShape: [d], targets: {}, report };
  for (const t of targets) encodeTarget(ds, table, { c: column(t.column), numeric: declaredNumeric(t.column) }, t, rows);
  const freed = options.consume ? blocks.map((b) => b.t.c) : [];
  if (options.consume) {
    for (const t of targets) if (!freed.includes(column(t.column))) column(t.column).releaseFrom(0);
  }
  // Filled a band of rows at a time, from the last: with `consume`, the columns' storage of
  // the rows done is given back (from its end: columnTable.ts) before the next band's pages
  // of the matrix are written, so the table and its matrix are never held whole together.
  for (let i1 = rows.length; i1 > 0; i1 -= FILL_ROWS) {
    const i0 = Math.max(0, i1 - FILL_ROWS);
    let offset = 0;
    for (const { t, categories } of blocks) {
      const { c } = t;
      if (!categories) {
        for (let i = i0; i < i1; i++) features[i * d + offset] = c.value(rows[i] as number);
        offset++;
        continue;
      }
      const k = categories.names.length;
      for (let i = i0; i < i1; i++) {
        const r = rows[i] as number;
        const at = i * d + offset;
        const index = categories.indexOf(r);
        if (index < 0) features.fill(NaN, at, at + k); else features[at + index] = 1;
      }
      offset += k;
    }
    if (freed.length > 0) {
      const first = i0 === 0 ? 0 : rows[i0] as number;
      for (const c of freed) c.releaseFrom(first);
    }
  }

  if (options.consume) table.release();
  report.unshift(`${table.source}: ${rows.length.toLocaleString('en-US')} rows, ${featureColumns.length} feature columns (${d} values per example).`);
  if (Object.keys(oneHot).length > 0) ds.oneHot = oneHot;
  if (mixed.length > 0) ds.mixedColumns = mixed;
  return ds;
}

/** Rows (among those kept) whose cell is text: how many, and the first few (for messages). */
interface TextRows { count: number; first: number[] }
const FIRST_TEXT_ROWS = 50;

/** Counted, not listed: a text column of a million rows would be a million-entry list. */
function textRows(c: TableColumn, keep: Uint8Array): TextRows {
  const first: number[] = [];
  let count = 0;
  for (let r = 0; r < keep.length; r++) {
    if (!keep[r] || c.code(r) < 0) continue;
    if (count < FIRST_TEXT_ROWS) first.push(r);
    count++;
  }
  return { count, first };
}

/** The facts of a mixed column: counts, a few distinct text values and the lines of the first ones. */
function mixedColumn(table: ColumnTable, c: TableColumn, text: TextRows): MixedColumn {
  const examples = [...new Set(text.first.map((r) => c.texts[c.code(r)] as string))].slice(0, 3).map((v) => clip(v, 20));
  return { column: c.name, numbers: c.numbers, text: text.count, examples, lines: text.first.slice(0, 3).map((r) => table.line(r)), ...(table.unit === 'row' ? { unit: 'row' as const } : {}) };
}

function mixedNote(table: ColumnTable, m: MixedColumn): string {
  const name = JSON.stringify(clip(m.column));
  return `Column '${clip(m.column)}' of ${table.source} mixes numbers (${m.numbers.toLocaleString('en-US')} cells) and text (${m.text.toLocaleString('en-US')} cells, e.g. ${m.examples.map((v) => `'${v}'`).join(', ')} on ${positionWord(table.unit, m.lines.length)} ${m.lines.join(', ')}), so it is one-hot encoded as categories. ` +
    `Set data.source.columnTypes {${name}: "numeric"} to read the text as missing values, or {${name}: "categorical"} to keep the categories.`;
}

/** Sorted category names of a column over some rows, and each row's category index (-1: missing). */
interface Categories { names: string[]; indexOf(r: number): number }

function categoriesOf(c: TableColumn, rows: Int32Array): Categories {
  const usedTexts = new Uint8Array(c.texts.length);
  const numbers = new Set<number>();
  for (const r of rows) {
    const k = c.code(r);
    if (k >= 0) usedTexts[k] = 1;
    else { const v = c.value(r); if (!Number.isNaN(v)) numbers.add(v); }
  }
  const label = new Map<string, string>(); // name -> name, for numbers that print alike
  const byNumber = new Map<number, string>();
  for (const v of numbers) { const s = float32Name(v); byNumber.set(v, s); label.set(s, s); }
  c.texts.forEach((s, k) => { if (usedTexts[k]) label.set(s, s); });
  const names = sortedDistinct([...label.keys()]);
  const position = new Map(names.map((s, i) => [s, i]));
  const textIndex = Int32Array.from(c.texts, (s, k) => (usedTexts[k] ? position.get(s) as number : -1));
  const numberIndex = new Map([...byNumber].map(([v, s]) => [v, position.get(s) as number]));
  return {
    names,
    indexOf: (r) => {
      const k = c.code(r);
      if (k >= 0) return textIndex[k] as number;
      const v = c.value(r);
      return Number.isNaN(v) ? -1 : numberIndex.get(v) ?? -1;
    },
  };
}

function encodeTarget(ds: Dataset, table: ColumnTable, t: Typed, request: TargetRequest, rows: Int32Array): void {
  const { c } = t;
  const values = new Float32Array(rows.length);
  if (request.kind === 'value') {
    const bad: number[] = [];
    if (!t.numeric) for (const r of rows) if (c.code(r) >= 0) bad.push(r);
    if (bad.length > 0) {
      const where = bad.slice(0, 3).map((r) => table.line(r)).join(', ');
      throw new DataError(`${request.usedBy} needs numbers in column '${clip(c.name)}' of ${table.source}, but ${positionWord(table.unit, bad.length)} ${where} ${bad.length === 1 ? 'holds' : 'hold'} text${bad.length > 3 ? ` (${bad.length} such rows)` : ''}. ` +
        `Fix or empty those cells, or set data.source.columnTypes {${JSON.stringify(clip(c.name))}: "numeric"} to read them as missing.`, request.path);
    }
    rows.forEach((r, i) => { values[i] = c.value(r); });
    setOwn(ds.targets, c.name, values);
    return;
  }
  let allNumeric = true;
  let hasMissing = false;
  let max = 0;
  let naturals = true;
  for (const r of rows) {
    if (isMissing(t, r)) { hasMissing = true; continue; }
    if (c.code(r) >= 0) { allNumeric = false; continue; }
    const v = c.value(r);
    if (v > max) max = v;
    if (!(Number.isInteger(v) && v >= 0)) naturals = false;
  }
  // A task's missing label stays NaN (unlabelled: its loss and metrics skip the row);
  // stratification makes missing a class of its own.
  const missingClass = request.role === 'strata' && hasMissing;
  const keepAsIs = allNumeric && !missingClass && naturals && (!request.binary || max <= 1);
  ds.classes ??= {};
  if (keepAsIs) {
    rows.forEach((r, i) => { values[i] = isMissing(t, r) ? NaN : c.value(r); });
    setOwn(ds.classes, c.name, max + 1);
  } else {
    const categories = categoriesOf(c, rows);
    const names = missingClass ? sortedDistinct([...categories.names, MISSING_CLASS]) : categories.names;
    const position = new Map(names.map((name, k) => [name, k]));
    const missingIndex = missingClass ? position.get(MISSING_CLASS) as number : NaN;
    const remap = categories.names.map((name) => position.get(name) as number);
    rows.forEach((r, i) => {
      const k = isMissing(t, r) ? -1 : categories.indexOf(r);
      values[i] = k < 0 ? missingIndex : remap[k] as number;
    });
    setOwn(ds.classes, c.name, names.length);
    ds.classNames ??= {};
    setOwn(ds.classNames, c.name, names);
    const shown = names.length <= 6 ? names.map((name, k) => `${clip(name, 20)} → ${k}`).join(', ') : `${names.length} names, sorted`;
    ds.report.push(`Classes of '${clip(c.name)}' (${request.usedBy}): ${shown}.`);
  }
  setOwn(ds.targets, c.name, values);
}

/** Sorted category names: numbers by value, before text; text by code units (locale-independent). */
export function sortedDistinct(values: string[]): string[] {
  return [...new Set(values)].sort((a, b) => {
    const na = isNumberText(a) ? Number(a) : NaN;
    const nb = isNumberText(b) ? Number(b) : NaN;
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

/** Names the missing column and the nearest existing name; it lists no other column of the file. */
function requireColumns(table: ColumnTable, wanted: readonly (readonly [string, string, (string | number)[] | undefined])[]): void {
  for (const [name, usedBy, path] of wanted) {
    if (!table.columns.includes(name)) {
      const near = nearestName(name, table.columns);
      throw new DataError(`Column '${clip(name)}' (${usedBy}) is not in ${table.source} (${table.columns.length} ${table.columns.length === 1 ? 'column' : 'columns'})${near ? `; did you mean '${clip(near)}'?` : '.'}`, path);
    }
  }
}

/** A column name within a few edits of `name` (a typo or a case slip), if there is one. */
function nearestName(name: string, columns: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 4)) + 1;
  for (const c of columns) {
    if (Math.abs(c.length - name.length) >= bestDistance || c.length > 200) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

/** A used column with numbers float32 cannot hold (float32Range.ts). */
function refuseOutOfRange(table: ColumnTable, c: TableColumn, usedBy: string, path: (string | number)[] | undefined): void {
  if (c.outOfRange === 0) return;
  const lines = c.outOfRangeRows.map((r) => table.line(r)).join(', ');
  throw beyondFloat32Error(`Column '${clip(c.name)}'${usedBy} of ${table.source}`, `on ${positionWord(table.unit, c.outOfRange)} ${lines}`, c.outOfRange, 'rows',
    'Rescale the column or empty those cells.', path);
}

function tooManyCategories(table: ColumnTable, c: TableColumn, count: number, keep: Uint8Array): DataError {
  const text = textRows(c, keep);
  const name = JSON.stringify(clip(c.name));
  const hint = c.numbers > text.count
    ? ` It is mostly numbers, but ${table.unit} ${table.line(text.first[0] as number)} holds text (${text.count} such rows): fix or empty those cells, or set data.source.columnTypes {${name}: "numeric"} to read them as missing.`
    : ` Leave it out with data.source.features, or set data.source.columnTypes {${name}: "categorical"} if one column per value is really meant.`;
  return new DataError(`Column '${clip(c.name)}' of ${table.source} holds text with ${count} different values, too many to one-hot encode.${hint}`, [...SOURCE_PATH, 'features']);
}

function reportProblems(table: ColumnTable, report: string[]): void {
  const { problems } = table;
  if (problems.length === 0) return;
  const shown = problems.slice(0, 5).map((p) => `${table.unit} ${p.line}: ${p.message}`).join('; ');
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  report.push(`Skipped ${problems.length} unreadable ${problems.length === 1 ? 'record' : 'records'} in ${table.source} (${shown}${more}).`);
}
