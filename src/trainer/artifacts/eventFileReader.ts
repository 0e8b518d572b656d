// Reads TensorBoard event files back: checks every TFRecord CRC and decodes Events with their
// scalar values, both the `simple_value` our writer emits and the scalar `tensor` that
// TensorFlow's own summary writer (tf.node.summaryFileWriter) emits.
import { promises as fs } from 'node:fs';
import { decodeTfRecords } from './tfrecord';

interface Field {
  field: number;
  wire: number;
  /** varint as bigint; fixed64/fixed32 and length-delimited as bytes. */
  value: bigint | Buffer;
}

function readVarint(b: Buffer, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    if (pos >= b.length) throw new Error('truncated varint');
    const byte = b[pos++] as number;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7n;
    if (shift > 63n) throw new Error('varint too long');
  }
}

function decodeMessage(b: Buffer): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < b.length) {
    const [key, p1] = readVarint(b, pos);
    pos = p1;
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (wire === 0) {
      const [v, p2] = readVarint(b, pos);
      fields.push({ field, wire, value: v });
      pos = p2;
    } else if (wire === 1 || wire === 5) {
      const n = wire === 1 ? 8 : 4;
      if (pos + n > b.length) throw new Error('truncated fixed field');
      fields.push({ field, wire, value: b.subarray(pos, pos + n) });
      pos += n;
    } else if (wire === 2) {
      const [len, p2] = readVarint(b, pos);
      const end = p2 + Number(len);
      if (end > b.length) throw new Error('truncated length-delimited field');
      fields.push({ field, wire, value: b.subarray(p2, end) });
      pos = end;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return fields;
}

const bytesOf = (f: Field | undefined): Buffer | undefined => (f && Buffer.isBuffer(f.value) ? f.value : undefined);
const first = (fields: Field[], n: number): Field | undefined => fields.find((f) => f.field === n);

export interface EventValue {
  tag: string;
  value: number;
  /** Plugin named in the value's metadata, e.g. "scalars" for tensor-encoded scalars. */
  plugin?: string;
}

export interface TensorBoardEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values: EventValue[];
}

// TensorProto dtypes and fields that can hold one scalar.
const DT_FLOAT = 1;
const DT_DOUBLE = 2;

function decodeScalarTensor(b: Buffer): number | undefined {
  const fields = decodeMessage(b);
  const dtypeField = first(fields, 1);
  const dtype = dtypeField && typeof dtypeField.value === 'bigint' ? Number(dtypeField.value) : DT_FLOAT;
  const content = bytesOf(first(fields, 4));
  if (content && content.length > 0) {
    if (dtype === DT_FLOAT && content.length >= 4) return content.readFloatLE(0);
    if (dtype === DT_DOUBLE && content.length >= 8) return content.readDoubleLE(0);
    return undefined;
  }
  const floatVal = first(fields, 5); // packed (wire 2) or single (wire 5)
  if (floatVal && Buffer.isBuffer(floatVal.value) && floatVal.value.length >= 4) return floatVal.value.readFloatLE(0);
  const doubleVal = first(fields, 6);
  if (doubleVal && Buffer.isBuffer(doubleVal.value) && doubleVal.value.length >= 8) return doubleVal.value.readDoubleLE(0);
  return undefined;
}

function decodeValue(b: Buffer): EventValue | undefined {
  const fields = decodeMessage(b);
  const tag = bytesOf(first(fields, 1))?.toString('utf8') ?? '';
  const pluginData = bytesOf(first(decodeMessage(bytesOf(first(fields, 9)) ?? Buffer.alloc(0)), 1));
  const pluginName = pluginData ? bytesOf(first(decodeMessage(pluginData), 1))?.toString('utf8') : undefined;
  const simple = bytesOf(first(fields, 2));
  let value: number | undefined;
  if (simple) value = simple.readFloatLE(0);
  else {
    const tensor = bytesOf(first(fields, 8));
    if (tensor) value = decodeScalarTensor(tensor);
  }
  if (value === undefined) return undefined;
  return pluginName === undefined ? { tag, value } : { tag, value, plugin: pluginName };
}

export function decodeEvent(b: Buffer): TensorBoardEvent {
  const fields = decodeMessage(b);
  const wall = bytesOf(first(fields, 1));
  const stepField = first(fields, 2);
  const event: TensorBoardEvent = {
    wallTime: wall ? wall.readDoubleLE(0) : 0,
    step: stepField && typeof stepField.value === 'bigint' ? Number(BigInt.asIntN(64, stepField.value)) : 0,
    values: [],
  };
  const version = bytesOf(first(fields, 3));
  if (version) event.fileVersion = version.toString('utf8');
  const summary = bytesOf(first(fields, 5));
  if (summary) {
    for (const f of decodeMessage(summary)) {
      const vb = f.field === 1 ? bytesOf(f) : undefined;
      const v = vb ? decodeValue(vb) : undefined;
      if (v) event.values.push(v);
    }
  }
  return event;
}

/** Reads an event file; throws on a CRC mismatch, tolerates a truncated last record. */
export async function readEventFile(filePath: string): Promise<{ events: TensorBoardEvent[]; truncated: boolean }> {
  const { records, truncated } = decodeTfRecords(await fs.readFile(filePath));
  return { events: records.map(decodeEvent), truncated };
}

/** tag -> points in file order. */
export function scalarsByTag(events: TensorBoardEvent[]): Map<string, Array<{ step: number; value: number; wallTime: number }>> {
  const out = new Map<string, Array<{ step: number; value: number; wallTime: number }>>();
  for (const e of events) {
    for (const v of e.values) {
      const list = out.get(v.tag) ?? [];
      list.push({ step: e.step, value: v.value, wallTime: e.wallTime });
      out.set(v.tag, list);
    }
  }
  return out;
}
