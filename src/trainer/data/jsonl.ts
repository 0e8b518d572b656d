// JSON Lines reading: one JSON object per line. Columns are the union of the objects' keys
// in order of first appearance; a key absent from a line is a missing value. Lines that are
// not a JSON object are skipped and reported with their line number.
import { jsonSyntaxError } from '../../core/edits';
import { DataError } from './errors';
import type { Cell, LineProblem, RawTable } from './table';

export function parseJsonl(text: string, source = 'the JSONL file'): RawTable {
  const problems: LineProblem[] = [];
  const objects: { line: number; value: Record<string, unknown> }[] = [];
  const columns: string[] = [];
  const known = new Set<string>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // Our parser's message names the spot; V8's would quote the line's text.
      const syntax = jsonSyntaxError(raw);
      problems.push({ line, message: `not valid JSON${syntax ? ` at column ${syntax.offset + 1}: ${syntax.message}` : ''}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ line, message: 'expected a JSON object like {"column": value, ...}' });
      return;
    }
    const record = value as Record<string, unknown>;
    const bad = Object.entries(record).find(([, v]) => v !== null && typeof v === 'object');
    if (bad) {
      problems.push({ line, message: `field '${bad[0]}' holds ${Array.isArray(bad[1]) ? 'an array' : 'an object'}; only numbers, strings, booleans and null are supported` });
      return;
    }
    for (const key of Object.keys(record)) {
      if (!known.has(key)) { known.add(key); columns.push(key); }
    }
    objects.push({ line, value: record });
  });
  if (objects.length === 0 && problems.length === 0) throw new DataError(`${source} is empty.`, ['data', 'source', 'path']);
  const rows = objects.map(({ value }) => columns.map((c): Cell => toCell(value[c])));
  return { source, columns, rows, lines: objects.map((o) => o.line), problems };
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return String(v);
}
