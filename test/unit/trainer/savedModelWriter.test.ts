// savedModelWriter.ts writes the SavedModel file by hand in protobuf's wire format: it must be
// the very file google-protobuf's classes (tfjs-node's dist/proto/api_pb.js, which wrote it
// before) make of the same graph, byte for byte, for every kind of attr a graph uses, and for
// the real training graphs. TensorFlow loading and running them is graphStep*.test.ts's part.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import { loadBackend } from '../../../src/trainer/backend';
import { writeSavedModel, type Attr, type GraphNode } from '../../../src/trainer/graph/savedModelWriter';
import { buildTrainGraph } from '../../../src/trainer/graph/trainGraph';
import { makeHeads } from '../../../src/trainer/heads';
import { digitsParity } from '../../fixtures/digitsParity';

/** The part of api_pb's generated classes the reference encoder calls. */
interface Settable { [setter: string]: (...a: unknown[]) => unknown }
type Classes = Record<string, (new () => Settable) & Record<string, new () => Settable>> & { DataType: Record<string, number> };
interface Decoded { serializeBinary(): Uint8Array; toObject(): unknown }
const api = createRequire(__filename)('@tensorflow/tfjs-node/dist/proto/api_pb') as Classes;
const decode = (bytes: Uint8Array) => (api.SavedModel as unknown as { deserializeBinary(b: Uint8Array): Decoded }).deserializeBinary(bytes);

/** The SavedModel as google-protobuf's message classes write it (the former GraphBuilder.savedModel). */
function reference(nodes: GraphNode[], tags: string[], producer: number): Uint8Array {
  const dtype = (t: 'float' | 'double' | 'bool' | 'int32' | 'int8' | 'uint8' | 'uint16' | 'uint32') => ({ float: api.DataType.DT_FLOAT, double: 2, int32: api.DataType.DT_INT32, int8: 6, uint8: api.DataType.DT_UINT8, bool: 10, uint16: 17, uint32: 22 })[t];
  // (double, int8, bool, uint16 and uint32: TensorFlow's types.proto numbers, as api_pb's enum has them or newer.)
  const shape = (dims: number[]) => {
    const s = new api.TensorShape!();
    for (const d of dims) { const dim = new api.TensorShape!.Dim!(); dim.setSize!(d); s.addDim!(dim); }
    return s;
  };
  const attr = (a: Attr) => {
    const v = new api.AttrValue!();
    if ('type' in a) v.setType!(dtype(a.type));
    else if ('b' in a) v.setB!(a.b);
    else if ('i' in a) v.setI!(a.i);
    else if ('f' in a) v.setF!(a.f);
    else if ('s' in a) v.setS!(new TextEncoder().encode(a.s));
    else if ('shape' in a) v.setShape!(shape(a.shape));
    else if ('list' in a) { const l = new api.AttrValue!.ListValue!(); l.setIList!(a.list); v.setList!(l); }
    else if ('types' in a) { const l = new api.AttrValue!.ListValue!(); l.setTypeList!(a.types.map(dtype)); v.setList!(l); }
    else if ('func' in a) { const f = new api.NameAttrList!(); f.setName!(a.func); v.setFunc!(f); }
    else {
      const t = new api.Tensor!();
      t.setDtype!(dtype(a.tensor.dtype));
      t.setTensorShape!(shape(a.tensor.shape));
      const data = a.tensor.dtype === 'float' ? new Float32Array(a.tensor.values) : new Int32Array(a.tensor.values);
      t.setTensorContent!(new Uint8Array(data.buffer));
      v.setTensor!(t);
    }
    return v;
  };
  const graph = new api.GraphDef!();
  const versions = new api.VersionDef!();
  versions.setProducer!(producer);
  graph.setVersions!(versions);
  for (const n of nodes) {
    const node = new api.NodeDef!();
    node.setName!(n.name);
    node.setOp!(n.op);
    for (const i of n.inputs) node.addInput!(i);
    const map = node.getAttrMap!() as { set(k: string, v: unknown): void };
    for (const [k, v] of Object.entries(n.attrs)) map.set(k, attr(v));
    graph.addNode!(node);
  }
  const info = new api.MetaGraphDef!.MetaInfoDef!();
  for (const t of tags) info.addTags!(t);
  const meta = new api.MetaGraphDef!();
  meta.setMetaInfoDef!(info);
  meta.setGraphDef!(graph);
  const model = new api.SavedModel!();
  model.setSavedModelSchemaVersion!(1);
  model.addMetaGraphs!(meta);
  return model.serializeBinary!() as Uint8Array;
}

