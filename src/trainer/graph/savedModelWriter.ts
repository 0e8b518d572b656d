// The SavedModel file (saved_model.pb) of a graph, written straight in protobuf's wire format:
// the few messages and fields a training graph uses (SavedModel, MetaGraphDef, GraphDef,
// NodeDef, AttrValue, TensorShapeProto, TensorProto; field numbers from TensorFlow's .proto files,
// the same as tfjs-node's generated dist/proto/api_pb.js). Building the same file with
// google-protobuf's message objects took 8-12 ms of CPU for the dense reference graph (10 KB,
// about 100 nodes), more than loading it into TensorFlow; this takes about 1 ms (3 ms for the
// bench's LSTM and CNN graphs, against 12).

type TypeName = 'float' | 'double' | 'bool' | 'int32' | 'int8' | 'uint8' | 'uint16' | 'uint32';

/**
 * An attr value: a type, a bool, an int, a float, a string, a shape (-1: unknown), a constant
 * tensor, a list of ints, a list of types or a function of the library (a While's cond and body).
 */
export type Attr = { type: TypeName } | { b: boolean } | { i: number } | { f: number } | { s: string } | { shape: number[] } | { tensor: ConstTensor } | { list: number[] } | { types: TypeName[] } | { func: string };

/** A constant's value: float32, float64 (a rule's exact parameter: graphRules.ts) or int32, row-major. */
export interface ConstTensor { dtype: 'float' | 'double' | 'int32'; shape: number[]; values: number[] }

/** A node as GraphBuilder holds it: `inputs` are `name`, `name:k` or `^name`. */
export interface GraphNode { name: string; op: string; inputs: string[]; attrs: Record<string, Attr> }

const utf8 = new TextEncoder();

/** Bytes of one message, appended field by field. */
class Message {
  private bytes = new Uint8Array(64);
  private length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** A varint; a negative number as its 64-bit two's complement (ten bytes), as int64 and enum fields take it. */
  private varint(v: number): void {
    if (v < 0) {
      let big = BigInt.asUintN(64, BigInt(v));
      while (big > 0x7fn) { this.byte(Number(big & 0x7fn) | 0x80); big >>= 7n; }
      this.byte(Number(big));
      return;
    }
    while (v > 0x7f) { this.byte((v % 0x80) | 0x80); v = Math.floor(v / 0x80); }
    this.byte(v);
  }

  private tag(field: number, wireType: 0 | 2 | 5): void {
    this.varint(field * 8 + wireType);
  }

