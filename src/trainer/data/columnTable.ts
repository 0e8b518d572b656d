// A table read from a file, stored by column and compactly: numbers in float32 chunks (the
// precision the model sees anyway), text cells as codes into a per-column dictionary. A
// million rows of twenty columns take about 80 MB instead of twenty million boxed cells.
// Readers (csv.ts, jsonl.ts, or any other source through `fromRows`) feed a TableBuilder
// row by row; table.ts turns the result into a Dataset.
import type { PositionUnit } from '../../core/dataSummary';
import { DEFAULT_MISSING_VALUES, detach, isNumberText } from './cells';
import { beyondFloat32, NAMED_PLACES } from './float32Range';
import { ResizableArrayBuffer, type ResizableBuffer } from './pageAligned';

export type Cell = string | number | null;
export interface LineProblem { line: number; message: string }


/** The first rows as text, for previews (the data summary). */
export const HEAD_ROWS = 8;

const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;
const MASK = CHUNK - 1;
/** Chunks per resizable buffer: each reserves address space (not memory) for this many up front. */
const SEGMENT_CHUNKS = 64;


/** Items written to a plain typed array before they are copied into the resizable buffer. */
const STAGE = 4096;

/**
 * An append-only typed array in fixed chunks of one resizable buffer: growing commits pages
 * and never copies what is stored; releasing its end returns those pages to the system at
 * once. (Separate typed arrays would be freed only at V8's next garbage collection, and
 * malloc keeps most of what it frees on its heap: the memory would stay taken.) Items are
 * written to a small plain typed array first and copied in by the block: V8 writes plain
 * typed arrays faster than views of a resizable buffer, and a table is written cell by cell.
 * Call `flush` before reading.
 */
class Chunked<T extends Float32Array | Int32Array> {
  /** Buffers of SEGMENT_CHUNKS chunks each: a small reservation, so a process under an address-space limit (ulimit -v) can hold many columns. */
  private readonly segments: ResizableBuffer[] = [];
  private readonly chunks: (T | undefined)[] = [];
  private readonly staged: T;
  /** Items copied into the buffer; the rest (up to `length`) are in `staged`. */
  private stored = 0;
  length = 0;

  constructor(private readonly View: { new (length: number): T; new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number }) {
    this.staged = new View(STAGE);
  }

  push(v: number): void {
    const at = this.length - this.stored;
    if (at === STAGE) { this.flush(); this.staged[0] = v; } else this.staged[at] = v;
    this.length++;
  }

  /** Copies the staged items into the buffer. */
  flush(): void {
    const total = this.length - this.stored;
    for (let from = 0; from < total;) {
      const k = this.stored >>> CHUNK_BITS;
      if (k === this.chunks.length) {
        const bytes = CHUNK * this.View.BYTES_PER_ELEMENT;
        const s = Math.floor(k / SEGMENT_CHUNKS);
        if (s === this.segments.length) this.segments.push(new ResizableArrayBuffer(0, { maxByteLength: SEGMENT_CHUNKS * bytes }));
        const segment = this.segments[s] as ResizableBuffer;
        const at = (k % SEGMENT_CHUNKS) * bytes;
        segment.resize(at + bytes);
        this.chunks.push(new this.View(segment, at, CHUNK));
      }
      const count = Math.min(total - from, CHUNK - (this.stored & MASK));
      (this.chunks[k] as T).set(this.staged.subarray(from, from + count), this.stored & MASK);
      this.stored += count;
      from += count;
    }
  }

  get(i: number): number {
    return (this.chunks[i >>> CHUNK_BITS] as T)[i & MASK] as number;
  }

  /** Gives back the chunks that hold only items from `start` on: they can no longer be read. */
  releaseFrom(start: number): void {
    const kept = Math.ceil(start / CHUNK);
    if (kept >= this.chunks.length) return;
    this.chunks.fill(undefined, kept);
    const bytes = CHUNK * this.View.BYTES_PER_ELEMENT;
    this.segments.forEach((segment, s) => {
      const keptHere = Math.min(SEGMENT_CHUNKS, Math.max(0, kept - s * SEGMENT_CHUNKS)) * bytes;
      if (keptHere < segment.byteLength) segment.resize(keptHere);
    });
  }
}

const float32s = (): Chunked<Float32Array> => new Chunked(Float32Array);
const int32s = (): Chunked<Int32Array> => new Chunked(Int32Array);

/** One column of a ColumnTable. */
export interface TableColumn {
  readonly name: string;
  /** The number in row r; NaN when the cell is missing or text. */
  value(r: number): number;
  /** For a text cell, its index in `texts`; -1 for numbers and missing cells. */
  code(r: number): number;
  /** Distinct texts (cells that are neither numbers nor missing), in order of first appearance. */
  readonly texts: readonly string[];
  /** Counts of missing, number and text cells. */
  readonly missing: number;
  readonly numbers: number;
  readonly textCells: number;
  /**
   * Number cells beyond float32's range (|x| > 3.4e38, or infinite), stored as infinities, and the
   * first three of their rows: a column that is used refuses them (table.ts), one that is not may hold them.
   */
  readonly outOfRange: number;
  readonly outOfRangeRows: readonly number[];
  /**
   * Frees the storage of rows from `start` on (in whole chunks): the caller has read them for
   * the last time. A large table is freed this way, from its end, as its matrix is filled
   * (table.ts).
   */
  releaseFrom(start: number): void;
}

/** What a preview shows of a table: its columns and first rows. */
export interface TableHead {
  /** How the file is named in messages, e.g. "data/patients.csv". */
  source: string;
  columns: string[];
  /** Number of rows read. */
  n: number;
  /** The first rows' cells as text ('' when missing), for previews. */
  head: string[][];
}

