// Locating and reading a CSV / JSONL data file named in the spec (relative to the workspace).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ColumnTable } from './columnTable';
import { CsvRecordReader, CsvTableReader, headerNames } from './csv';
import { DataError } from './errors';
import { JsonlTableReader } from './jsonl';
import type { TextEncoding } from '../../core/spec';
import { CHUNK_BYTES, readTextChunks } from './textFile';

export interface TabularSource { type: 'csv' | 'jsonl'; path: string; encoding?: TextEncoding; missingValues?: string[] }

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

/** Reads the whole file as a stream of 64 KB chunks into a compact column table. */
export function readTable(source: TabularSource, workspaceDir: string): ColumnTable {
  const full = resolveDataPath(source.path, workspaceDir);
  const options = source.missingValues ? { missingValues: source.missingValues } : {};
  const reader = source.type === 'csv' ? new CsvTableReader(source.path, options) : new JsonlTableReader(source.path, options);
  readTextChunks(full, source.path, (text) => reader.push(text), source.encoding ? { encoding: source.encoding } : {});
  return reader.finish();
}

/** Column names without reading a whole CSV (its header); JSONL keys come from every line. */
export function readColumnNames(source: TabularSource, workspaceDir: string): string[] {
  if (source.type === 'jsonl') return readTable(source, workspaceDir).columns;
  const full = resolveDataPath(source.path, workspaceDir);
  let header: string[] | undefined;
  const reader = new CsvRecordReader((r) => { header ??= headerNames(r.fields); }, () => undefined);
  readTextChunks(full, source.path, (text) => {
    reader.push(text);
    return header ? 'stop' : undefined;
  }, { ...(source.encoding ? { encoding: source.encoding } : {}), maxBytes: 16 * CHUNK_BYTES });
  if (!header) reader.end();
  if (!header) throw new DataError(`${source.path} is empty: it needs a header row naming the columns.`, ['data', 'source', 'path']);
  return header;
}
