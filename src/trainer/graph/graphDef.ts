// A small TensorFlow GraphDef builder and the SavedModel file around it, written with the
// protobuf classes tfjs-node ships (dist/proto/api_pb.js, the ones its SavedModel reader
// uses). A graph built here is loaded by TensorFlow's own SavedModel loader (session.ts) and
// run as one session call: TensorFlow's executor, not tfjs, walks the ops.
// Only what the training graphs need: float32 and int32 tensors (uint8 placeholders: byte-coded inputs), the attrs they set.

/** An attr value: a type, a bool, an int, a float, a string, a shape (-1: unknown), a constant tensor or a list of ints. */
export type Attr = { type: 'float' | 'int32' | 'uint8' } | { b: boolean } | { i: number } | { f: number } | { s: string } | { shape: number[] } | { tensor: ConstTensor } | { list: number[] };

/** A constant's value: float32 or int32, row-major. */
export interface ConstTensor { dtype: 'float' | 'int32'; shape: number[]; values: number[] }

/** The protobuf message classes used here: the part of api_pb's generated API this file calls. */
interface Message { serializeBinary(): Uint8Array }
interface Proto {
  SavedModel: new () => Message & { setSavedModelSchemaVersion(v: number): void; addMetaGraphs(m: unknown): void };
  MetaGraphDef: (new () => Message & { setMetaInfoDef(m: unknown): void; setGraphDef(g: unknown): void }) & { MetaInfoDef: new () => { addTags(t: string): void } };
  GraphDef: new () => Message & { addNode(n: unknown): void; setVersions(v: unknown): void };
  VersionDef: new () => { setProducer(v: number): void };
  NodeDef: new () => { setName(v: string): void; setOp(v: string): void; addInput(v: string): void; getAttrMap(): { set(k: string, v: unknown): void } };
  AttrValue: (new () => { setType(v: number): void; setB(v: boolean): void; setI(v: number): void; setF(v: number): void; setS(v: Uint8Array): void; setShape(v: unknown): void; setTensor(v: unknown): void; setList(v: unknown): void })
    & { ListValue: new () => { setIList(v: number[]): void } };
  TensorShape: (new () => { addDim(d: unknown): void }) & { Dim: new () => { setSize(v: number): void } };
  Tensor: new () => { setDtype(v: number): void; setTensorShape(v: unknown): void; setTensorContent(v: Uint8Array): void };
  DataType: Record<string, number>;
}

let proto: Proto | undefined;

/** tfjs-node's generated protobuf module (google-protobuf), loaded when a graph is first written. */
function protoClasses(): Proto {
  proto ??= require('@tensorflow/tfjs-node/dist/proto/api_pb') as Proto;
  return proto;
}

/** A GraphDef producer version TensorFlow 2.9 (tfjs-node 4.22's libtensorflow) reads without conversion. */
const PRODUCER = 1087;

export class GraphBuilder {
  private readonly nodes: Array<{ name: string; op: string; inputs: string[]; attrs: Record<string, Attr> }> = [];
  private readonly names = new Set<string>();

  /**
   * Adds a node and returns its name (its first output). `inputs` are node names, `name:k` for
   * output k, `^name` for a control dependency. A name already taken gets a numeric suffix,
   * characters TensorFlow refuses become '_': use the name returned.
   */
  op(op: string, inputs: string[], attrs: Record<string, Attr> = {}, name: string = op): string {
    // TensorFlow's node names are [A-Za-z0-9.][A-Za-z0-9_.\-/]*; layer and task ids may hold anything.
    const valid = name.replace(/[^A-Za-z0-9_./-]/g, '_').replace(/^[_/-]/, 'n$&');
    let unique = valid;
    for (let k = 1; this.names.has(unique); k++) unique = `${valid}_${k}`;
    this.names.add(unique);
    this.nodes.push({ name: unique, op, inputs, attrs });
    return unique;
  }

  /** A float32 placeholder fed by each run; -1 for an unknown size (the batch). */
  placeholder(name: string, shape: number[], dtype: 'float' | 'int32' | 'uint8' = 'float'): string {
    return this.op('Placeholder', [], { dtype: { type: dtype }, shape: { shape } }, name);
  }

  constant(name: string, value: ConstTensor): string {
    return this.op('Const', [], { dtype: { type: value.dtype }, value: { tensor: value } }, name);
  }

  /** The SavedModel file (saved_model.pb) holding this graph under the given tags. */
  savedModel(tags: string[]): Uint8Array {
    const p = protoClasses();
    const graph = new p.GraphDef();
    const versions = new p.VersionDef();
    versions.setProducer(PRODUCER);
    graph.setVersions(versions);
    for (const n of this.nodes) {
      const node = new p.NodeDef();
      node.setName(n.name);
      node.setOp(n.op);
      for (const i of n.inputs) node.addInput(i);
      const map = node.getAttrMap();
      for (const [k, v] of Object.entries(n.attrs)) map.set(k, attrValue(p, v));
      graph.addNode(node);
    }
    const info = new p.MetaGraphDef.MetaInfoDef();
    for (const t of tags) info.addTags(t);
    const meta = new p.MetaGraphDef();
    meta.setMetaInfoDef(info);
    meta.setGraphDef(graph);
    const model = new p.SavedModel();
    model.setSavedModelSchemaVersion(1);
    model.addMetaGraphs(meta);
    return model.serializeBinary();
  }
}

function dtypeOf(p: Proto, t: 'float' | 'int32' | 'uint8'): number {
  return t === 'float' ? p.DataType.DT_FLOAT! : t === 'uint8' ? p.DataType.DT_UINT8! : p.DataType.DT_INT32!;
}

function shapeOf(p: Proto, dims: number[]) {
  const s = new p.TensorShape();
  for (const d of dims) {
    const dim = new p.TensorShape.Dim();
    dim.setSize(d);
    s.addDim(dim);
  }
  return s;
}

function attrValue(p: Proto, a: Attr) {
  const v = new p.AttrValue();
  if ('type' in a) v.setType(dtypeOf(p, a.type));
  else if ('b' in a) v.setB(a.b);
  else if ('i' in a) v.setI(a.i);
  else if ('f' in a) v.setF(a.f);
  else if ('s' in a) v.setS(new TextEncoder().encode(a.s));
  else if ('shape' in a) v.setShape(shapeOf(p, a.shape));
  else if ('list' in a) {
    const list = new p.AttrValue.ListValue();
    list.setIList(a.list);
    v.setList(list);
  } else {
    const t = new p.Tensor();
    t.setDtype(dtypeOf(p, a.tensor.dtype));
    t.setTensorShape(shapeOf(p, a.tensor.shape));
    const data = a.tensor.dtype === 'float' ? new Float32Array(a.tensor.values) : new Int32Array(a.tensor.values);
    t.setTensorContent(new Uint8Array(data.buffer));
    v.setTensor(t);
  }
  return v;
}
