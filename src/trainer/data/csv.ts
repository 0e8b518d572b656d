// CSV reading (RFC 4180 plus what real files do): quoted fields with commas, newlines and
// doubled quotes, CRLF / LF / CR line ends, a byte-order mark, a header row. Records that
// cannot be used are reported by the line they start on, not thrown, so one bad row does
// not stop a run; the caller decides what to do when nothing usable is left.
import { DataError } from './errors';
import type { LineProblem, RawTable } from './table';

export interface CsvRecord {
  /** 1-based line number where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

/** Splits CSV text into records. Blank lines are skipped; an unclosed quote is a problem. */
export function parseCsvRecords(text: string): { records: CsvRecord[]; problems: LineProblem[] } {
  const records: CsvRecord[] = [];
  const problems: LineProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let field = '';
    let quoted = false; // inside a quoted section
    let endOfRecord = false;
    let unclosed = false;
    while (!endOfRecord) {
      if (i >= n) {
        if (quoted) unclosed = true;
        endOfRecord = true;
        break;
      }
      const ch = text[i] as string;
      if (quoted) {
        if (ch === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; } else { quoted = false; i++; }
        } else {
          if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++;
          field += ch;
          i++;
        }
      } else if (ch === '"' && field.length === 0) {
        quoted = true;
        i++;
      } else if (ch === ',') {
        fields.push(field);
        field = '';
        i++;
      } else if (ch === '\r' || ch === '\n') {
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        // A quote inside an unquoted field, or text after a closing quote, is kept literally.
        field += ch;
        i++;
      }
    }
    fields.push(field);
    if (unclosed) {
      problems.push({ line: startLine, message: 'a quoted field opened on this line is never closed' });
    } else if (!(fields.length === 1 && fields[0] === '')) {
      records.push({ line: startLine, fields });
    }
  }
  return { records, problems };
}

/** Column names from header fields: trimmed; an empty name becomes column<N> (1-based). */
export function headerNames(fields: string[]): string[] {
  return fields.map((name, i) => name.trim() || `column${i + 1}`);
}

/**
 * A table from CSV text: the first record names the columns; empty cells are missing (null);
 * records with the wrong number of fields are skipped and reported with their line.
 */
export function parseCsv(text: string, source = 'the CSV file'): RawTable {
  const { records, problems } = parseCsvRecords(text);
  const head = records[0];
  if (!head) throw new DataError(`${source} is empty: it needs a header row naming the columns.`, ['data', 'source', 'path']);
  const columns = headerNames(head.fields);
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) throw new DataError(`${source}, line ${head.line}: the column name '${name}' appears twice in the header.`, ['data', 'source', 'path']);
    seen.add(name);
  }
  const rows: (string | null)[][] = [];
  const lines: number[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== columns.length) {
      problems.push({ line: record.line, message: `expected ${columns.length} fields, found ${record.fields.length}` });
      continue;
    }
    rows.push(record.fields.map((f) => (f === '' ? null : f)));
    lines.push(record.line);
  }
  problems.sort((a, b) => a.line - b.line);
  return { source, columns, rows, lines, problems };
}