export interface ColumnTable extends TableHead {
  /** One per column, in the order of `columns`. */
  data: TableColumn[];
  /** Source line of row r, for messages (a row number when `unit` is 'row'). */
  line(r: number): number;
  /** What `line` counts. */
  unit: PositionUnit;
  /** Records that could not be read (skipped), by line. */
  problems: LineProblem[];
  /** Gives back the storage of every column and of the line numbers: the table is used up. */
  release(): void;
}

class ColumnStore implements TableColumn {
  private readonly values = float32s();
  private codes: Chunked<Int32Array> | undefined;
  private readonly index = new Map<string, number>();
  readonly texts: string[] = [];
  missing = 0;
  numbers = 0;
  textCells = 0;
  outOfRange = 0;
  readonly outOfRangeRows: number[] = [];

  constructor(readonly name: string, rowsBefore: number) {
    for (let r = 0; r < rowsBefore; r++) this.pushMissing();
  }

  value(r: number): number { return this.values.get(r); }
  code(r: number): number { return this.codes ? this.codes.get(r) : -1; }

  flush(): void {
    this.values.flush();
    this.codes?.flush();
  }

  releaseFrom(start: number): void {
    this.values.releaseFrom(start);
    this.codes?.releaseFrom(start);
  }

  pushMissing(): void {
    this.values.push(NaN);
    this.codes?.push(-1);
    this.missing++;
  }

  pushNumber(v: number): void {
    if (beyondFloat32(v) && this.outOfRange++ < NAMED_PLACES) this.outOfRangeRows.push(this.values.length);
    this.values.push(v);
    this.codes?.push(-1);
    this.numbers++;
  }

  pushText(s: string): void {
    let k = this.index.get(s);
    if (k === undefined) {
      const kept = detach(s);
      k = this.texts.length;
      this.texts.push(kept);
      this.index.set(kept, k);
    }
    if (!this.codes) {
      // Codes are kept only for columns that have text: all-number columns stay 4 bytes a cell.
      this.codes = int32s();
      for (let r = 0; r < this.values.length; r++) this.codes.push(-1);
    }
    this.values.push(NaN);
    this.codes.push(k);
    this.textCells++;
  }
}

/** Builds a ColumnTable one row at a time; cells are classified as they arrive. */
export class TableBuilder {
  readonly columns: string[] = [];
  private readonly stores: ColumnStore[] = [];
  private readonly lines = int32s();
  private readonly head: string[][] = [];
  private readonly missingMarkers: ReadonlySet<string>;
  n = 0;

  constructor(readonly source: string, missingValues: readonly string[] = DEFAULT_MISSING_VALUES, private readonly unit: PositionUnit = 'line') {
    this.missingMarkers = new Set(missingValues.map((m) => m.trim()));
  }

  /** Adds a column (JSONL keys can appear late): earlier rows are missing in it. Returns its index. */
  addColumn(name: string): number {
    const kept = detach(name);
    this.columns.push(kept);
    this.stores.push(new ColumnStore(kept, this.n));
    return this.stores.length - 1;
  }

  /** One row; cells beyond `cells.length` are missing. Text is trimmed, then read as a marker, a number or text. */
  addRow(cells: readonly Cell[], line: number): void {
    for (let j = 0; j < this.stores.length; j++) {
      const store = this.stores[j] as ColumnStore;
      const cell = j < cells.length ? cells[j] as Cell : null;
      if (cell === null) { store.pushMissing(); continue; }
      if (typeof cell === 'number') {
        // An infinity (a Parquet DOUBLE can hold one) is refused like 1e39 where the column is used.
        if (Number.isNaN(cell)) store.pushMissing(); else store.pushNumber(cell);
        continue;
      }
      const s = cell.trim();
      if (s === '' || this.missingMarkers.has(s)) store.pushMissing();
      else if (isNumberText(s)) store.pushNumber(Number(s));
      else store.pushText(s);
    }
    if (this.head.length < HEAD_ROWS) {
      this.head.push(cells.map((c) => (c === null ? '' : detach(String(c)))));
    }
    this.lines.push(line);
    this.n++;
  }

  finish(problems: LineProblem[]): ColumnTable {
    for (const store of this.stores) store.flush();
    this.lines.flush();
    const lines = this.lines;
    const width = this.columns.length;
    return {
      source: this.source,
      columns: this.columns,
      n: this.n,
      data: this.stores,
      line: (r) => lines.get(r),
      unit: this.unit,
      release: () => {
        for (const store of this.stores) store.releaseFrom(0);
        lines.releaseFrom(0);
      },
      problems: problems.sort((a, b) => a.line - b.line),
      head: this.head.map((row) => Array.from({ length: width }, (_, j) => row[j] ?? '')),
    };
  }
}

/**
 * A table given as rows of cells (a source that has rows in memory) as a ColumnTable.
 * `lines` defaults to 2, 3, ... (a header on line 1).
 */
export function fromRows(source: string, columns: string[], rows: readonly (readonly Cell[])[], options: { lines?: readonly number[]; unit?: PositionUnit; problems?: LineProblem[]; missingValues?: readonly string[] } = {}): ColumnTable {
  const builder = new TableBuilder(source, options.missingValues, options.unit);
  for (const name of columns) builder.addColumn(name);
  rows.forEach((row, r) => builder.addRow(row, options.lines?.[r] ?? r + 2));
  return builder.finish([...(options.problems ?? [])]);
}

/** Every cell as read (number, text or null): for tests and small tables only. */
export function cellsOf(table: ColumnTable): Cell[][] {
  return Array.from({ length: table.n }, (_, r) => table.data.map((c): Cell => {
    const k = c.code(r);
    if (k >= 0) return c.texts[k] as string;
    const v = c.value(r);
    return Number.isNaN(v) ? null : v;
  }));
}
