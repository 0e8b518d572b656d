// The SavedModel file (saved_model.pb) of a graph, written straight in protobuf's wire format:
// the few messages and fields a training graph uses (SavedModel, MetaGraphDef, GraphDef,
// NodeDef, AttrValue, TensorShapeProto, TensorProto; field numbers from TensorFlow's .proto files,
// the same as tfjs-node's generated dist/proto/api_pb.js). Building the same file with
// google-protobuf's message objects took 8-12 ms of CPU for the dense reference graph (10 KB,
// about 100 nodes), more than loading it into TensorFlow; Writer below says what this costs.

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

/**
 * One buffer the whole file is written into, field by field, a nested message in place: its
 * length goes in front once its end is known (one byte kept for it, the body moved along when the
 * length takes more). Strings are written by Buffer's native UTF-8 writer, never as arrays of their own.
 * Why not a buffer per message, copied into its parent (this file's first form): the dense
 * reference graph (214 nodes, 20 KB) made some 3,000 typed arrays and 1,200 encoded strings,
 * 11-14 ms of CPU on the process's first graph, cold code, 1-3 ms later (2026-12-01, load 25).
 */
class Writer {
  private buf = Buffer.allocUnsafe(16384);
  private at = 0;

  private reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(grown, 0, 0, this.at);
    this.buf = grown;
  }

  /** A varint; a negative number as its 64-bit two's complement (ten bytes), as int64 and enum fields take it. */
  varint(v: number): void {
    this.reserve(10);
    const b = this.buf;
    let at = this.at;
    if (v < 0) {
      // The low and high 32 bits of the two's complement (exact for |v| < 2^53), seven bits a byte.
      let lo = v >>> 0;
      let hi = Math.floor(v / 0x100000000) >>> 0;
      while (hi > 0 || lo > 0x7f) {
        b[at++] = (lo & 0x7f) | 0x80;
        lo = ((lo >>> 7) | (hi << 25)) >>> 0;
        hi >>>= 7;
      }
      b[at++] = lo;
    } else {
      while (v > 0x7f) { b[at++] = (v % 0x80) | 0x80; v = Math.floor(v / 0x80); }
      b[at++] = v;
    }
    this.at = at;
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
    this.buf.writeFloatLE(v, this.at);
    this.at += 4;
    return this;
  }

  /** A string field (UTF-8). */
  string(field: number, v: string): this {
    const n = Buffer.byteLength(v, 'utf8');
    this.tag(field, 2);
    this.varint(n);
    this.reserve(n);
    this.buf.write(v, this.at, n, 'utf8');
    this.at += n;
    return this;
  }

  /** A bytes field. */
  bytes(field: number, v: Uint8Array): this {
    this.tag(field, 2);
    this.varint(v.length);
    this.reserve(v.length);
    this.buf.set(v, this.at);
    this.at += v.length;
    return this;
  }

  /** A nested message field, its fields written by `body`. */
  message(field: number, body: (w: this) => void): this {
    this.tag(field, 2);
    this.reserve(1);
    const start = this.at++;
    body(this);
    const n = this.at - start - 1;
    if (n > 0x7f) {
      // The length takes more than the byte kept for it: the body moves along by the difference.
      let size = 1;
      for (let m = n; m > 0x7f; m = Math.floor(m / 0x80)) size++;
      this.reserve(size - 1);
      this.buf.copyWithin(start + size, start + 1, this.at);
      this.at = start;
      this.varint(n);
      this.at += n;
    } else {
      this.buf[start] = n;
    }
    return this;
  }

  /** A packed repeated varint field (none when empty). */
  packed(field: number, values: readonly number[]): this {
    if (!values.length) return this;
    return this.message(field, (w) => { for (const v of values) w.varint(v); });
  }

  /** The bytes written (a copy the size of the file: the working buffer is larger). */
  finish(): Uint8Array {
    return new Uint8Array(this.buf.subarray(0, this.at));
  }
}

/** TensorFlow's DataType enum (types.proto). */
const DT = { float: 1, double: 2, int32: 3, uint8: 4, int8: 6, bool: 10, uint16: 17, uint32: 22 } as const;

