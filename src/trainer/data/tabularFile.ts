// Locating and reading a CSV / JSONL data file named in the spec (relative to the workspace).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { headerNames, parseCsv, parseCsvRecords } from './csv';
import { DataError } from './errors';
import { parseJsonl } from './jsonl';
import type { RawTable } from './table';

export interface TabularSource { type: 'csv' | 'jsonl'; path: string }

/** Absolute path of the data file; a DataError when it is not there. */
export function resolveDataPath(file: string, workspaceDir: string): string {
  if (typeof file !== 'string' || file.trim() === '') throw new DataError('data.source.path is empty: name the data file, relative to the workspace folder.', ['data', 'source', 'path']);
  const full = path.resolve(workspaceDir, file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(full);
  } catch {
    throw new DataError(`Data file '${file}' not found (looked for ${full}).`, ['data', 'source', 'path']);
  }
  if (!stat.isFile()) throw new DataError(`Data file '${file}' is not a file (${full}).`, ['data', 'source', 'path']);
  return full;
}

export function readTable(source: TabularSource, workspaceDir: string): RawTable {
  const full = resolveDataPath(source.path, workspaceDir);
  const text = fs.readFileSync(full, 'utf8');
  return source.type === 'csv' ? parseCsv(text, source.path) : parseJsonl(text, source.path);
}

/** Column names without reading a whole CSV (its header); JSONL keys come from every line. */
export function readColumnNames(source: TabularSource, workspaceDir: string): string[] {
  if (source.type === 'jsonl') return readTable(source, workspaceDir).columns;
  const full = resolveDataPath(source.path, workspaceDir);
  const fd = fs.openSync(full, 'r');
  try {
    const buffer = Buffer.alloc(1 << 20);
    const bytes = fs.readSync(fd, buffer, 0, buffer.length, 0);
    const head = parseCsvRecords(buffer.subarray(0, bytes).toString('utf8')).records[0];
    if (!head) throw new DataError(`${source.path} is empty: it needs a header row naming the columns.`, ['data', 'source', 'path']);
    return headerNames(head.fields);
  } finally {
    fs.closeSync(fd);
  }
}
