// CSV reading (RFC 4180 plus what real files do): quoted fields with commas, newlines and
// doubled quotes, CRLF / LF / CR line ends, a byte-order mark, a header row. Text arrives in
// chunks (a file is read as a stream), so a record cut by a chunk's end waits for the next.
// Records that cannot be used are reported by the line they start on, not thrown, so one bad
// row does not stop a run; the caller decides what to do when nothing usable is left.
// Messages quote no cell of the file: a line number says where to look.
import { clip } from './cells';
import { TableBuilder, type ColumnTable, type LineProblem } from './columnTable';
import { DataError } from './errors';

export interface CsvRecord {
  /** 1-based line number where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Splits CSV text, given in pieces, into records. Blank lines are skipped; an unclosed quote is a problem. */
export class CsvRecordReader {
  private pending = '';
  private line = 1;
  private started = false;

  constructor(private readonly onRecord: (record: CsvRecord) => void, private readonly onProblem: (p: LineProblem) => void) {}

  push(text: string): void {
    this.pending = this.pending.length === 0 ? text : this.pending + text;
    this.drain(false);
  }

  end(): void {
    this.drain(true);
  }

  private drain(final: boolean): void {
    const s = this.pending;
    let i = 0;
    if (!this.started && s.length > 0) {
      this.started = true;
      if (s.charCodeAt(0) === 0xfeff) i = 1;
    }
    while (i < s.length) {
      const next = this.record(s, i, final);
      if (next < 0) break;
      i = next;
    }
    this.pending = i === 0 ? s : s.slice(i);
  }

  /** Reads the record starting at `start`; returns where the next begins, or -1 when it is not complete yet. */
  private record(s: string, start: number, final: boolean): number {
    const n = s.length;
    const fields: string[] = [];
    let quoted = false;
    let i = start;
    for (;;) {
      let value: string;
      if (i < n && s.charCodeAt(i) === QUOTE) {
        quoted = true;
        value = '';
        let from = i + 1;
        for (;;) {
          const q = s.indexOf('"', from);
          if (q < 0 || (q + 1 >= n && !final)) {
            if (!final) return -1;
            this.onProblem({ line: this.line, message: 'a quoted field opened on this line is never closed' });
            this.line += lineBreaks(s, start, n);
            return n;
          }
          if (s.charCodeAt(q + 1) === QUOTE) { value += s.slice(from, q + 1); from = q + 2; continue; }
          value += s.slice(from, q);
          i = q + 1;
          break;
        }
      } else {
        value = '';
      }
      // An unquoted field, or text after a closing quote: kept literally up to the separator.
      let k = i;
      while (k < n) {
        const c = s.charCodeAt(k);
        if (c === COMMA || c === LF || c === CR) break;
        k++;
      }
      if (k > i) value += s.slice(i, k);
      fields.push(value);
      i = k;
      if (i >= n) {
        if (!final) return -1;
        this.emit(fields, quoted ? lineBreaks(s, start, n) : 0);
        return n;
      }
      const c = s.charCodeAt(i);
      if (c === COMMA) { i++; continue; }
      if (c === CR && i + 1 >= n && !final) return -1; // a CRLF may be cut in two
      const inside = quoted ? lineBreaks(s, start, i) : 0;
      i += c === CR && s.charCodeAt(i + 1) === LF ? 2 : 1;
      this.emit(fields, inside);
      this.line++;
      return i;
    }
  }

  private emit(fields: string[], lineBreaksInside: number): void {
    if (!(fields.length === 1 && fields[0] === '')) this.onRecord({ line: this.line, fields });
    this.line += lineBreaksInside;
  }
}

/** Line breaks (LF, CRLF or a lone CR) in s[from, to). */
function lineBreaks(s: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === LF || (c === CR && s.charCodeAt(i + 1) !== LF)) count++;
  }
  return count;
}

/** Splits whole CSV text into records. */
export function parseCsvRecords(text: string): { records: CsvRecord[]; problems: LineProblem[] } {
  const records: CsvRecord[] = [];
  const problems: LineProblem[] = [];
  const reader = new CsvRecordReader((r) => records.push(r), (p) => problems.push(p));
  reader.push(text);
  reader.end();
  return { records, problems };
}

/** Column names from header fields: trimmed; an empty name becomes column<N> (1-based). */
export function headerNames(fields: string[]): string[] {
  return fields.map((name, i) => name.trim() || `column${i + 1}`);
}

export interface CsvOptions {
  /** Cells read as missing (besides an empty cell); default DEFAULT_MISSING_VALUES. */
  missingValues?: readonly string[];
}

/**
 * A CSV table built as text arrives: the first record names the columns; records with the
 * wrong number of fields are skipped and reported with their line. Call `push` per chunk,
 * then `finish`.
 */
export class CsvTableReader {
  private readonly builder: TableBuilder;
  private readonly problems: LineProblem[] = [];
  private readonly reader: CsvRecordReader;
  private width = -1;

  constructor(private readonly source: string, options: CsvOptions = {}) {
    this.builder = new TableBuilder(source, options.missingValues);
    this.reader = new CsvRecordReader((r) => this.record(r), (p) => this.problems.push(p));
  }

  push(text: string): void {
    this.reader.push(text);
  }

  finish(): ColumnTable {
    this.reader.end();
    if (this.width < 0) throw new DataError(`${this.source} is empty: it needs a header row naming the columns.`, ['data', 'source', 'path']);
    return this.builder.finish(this.problems);
  }

  private record(record: CsvRecord): void {
    if (this.width < 0) {
      const columns = headerNames(record.fields);
      const seen = new Set<string>();
      for (const name of columns) {
        if (seen.has(name)) throw new DataError(`${this.source}, line ${record.line}: the column name '${clip(name)}' appears twice in the header.`, ['data', 'source', 'path']);
        seen.add(name);
        this.builder.addColumn(name);
      }
      this.width = columns.length;
      return;
    }
    if (record.fields.length !== this.width) {
      this.problems.push({ line: record.line, message: `expected ${this.width} fields, found ${record.fields.length}` });
      return;
    }
    this.builder.addRow(record.fields, record.line);
  }
}

/** A table from whole CSV text (tests, small inputs); files are read in chunks by tabularFile.ts. */
export function parseCsv(text: string, source = 'the CSV file', options: CsvOptions = {}): ColumnTable {
  const reader = new CsvTableReader(source, options);
  reader.push(text);
  return reader.finish();
}