function shape(w: Writer, dims: readonly number[]): void {
  // TensorShapeProto.dim = 2, Dim.size = 1 (a zero size is proto3's default: left out).
  for (const d of dims) w.message(2, (dim) => { if (d !== 0) dim.int(1, d); });
}

function attrValue(w: Writer, a: Attr): void {
  // AttrValue: list = 1, s = 2, i = 3, f = 4, b = 5, type = 6, shape = 7, tensor = 8.
  if ('type' in a) w.int(6, DT[a.type]);
  else if ('b' in a) w.int(5, a.b ? 1 : 0);
  else if ('i' in a) w.int(3, a.i);
  else if ('f' in a) w.float(4, a.f);
  else if ('s' in a) w.string(2, a.s);
  else if ('shape' in a) w.message(7, (s) => shape(s, a.shape));
  else if ('list' in a) w.message(1, (l) => l.packed(3, a.list));
  // ListValue.type = 6; func = 10 (NameAttrList: name = 1).
  else if ('types' in a) w.message(1, (l) => l.packed(6, a.types.map((t) => DT[t])));
  else if ('func' in a) w.message(10, (f) => f.string(1, a.func));
  else {
    // TensorProto: dtype = 1, tensor_shape = 2, tensor_content = 4 (little-endian values).
    const t = a.tensor;
    const data = t.dtype === 'float' ? new Float32Array(t.values) : t.dtype === 'double' ? new Float64Array(t.values) : new Int32Array(t.values);
    w.message(8, (tensor) => {
      tensor.int(1, DT[t.dtype]).message(2, (s) => shape(s, t.shape));
      // An empty constant (a Bincount's absent weights) has no content field: proto3 writes no empty bytes.
      if (data.length) tensor.bytes(4, new Uint8Array(data.buffer));
    });
  }
}

function nodeDef(w: Writer, n: GraphNode): void {
  // NodeDef: name = 1, op = 2, input = 3, attr = 5 (map entries: key = 1, value = 2, by key as
  // google-protobuf and TensorFlow's deterministic serialisation order them: the same graph, the same bytes).
  w.string(1, n.name).string(2, n.op);
  for (const i of n.inputs) w.string(3, i);
  for (const k of Object.keys(n.attrs).sort()) w.message(5, (e) => e.string(1, k).message(2, (v) => attrValue(v, n.attrs[k]!)));
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

function functionDef(w: Writer, f: GraphFunction): void {
  // FunctionDef: signature = 1 (OpDef: name = 1, input_arg = 2, output_arg = 3; ArgDef: name = 1,
  // type = 3), node_def = 3, ret = 4 (map entries: key = 1, value = 2).
  w.message(1, (sig) => {
    sig.string(1, f.name);
    for (const a of f.args) sig.message(2, (arg) => arg.string(1, a.name).int(3, DT[a.type]));
    for (const o of f.outputs) sig.message(3, (arg) => arg.string(1, o.name).int(3, DT[o.type]));
  });
  for (const n of f.nodes) w.message(3, (node) => nodeDef(node, n));
  for (const o of [...f.outputs].sort((a, b) => (a.name < b.name ? -1 : 1))) w.message(4, (e) => e.string(1, o.name).string(2, o.from));
}

/** saved_model.pb holding one MetaGraphDef with these tags and a GraphDef of these nodes (and these functions in its library). */
export function writeSavedModel(nodes: readonly GraphNode[], tags: readonly string[], producer: number, functions: readonly GraphFunction[] = []): Uint8Array {
  // SavedModel: saved_model_schema_version = 1, meta_graphs = 2. MetaGraphDef: meta_info_def = 1
  // (MetaInfoDef.tags = 4), graph_def = 2. GraphDef: node = 1, library = 2 (FunctionDefLibrary.function = 1),
  // versions = 4 (VersionDef.producer = 1; zero, proto3's default, left out).
  return new Writer().int(1, 1).message(2, (meta) => {
    meta.message(1, (info) => { for (const t of tags) info.string(4, t); });
    meta.message(2, (graph) => {
      for (const n of nodes) graph.message(1, (node) => nodeDef(node, n));
      if (functions.length) graph.message(2, (library) => { for (const f of functions) library.message(1, (fn) => functionDef(fn, f)); });
      graph.message(4, (v) => { if (producer) v.int(1, producer); });
    });
  }).finish();
}
