// JSON Lines reading: one JSON object per line, text given in chunks (a file is read as a
// stream). Columns are the union of the objects' keys in order of first appearance; a key
// absent from a line is a missing value. Lines that are not a JSON object are skipped and
// reported with their line number; messages quote nothing of the line itself.
import { jsonSyntaxError } from '../../core/jsonScan';
import { clip } from './cells';
import { TableBuilder, type Cell, type ColumnTable, type LineProblem } from './columnTable';
import { DataError } from './errors';

export interface JsonlOptions {
  /** Text values read as missing (besides an empty string); default DEFAULT_MISSING_VALUES. */
  missingValues?: readonly string[];
}

export class JsonlTableReader {
  private readonly builder: TableBuilder;
  private readonly problems: LineProblem[] = [];
  private readonly index = new Map<string, number>();
  private pending = '';
  private line = 1;
  private started = false;

  constructor(private readonly source: string, options: JsonlOptions = {}) {
    this.builder = new TableBuilder(source, options.missingValues);
  }

  push(text: string): void {
    let s = this.pending.length === 0 ? text : this.pending + text;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
    }
    let from = 0;
    for (;;) {
      const lf = s.indexOf('\n', from);
      const cr = s.indexOf('\r', from);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      // A CR at the very end may be the first half of a CRLF.
      if (end < 0 || (end === s.length - 1 && s.charCodeAt(end) === 0x0d)) break;
      this.lineText(s.slice(from, end));
      from = end + (s.charCodeAt(end) === 0x0d && s.charCodeAt(end + 1) === 0x0a ? 2 : 1);
    }
    this.pending = s.slice(from);
  }

  finish(): ColumnTable {
    if (this.pending.length > 0) this.lineText(this.pending.replace(/\r$/, ''));
    this.pending = '';
    if (this.builder.n === 0 && this.problems.length === 0) throw new DataError(`${this.source} is empty.`, ['data', 'source', 'path']);
    return this.builder.finish(this.problems);
  }

  private lineText(raw: string): void {
    const line = this.line++;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // Our parser's message names the spot; V8's would quote the line's text.
      const syntax = jsonSyntaxError(raw);
      this.problems.push({ line, message: `not valid JSON${syntax ? ` at column ${syntax.offset + 1}: ${syntax.message}` : ''}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problems.push({ line, message: 'expected a JSON object like {"column": value, ...}' });
      return;
    }
    const record = value as Record<string, unknown>;
    const cells: Cell[] = [];
    for (const [key, v] of Object.entries(record)) {
      if (v !== null && typeof v === 'object') {
        this.problems.push({ line, message: `field '${clip(key)}' holds ${Array.isArray(v) ? 'an array' : 'an object'}; only numbers, strings, booleans and null are supported` });
        return;
      }
    }
    for (const [key, v] of Object.entries(record)) {
      let j = this.index.get(key);
      if (j === undefined) { j = this.builder.addColumn(key); this.index.set(key, j); }
      while (cells.length < j) cells.push(null);
      cells[j] = toCell(v);
    }
    this.builder.addRow(cells, line);
  }
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return String(v);
}

/** A table from whole JSONL text (tests, small inputs); files are read in chunks by tabularFile.ts. */
export function parseJsonl(text: string, source = 'the JSONL file', options: JsonlOptions = {}): ColumnTable {
  const reader = new JsonlTableReader(source, options);
  reader.push(text);
  return reader.finish();
}
