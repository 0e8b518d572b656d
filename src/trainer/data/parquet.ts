// Apache Parquet as a data source, read with hyparquet into the RawTable that CSV and JSONL
// also make (table.ts), so column typing, categorical and missing values work the same way.
// hyparquet's reader is asynchronous while the loaders are synchronous: run.ts and the data
// summary read the file first (prereadData in load.ts), and the synchronous load takes the
// table from there. Column names alone (validation) come from the footer, synchronously.
// Pages may be uncompressed, Snappy, GZIP or Brotli; LZ4 and ZSTD are refused by name.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { gunzipSync } from 'fflate';
import { parquetMetadata, parquetReadObjects, parquetSchema, type Compressors } from 'hyparquet';
import { confineDataPath, type DataFolders } from './confine';
import { DataError } from './errors';
import type { Cell, LineProblem, RawTable } from './table';

export interface ParquetSource { type: 'parquet'; path: string }

const AT = ['data', 'source', 'path'];

/** hyparquet reads uncompressed and Snappy pages itself; GZIP and Brotli (other writers' choices) are added here. */
const COMPRESSORS: Compressors = {
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
};

/** The whole file as a table; its positions are 1-based row numbers, said as rows (the file has no lines). */
export async function readParquetTable(source: ParquetSource, folders: DataFolders): Promise<RawTable> {
  const file = confineDataPath(source.path, 'file', folders);
  const bytes = fs.readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let columns: string[];
  let records: Record<string, unknown>[];
  try {
    const metadata = parquetMetadata(buffer);
    columns = flatColumns(metadata);
    records = await parquetReadObjects({ file: buffer, metadata, columns, compressors: COMPRESSORS });
  } catch (err) {
    if (err instanceof DataError) throw err;
    throw new DataError(`${source.path} is not a Parquet file this reader understands (${(err as Error).message}).`, AT);
  }
  if (columns.length === 0) throw new DataError(`${source.path} has no flat columns (only nested lists or structs, which are not supported).`, AT);
  const problems: LineProblem[] = [];
  const rows: Cell[][] = records.map((record) => columns.map((c) => toCell(record[c])));
  return { source: source.path, columns, rows, lines: rows.map((_, i) => i + 1), unit: 'row', problems };
}

/** Column names from the file's footer, without reading its data. */
export function readParquetColumns(source: ParquetSource, folders: DataFolders): string[] {
  const file = confineDataPath(source.path, 'file', folders);
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const tail = Buffer.alloc(Math.min(size, 8));
    fs.readSync(fd, tail, 0, tail.length, size - tail.length);
    if (tail.length < 8 || tail.toString('latin1', 4) !== 'PAR1') throw new DataError(`${source.path} is not a Parquet file (it does not end with PAR1).`, AT);
    const footerLength = Math.min(size, tail.readUInt32LE(0) + 8);
    const footer = Buffer.alloc(footerLength);
    fs.readSync(fd, footer, 0, footerLength, size - footerLength);
    try {
      return flatColumns(parquetMetadata(footer));
    } catch (err) {
      throw new DataError(`${source.path} is not a Parquet file this reader understands (${(err as Error).message}).`, AT);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Top-level columns that hold one value per row (nested lists and structs are left out). */
function flatColumns(metadata: ReturnType<typeof parquetMetadata>): string[] {
  return parquetSchema(metadata).children
    .filter((c) => c.children.length === 0 && c.element.repetition_type !== 'REPEATED')
    .map((c) => c.element.name);
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  // NaN is missing, as pandas writes it; an infinity stays a number, refused where it is used (float32Range.ts).
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  return String(v);
}
