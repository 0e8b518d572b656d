// A minimal Parquet writer for tests (no writer is installed and pyarrow is not available):
// one row group, one uncompressed PLAIN data page (v1) per column, nullable columns with
// RLE definition levels, and the footer in Thrift's compact protocol, as the Parquet format
// specification (parquet.thrift) lays them out. Enough for int32, double, UTF-8 text and
// boolean columns with missing values; what a real writer adds (statistics, dictionaries,
// compression) is optional in the format; GZIP pages (fflate) are an option.
import { gzipSync } from 'fflate';

export type ParquetColumn =
  | { name: string; type: 'int32'; values: (number | null)[] }
  | { name: string; type: 'double'; values: (number | null)[] }
  | { name: string; type: 'utf8'; values: (string | null)[] }
  | { name: string; type: 'boolean'; values: (boolean | null)[] };

const PHYSICAL = { boolean: 0, int32: 1, double: 5, utf8: 6 } as const;

/** Thrift compact protocol, only the parts parquet.thrift needs. */
class Compact {
  bytes: number[] = [];
  private last: number[] = [0];
  private varint(v: bigint): void {
    let x = v;
    while (x >= 0x80n) { this.bytes.push(Number(x & 0x7fn) | 0x80); x >>= 7n; }
    this.bytes.push(Number(x));
  }
  private zigzag(v: number): void { const b = BigInt(v); this.varint(b >= 0n ? b << 1n : ((-b) << 1n) - 1n); }
  private header(id: number, type: number): void {
    const delta = id - this.last[this.last.length - 1]!;
    if (delta > 0 && delta <= 15) this.bytes.push((delta << 4) | type);
    else { this.bytes.push(type); this.zigzag(id); }
    this.last[this.last.length - 1] = id;
  }
  i32(id: number, v: number): this { this.header(id, 5); this.zigzag(v); return this; }
  i64(id: number, v: number): this { this.header(id, 6); this.zigzag(v); return this; }
  string(id: number, s: string): this { this.header(id, 8); const b = Buffer.from(s, 'utf8'); this.varint(BigInt(b.length)); this.bytes.push(...b); return this; }
  struct(id: number, body: (c: this) => void): this { this.header(id, 12); this.begin(); body(this); this.end(); return this; }
  list(id: number, elementType: 'i32' | 'string' | 'struct', items: readonly unknown[], write: (c: this, item: unknown) => void): this {
    this.header(id, 9);
    const type = { i32: 5, string: 8, struct: 12 }[elementType];
    if (items.length < 15) this.bytes.push((items.length << 4) | type);
    else { this.bytes.push(0xf0 | type); this.varint(BigInt(items.length)); }
    for (const item of items) {
      if (elementType === 'struct') { this.begin(); write(this, item); this.end(); } else write(this, item);
    }
    return this;
  }
  rawI32(v: number): void { this.zigzag(v); }
  rawString(s: string): void { const b = Buffer.from(s, 'utf8'); this.varint(BigInt(b.length)); this.bytes.push(...b); }
  begin(): void { this.last.push(0); }
  end(): void { this.bytes.push(0); this.last.pop(); }
}

/** Definition levels (1 present, 0 missing) as RLE runs of one value each, with their 4-byte length. */
function definitionLevels(present: boolean[]): Buffer {
  const runs = Buffer.from(present.flatMap((p) => [2, p ? 1 : 0]));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(runs.length);
  return Buffer.concat([length, runs]);
}

function plainValues(column: ParquetColumn): Buffer {
  const present = (column.values as unknown[]).filter((v) => v !== null);
  switch (column.type) {
    case 'int32': { const b = Buffer.alloc(4 * present.length); present.forEach((v, i) => b.writeInt32LE(v as number, 4 * i)); return b; }
    case 'double': { const b = Buffer.alloc(8 * present.length); present.forEach((v, i) => b.writeDoubleLE(v as number, 8 * i)); return b; }
    case 'utf8': return Buffer.concat(present.flatMap((v) => { const s = Buffer.from(v as string, 'utf8'); const n = Buffer.alloc(4); n.writeUInt32LE(s.length); return [n, s]; }));
    case 'boolean': {
      const b = Buffer.alloc(Math.ceil(present.length / 8));
      present.forEach((v, i) => { if (v) b[i >> 3]! |= 1 << (i & 7); });
      return b;
    }
  }
}

/** `gzip`: pages compressed with the GZIP codec (fflate), as some writers do. */
export function parquetFile(columns: ParquetColumn[], options: { gzip?: boolean } = {}): Buffer {
  const rows = columns[0]?.values.length ?? 0;
  const parts: Buffer[] = [Buffer.from('PAR1')];
  let offset = 4;
  const chunks: { column: ParquetColumn; offset: number; size: number }[] = [];
  for (const column of columns) {
    const raw = Buffer.concat([definitionLevels((column.values as unknown[]).map((v) => v !== null)), plainValues(column)]);
    const body = options.gzip ? Buffer.from(gzipSync(raw)) : raw;
    const header = new Compact();
    header.i32(1, 0).i32(2, raw.length).i32(3, body.length)
      .struct(5, (c) => { c.i32(1, rows).i32(2, 0).i32(3, 3).i32(4, 3); });
    header.bytes.push(0);
    const page = Buffer.concat([Buffer.from(header.bytes), body]);
    chunks.push({ column, offset, size: page.length });
    parts.push(page);
    offset += page.length;
  }
  const meta = new Compact();
  meta.i32(1, 1);
  meta.list(2, 'struct', [undefined, ...columns], (c, col) => {
    if (col === undefined) { c.string(4, 'schema').i32(5, columns.length); return; }
    const column = col as ParquetColumn;
    c.i32(1, PHYSICAL[column.type]).i32(3, 1).string(4, column.name);
    if (column.type === 'utf8') c.i32(6, 0);
  });
  meta.i64(3, rows);
  meta.list(4, 'struct', [0], (c) => {
    c.list(1, 'struct', chunks, (cc, item) => {
      const chunk = item as (typeof chunks)[number];
      cc.i64(2, chunk.offset).struct(3, (m) => {
        m.i32(1, PHYSICAL[chunk.column.type]).list(2, 'i32', [0, 3], (x, e) => x.rawI32(e as number))
          .list(3, 'string', [chunk.column.name], (x, s) => x.rawString(s as string))
          .i32(4, options.gzip ? 2 : 0).i64(5, rows).i64(6, chunk.size).i64(7, chunk.size).i64(9, chunk.offset);
      });
    });
    c.i64(2, chunks.reduce((s, ch) => s + ch.size, 0)).i64(3, rows);
  });
  meta.bytes.push(0);
  const footer = Buffer.from(meta.bytes);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(footer.length);
  parts.push(footer, length, Buffer.from('PAR1'));
  return Buffer.concat(parts);
}
