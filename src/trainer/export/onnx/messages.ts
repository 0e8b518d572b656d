// The ONNX messages model.onnx holds, as plain data, and their encoding (field numbers from
// onnx/onnx.proto: ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).
import { ProtoWriter } from './protobuf';

/** TensorProto.DataType values we write. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** A constant (an initializer): row-major data. */
export interface OnnxTensor {
  name: string;
  dims: number[];
  data: Float32Array | Int32Array | BigInt64Array;
}

export type AttributeValue = number | number[] | string | { float: number } | { floats: number[] } | { strings: string[] };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name: string;
  attributes?: Record<string, AttributeValue>;
}

/** A graph input or output: its element type and its shape, a string for a symbolic dimension. */
export interface OnnxValueInfo {
  name: string;
  type: DataTypeCode;
  shape: Array<number | string>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  /** IR version 8 goes with opset 17 (onnx/docs/Versioning.md). */
  irVersion: number;
  opset: number;
  producerName: string;
  docString: string;
  graph: OnnxGraph;
}

// AttributeProto.AttributeType
const ATTR_FLOAT = 1, ATTR_INT = 2, ATTR_STRING = 3, ATTR_FLOATS = 6, ATTR_INTS = 7, ATTR_STRINGS = 8;

function tensorType(t: OnnxTensor): DataTypeCode {
  return t.data instanceof Float32Array ? DataType.FLOAT : t.data instanceof Int32Array ? DataType.INT32 : DataType.INT64;
}

function encodeTensor(t: OnnxTensor): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of t.dims) w.int(1, d);
  w.int(2, tensorType(t));
  w.string(8, t.name);
  // raw_data is little-endian; typed arrays are in the machine's order, little-endian on every
  // platform Node and onnxruntime ship for.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w;
}

/** A number is an INT attribute and a number[] INTS; floats are always marked, `{ float: 1 }`, never guessed from the value. */
function encodeAttribute(name: string, v: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  if (typeof v === 'number') {
    w.int(3, v).int(20, ATTR_INT);
  } else if (typeof v === 'string') {
    w.string(4, v).int(20, ATTR_STRING);
  } else if (Array.isArray(v)) {
    for (const x of v) w.int(8, x);
    w.int(20, ATTR_INTS);
  } else if ('float' in v) {
    w.float(2, v.float).int(20, ATTR_FLOAT);
  } else if ('strings' in v) {
    for (const x of v.strings) w.string(9, x);
    w.int(20, ATTR_STRINGS);
  } else {
    for (const x of v.floats) w.float(7, x);
    w.int(20, ATTR_FLOATS);
  }
  return w;
}

function encodeNode(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const [name, v] of Object.entries(n.attributes ?? {})) w.message(5, encodeAttribute(name, v));
  return w;
}

function encodeValueInfo(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.shape) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensor = new ProtoWriter().int(1, v.type).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensor));
}

function encodeGraph(g: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, encodeTensor(t));
  for (const i of g.inputs) w.message(11, encodeValueInfo(i));
  for (const o of g.outputs) w.message(12, encodeValueInfo(o));
  return w;
}

export function encodeModel(m: OnnxModel): Uint8Array {
  return new ProtoWriter()
    .int(1, m.irVersion)
    .string(2, m.producerName)
    .string(6, m.docString)
    .message(7, encodeGraph(m.graph))
    .message(8, new ProtoWriter().string(1, '').int(2, m.opset))
    .finish();
}