test('every kind of attr is written as google-protobuf writes it', () => {
  const nodes: GraphNode[] = [
    { name: 'x', op: 'Placeholder', inputs: [], attrs: { dtype: { type: 'float' }, shape: { shape: [-1, 784] } } },
    { name: 'rows', op: 'Placeholder', inputs: [], attrs: { shape: { shape: [-1] }, dtype: { type: 'int32' } } },
    { name: 'codes', op: 'Placeholder', inputs: [], attrs: { shape: { shape: [-1, 784] }, dtype: { type: 'uint8' } } },
    { name: 'halves', op: 'Bitcast', inputs: ['words'], attrs: { T: { type: 'uint32' }, type: { type: 'uint16' } } },
    { name: 'scalar', op: 'Placeholder', inputs: [], attrs: { dtype: { type: 'float' }, shape: { shape: [] } } },
    { name: 'empty', op: 'Placeholder', inputs: [], attrs: { dtype: { type: 'float' }, shape: { shape: [0, 3, 100000] } } },
    { name: 'c', op: 'Const', inputs: [], attrs: { dtype: { type: 'float' }, value: { tensor: { dtype: 'float', shape: [2, 2], values: [1.5, -2, 0.1, 3e-8] } } } },
    { name: 'k', op: 'Const', inputs: [], attrs: { dtype: { type: 'int32' }, value: { tensor: { dtype: 'int32', shape: [3], values: [0, -1, 2147483647] } } } },
    { name: 'k0', op: 'Const', inputs: [], attrs: { dtype: { type: 'int32' }, value: { tensor: { dtype: 'int32', shape: [], values: [0] } } } },
    { name: 'mm/é', op: 'MatMul', inputs: ['x', 'c:1', '^k'], attrs: { transpose_a: { b: true }, transpose_b: { b: false }, T: { type: 'float' } } },
    { name: 'n', op: 'Unpack', inputs: ['c'], attrs: { num: { i: 2 }, axis: { i: -1 }, big: { i: 2 ** 40 }, zero: { i: 0 } } },
    { name: 'f', op: 'Elu', inputs: [], attrs: { alpha: { f: 0.3 }, zero: { f: 0 }, neg: { f: -1e30 } } },
    { name: 's', op: 'VarHandleOp', inputs: [], attrs: { container: { s: '' }, shared_name: { s: 'trunk1/kernel' }, data_format: { s: 'NHWC' } } },
    { name: 'l', op: 'MaxPool', inputs: [], attrs: { ksize: { list: [1, 2, 2, 1] }, strides: { list: [] }, neg: { list: [-1, 0, 300] } } },
    { name: 'w', op: 'While', inputs: ['k0', 'c'], attrs: { T: { types: ['int32', 'float', 'double', 'bool'] }, cond: { func: 'loop_cond' }, body: { func: 'loop_body' }, none: { types: [] } } },
    { name: 'done', op: 'NoOp', inputs: ['^mm/é', '^n'], attrs: {} },
  ];
  assert.deepEqual(writeSavedModel(nodes, ['serve'], 1087), reference(nodes, ['serve'], 1087));
  assert.deepEqual(writeSavedModel([], ['serve', 'train'], 0), reference([], ['serve', 'train'], 0));
});

test('lengths of two and three bytes: a long name, a list and constants past 127 and 16,383 bytes', () => {
  // A nested message's length is written in front of it once its end is known; these take a
  // length of more than one byte at every level (the node, the attr entry, the value, the tensor).
  const long = 'scope/'.repeat(30);
  const values = (n: number) => Array.from({ length: n }, (_, k) => (k % 7) - 3.25);
  const nodes: GraphNode[] = [
    { name: long, op: 'Placeholder', inputs: [], attrs: { dtype: { type: 'float' }, shape: { shape: [-1, 784] } } },
    { name: 'c40', op: 'Const', inputs: [], attrs: { dtype: { type: 'float' }, value: { tensor: { dtype: 'float', shape: [40], values: values(40) } } } },
    { name: 'c5000', op: 'Const', inputs: [long], attrs: { dtype: { type: 'float' }, value: { tensor: { dtype: 'float', shape: [50, 100], values: values(5000) } } } },
    { name: 'l', op: 'MaxPool', inputs: [], attrs: { ksize: { list: Array.from({ length: 200 }, (_, k) => k * 1000) } } },
  ];
  assert.deepEqual(writeSavedModel(nodes, ['serve'], 1987), reference(nodes, ['serve'], 1987));
});

test('the training graphs are written as google-protobuf writes them', async () => {
  const { tf } = await loadBackend('tensorflow');
  const spec = digitsParity();
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  for (const options of [{}, { uncertainty: true }]) {
    const bytes = buildTrainGraph({ ...spec, training: { ...spec.training, clipNorm: 1, l2: 1e-4 } }, heads, topo, options).savedModel;
    // Decoded by google-protobuf and written again: the same bytes, so nothing was lost or reordered.
    assert.deepEqual(decode(bytes).serializeBinary(), bytes);
  }
});
