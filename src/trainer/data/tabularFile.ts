// Locating and reading a CSV / JSONL data file named in the spec (relative to the experiment file, confined by confine.ts).
import { confineDataPath, type DataFolders } from './confine';
import type { ColumnTable } from './columnTable';
import { CsvRecordReader, CsvTableReader, headerNames } from './csv';
import { DataError } from './errors';
import { JsonlTableReader } from './jsonl';
import type { TextEncoding } from '../../core/spec';
import { CHUNK_BYTES, readTextChunks } from './textFile';

export interface TabularSource { type: 'csv' | 'jsonl'; path: string; encoding?: TextEncoding; missingValues?: string[] }

/** Real path of the data file, confined to the allowed folders (confine.ts); a DataError when it is not there. */
export function resolveDataPath(file: string, folders: DataFolders): string {
  return confineDataPath(file, 'file', folders);
}

/** Reads the whole file as a stream of 64 KB chunks into a compact column table. */
export function readTable(source: TabularSource, folders: DataFolders): ColumnTable {
  const full = resolveDataPath(source.path, folders);
  const options = source.missingValues ? { missingValues: source.missingValues } : {};
  const reader = source.type === 'csv' ? new CsvTableReader(source.path, options) : new JsonlTableReader(source.path, options);
  readTextChunks(full, source.path, (text) => reader.push(text), source.encoding ? { encoding: source.encoding } : {});
  return reader.finish();
}

/** Column names without reading a whole CSV (its header); JSONL keys come from every line. */
export function readColumnNames(source: TabularSource, folders: DataFolders): string[] {
  if (source.type === 'jsonl') return readTable(source, folders).columns;
  const full = resolveDataPath(source.path, folders);
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
