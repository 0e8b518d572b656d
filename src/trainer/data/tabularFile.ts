// Locating and reading a CSV / JSONL data file named in the spec (relative to the experiment file, confined by confine.ts).
import * as fs from 'node:fs';
import { confineDataPath, type DataFolders } from './confine';
import { headerNames, parseCsv, parseCsvRecords } from './csv';
import { DataError } from './errors';
import { parseJsonl } from './jsonl';
import type { RawTable } from './table';

export interface TabularSource { type: 'csv' | 'jsonl'; path: string }

/** Real path of the data file, confined to the allowed folders (confine.ts); a DataError when it is not there. */
export function resolveDataPath(file: string, folders: DataFolders): string {
  return confineDataPath(file, 'file', folders);
}

export function readTable(source: TabularSource, folders: DataFolders): RawTable {
  const full = resolveDataPath(source.path, folders);
  const text = fs.readFileSync(full, 'utf8');
  return source.type === 'csv' ? parseCsv(text, source.path) : parseJsonl(text, source.path);
}

/** Column names without reading a whole CSV (its header); JSONL keys come from every line. */
export function readColumnNames(source: TabularSource, folders: DataFolders): string[] {
  if (source.type === 'jsonl') return readTable(source, folders).columns;
  const full = resolveDataPath(source.path, folders);
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