  /** A varint field: int32, int64, bool or enum. */
  int(field: number, v: number): this {
    this.tag(field, 0);
    this.varint(v);
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, 5);
    this.reserve(4);
    new DataView(this.bytes.buffer, this.bytes.byteOffset + this.length, 4).setFloat32(0, v, true);
    this.length += 4;
    return this;
  }

  /** A length-delimited field: bytes, a string (UTF-8) or a nested message. */
  bytesField(field: number, v: Uint8Array | string | Message): this {
    const data = typeof v === 'string' ? utf8.encode(v) : v instanceof Message ? v.finish() : v;
    this.tag(field, 2);
    this.varint(data.length);
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** A packed repeated varint field (none when empty). */
  packed(field: number, values: readonly number[]): this {
    if (!values.length) return this;
    const inner = new Message();
    for (const v of values) inner.varint(v);
    return this.bytesField(field, inner);
  }

  finish(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/** TensorFlow's DataType enum (types.proto). */
const DT = { float: 1, double: 2, int32: 3, uint8: 4, int8: 6, bool: 10, uint16: 17, uint32: 22 } as const;

function shape(dims: readonly number[]): Message {
  // TensorShapeProto.dim = 2, Dim.size = 1 (a zero size is proto3's default: left out).
  const m = new Message();
  for (const d of dims) m.bytesField(2, d === 0 ? new Message() : new Message().int(1, d));
  return m;
}

function attrValue(a: Attr): Message {
  // AttrValue: list = 1, s = 2, i = 3, f = 4, b = 5, type = 6, shape = 7, tensor = 8.
  const m = new Message();
  if ('type' in a) return m.int(6, DT[a.type]);
  if ('b' in a) return m.int(5, a.b ? 1 : 0);
  if ('i' in a) return m.int(3, a.i);
  if ('f' in a) return m.float(4, a.f);
  if ('s' in a) return m.bytesField(2, a.s);
  if ('shape' in a) return m.bytesField(7, shape(a.shape));
  if ('list' in a) return m.bytesField(1, new Message().packed(3, a.list));
  // ListValue.type = 6; func = 10 (NameAttrList: name = 1).
  if ('types' in a) return m.bytesField(1, new Message().packed(6, a.types.map((t) => DT[t])));
  if ('func' in a) return m.bytesField(10, new Message().bytesField(1, a.func));
  // TensorProto: dtype = 1, tensor_shape = 2, tensor_content = 4 (little-endian values).
  const t = a.tensor;
  const data = t.dtype === 'float' ? new Float32Array(t.values) : t.dtype === 'double' ? new Float64Array(t.values) : new Int32Array(t.values);
  // An empty constant (a Bincount's absent weights) has no content field: proto3 writes no empty bytes.
  const tensor = new Message().int(1, DT[t.dtype]).bytesField(2, shape(t.shape));
  return m.bytesField(8, data.length ? tensor.bytesField(4, new Uint8Array(data.buffer)) : tensor);
}

function nodeDef(n: GraphNode): Message {
  // NodeDef: name = 1, op = 2, input = 3, attr = 5 (map entries: key = 1, value = 2, by key as
  // google-protobuf and TensorFlow's deterministic serialisation order them: the same graph, the same bytes).
  const m = new Message().bytesField(1, n.name).bytesField(2, n.op);
  for (const i of n.inputs) m.bytesField(3, i);
  for (const k of Object.keys(n.attrs).sort()) m.bytesField(5, new Message().bytesField(1, k).bytesField(2, attrValue(n.attrs[k]!)));
  return m;
}

/**
 * A function of the graph's library (graphFunction.ts): a node whose op is `name` calls it. Its
 * body's inputs name an argument, or a node's output as `node:out_arg:k` (FunctionDef's form).
 */
export interface GraphFunction {
  name: string;
  args: ReadonlyArray<{ name: string; type: DType }>;
  outputs: ReadonlyArray<{ name: string; type: DType; from: string }>;
  nodes: readonly GraphNode[];
}

type DType = keyof typeof DT;

function functionDef(f: GraphFunction): Message {
  // FunctionDef: signature = 1 (OpDef: name = 1, input_arg = 2, output_arg = 3; ArgDef: name = 1,
  // type = 3), node_def = 3, ret = 4 (map entries: key = 1, value = 2).
  const sig = new Message().bytesField(1, f.name);
  for (const a of f.args) sig.bytesField(2, new Message().bytesField(1, a.name).int(3, DT[a.type]));
  for (const o of f.outputs) sig.bytesField(3, new Message().bytesField(1, o.name).int(3, DT[o.type]));
  const m = new Message().bytesField(1, sig);
  for (const n of f.nodes) m.bytesField(3, nodeDef(n));
  for (const o of [...f.outputs].sort((a, b) => (a.name < b.name ? -1 : 1))) m.bytesField(4, new Message().bytesField(1, o.name).bytesField(2, o.from));
  return m;
}

/** saved_model.pb holding one MetaGraphDef with these tags and a GraphDef of these nodes (and these functions in its library). */
export function writeSavedModel(nodes: readonly GraphNode[], tags: readonly string[], producer: number, functions: readonly GraphFunction[] = []): Uint8Array {
  // GraphDef: node = 1, library = 2 (FunctionDefLibrary.function = 1), versions = 4 (VersionDef.producer = 1; zero, proto3's default, left out).
  const graph = new Message();
  for (const n of nodes) graph.bytesField(1, nodeDef(n));
  if (functions.length) {
    const library = new Message();
    for (const f of functions) library.bytesField(1, functionDef(f));
    graph.bytesField(2, library);
  }
  graph.bytesField(4, producer ? new Message().int(1, producer) : new Message());
  // MetaGraphDef: meta_info_def = 1 (MetaInfoDef.tags = 4), graph_def = 2.
  const info = new Message();
  for (const t of tags) info.bytesField(4, t);
  const meta = new Message().bytesField(1, info).bytesField(2, graph);
  // SavedModel: saved_model_schema_version = 1, meta_graphs = 2.
  return new Message().int(1, 1).bytesField(2, meta).finish();
}
