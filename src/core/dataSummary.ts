// What the data of an experiment looks like before training: computed by the trainer's own
// loaders (same targets, limit and split seed as a run), shown by the designer's Data panel
// and printed by `mts data`. Plain JSON so it crosses IPC and postMessage as it is.
import type { DataFacts } from './checkSettings';
import type { JsonPath } from './edits';

export type SplitName = 'train' | 'validation' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'validation', 'test'];

export type PerSplit<T> = Record<SplitName, T>;

export interface ClassCount {
  /** The class as the data names it ("7", "yes"); class index order. */
  name: string;
  counts: PerSplit<number>;
}

export interface ValueStats { n: number; min: number; mean: number; max: number }

/** `labelled`: rows of each split with this task's target (partial labels: the rest train and
 *  measure the other tasks only); class counts and value stats cover labelled rows. */
export type TaskBalance =
  | { task: string; target: string; labelled: PerSplit<number>; kind: 'binary' | 'multiclass'; classes: ClassCount[] }
  | { task: string; target: string; labelled: PerSplit<number>; kind: 'regression'; stats: PerSplit<ValueStats> };

/** Some rows of some split lack the task's target (the summary then says how many have it). */
export function partiallyLabelled(labelled: PerSplit<number>, rows: PerSplit<number>): boolean {
  return SPLIT_NAMES.some((k) => labelled[k] < rows[k]);
}

/** A few examples drawn as images: pixels 0..255, row-major, one label per task. */
export interface SampleImages {
  width: number;
  height: number;
  images: { pixels: number[]; labels: { task: string; value: string }[] }[];
}

/** The first records of a csv/jsonl file as the trainer's parser read them ('' = missing). */
export interface FirstRows { columns: string[]; rows: string[][]; totalRows: number }

/**
 * What a table's positions count, for messages: a text file's lines (CSV, JSON Lines), or the
 * rows of a file that has no lines (Parquet), whose errors said "line 3" for its third row.
 */
export type PositionUnit = 'line' | 'row';

/** "line" / "lines" (or rows): the word for `count` positions. */
export const positionWord = (unit: PositionUnit, count: number): string => (count === 1 ? unit : `${unit}s`);

/** A feature column holding numbers and text with no type declared (data.source.columnTypes), so
 *  read as categories: the designer offers the two readings as edits. Counts are of cells. */
export interface MixedColumn {
  column: string;
  numbers: number;
  /** Cells of rows kept (with a task's target) holding text. */
  text: number;
  /** A few distinct text values, clipped as the note quotes them. */
  examples: string[];
  /** Source lines of the first text cells (rows when `unit` is 'row'). */
  lines: number[];
  /** What `lines` count; lines when not given. */
  unit?: PositionUnit;
}

export interface DataSummary {
  source: string;
  examples: number;
  featureShape: number[];
  split: PerSplit<number> & { seed: number; stratifiedBy?: string };
  tasks: TaskBalance[];
  samples?: SampleImages;
  firstRows?: FirstRows;
  /** Columns read as categories because they mix numbers and text (each also has a note). */
  mixedColumns?: MixedColumn[];
  /** What loading did, in order (the same lines a run logs). */
  notes: string[];
}

/**
 * `facts`: the data's columns from a header read (and its shape once loaded), for the designer's
 * validation. `refused`: the loaders refused the data (the message is theirs, at `path`), a
 * problem the Problems panel shows as `mts validate` does; without it the message restates
 * problems validation finds itself.
 */
export type DataSummaryResult =
  | { ok: true; summary: DataSummary; seconds: number; facts?: DataFacts }
  /** `path`: the spec field to fix, when the loader knows it. */
  | { ok: false; message: string; path?: JsonPath; facts?: DataFacts; refused?: true };

/**
 * The parts of a document a data summary depends on, as one string: a summary computed for
 * another key is stale (the data settings or the tasks changed since).
 */
export function dataSettingsKey(doc: unknown): string {
  const d = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : {};
  return JSON.stringify([d.data ?? null, d.tasks ?? null]);
}

/** Why the preview is unavailable in Restricted Mode (the designer and the host say the same). */
export const PREVIEW_NEEDS_TRUST = 'The data preview runs the trainer process, so it is available once you trust this workspace.';
