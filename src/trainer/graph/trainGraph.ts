// The whole training step of a dense multi-task network as one TensorFlow graph: forward,
// loss and its gradient (SoftmaxCrossEntropyWithLogits returns both), the backward pass
// written out as ops (MatMul with transposes, BiasAddGrad, the activations' Grad ops) and
// the optimizer's own TensorFlow kernel (ResourceApplyGradientDescent / ResourceApplyMomentum),
// the same ops as the eager compiled step (native/denseStep.ts) but in one session call.
// Fetching a task's loss runs the update: each loss output is an Identity with a control
// dependency on every update, and every update on every gradient (a variable is read by the
// backward pass, so none may change before all gradients are computed).
// Beside "train" the graph has "set" (placeholders -> AssignVariableOp; also zeroes the
// momentum) and "get" (ReadVariableOp of every weight) for moving weights in and out.
import type { DenseLayer, ExperimentSpec, LayerSpec } from '../../core/spec';
import { inferShapes } from '../../core/shapes';
import type { TaskHead } from '../heads';
import { graphConvLayer, isGraphConvLayer, type GraphLayer } from './convLayers';
import { GraphBuilder, type Attr } from './graphDef';
import { graphRecurrent, isGraphRecurrentLayer } from './recurrentLayers';

/** Names of the graph's feeds and fetches, and its weights in the order `set` and `get` take them. */
export interface TrainGraph {
  savedModel: Uint8Array;
  /** One placeholder per model input, in spec.model.inputs order: the whole split. */
  inputs: string[];
  /** One per head, the whole split's targets [n, 1] as the host holds them (class number, 0/1 or value). */
  labels: string[];
  /** int32 [n]: the batch's rows of the split. */
  rows: string;
  /** [tasks]: each task's loss weight times its gradient scale (1/n, MSE 2/n). */
  coef: string;
  /** Scalar learning rate. */
  lr: string;
  /** Per head: the per-example losses; fetching them runs the step. */
  losses: string[];
  /** Weight keys (`layer/part`) with their shapes; `part` names the tfjs layer's property (kernel, bias, gamma, movingMean...). */
  weights: Array<{ key: string; layer: string; part: string; shape: number[] }>;
  /** Placeholders of `set`, one per weight, and the node to fetch to run it. */
  setInputs: string[];
  setDone: string;
  /** Read outputs of `get`, one per weight. */
  getOutputs: string[];
}

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
const NHWC: Attr = { s: 'NHWC' };

/** `momentum`: 0 for plain SGD; `nesterov` only with momentum. */
export function buildTrainGraph(spec: ExperimentSpec, heads: TaskHead[], topo: string[], momentum: number, nesterov: boolean): TrainGraph {
  const g = new GraphBuilder();
  const byId = new Map(spec.model.layers.map((l) => [l.id, l]));
  const layers = topo.map((id) => byId.get(id)).filter((l): l is LayerSpec => !!l);
  const logitLayers = new Set(heads.filter((h) => h.logits).map((h) => h.layerId));
  const isLayer = new Set(layers.map((l) => l.id));
  const { shapes } = inferShapes(spec);
  // A vector's width (dense and concatenate take vectors: nativeStepUnsupported).
  const widths = new Map([...shapes].map(([id, shape]) => [id, shape[shape.length - 1]!]));
  const int = (name: string, shape: number[], values: number[]) => g.constant(name, { dtype: 'int32', shape, values });
  const float = (name: string, value: number) => g.constant(name, { dtype: 'float', shape: [], values: [value] });

  const values = new Map<string, string>();
  // The whole split is fed (no copy: the session takes the tensors' buffers) with the batch's
  // row numbers; the batch is gathered inside the graph, one copy of its rows.
  const rows = g.placeholder('rows', [-1], 'int32');
  const axis0 = int('axis0', [], [0]);
  const gather = (data: string, name: string) => g.op('GatherV2', [data, rows, axis0], { Tparams: F, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } }, name);
  const inputs = spec.model.inputs.map((i) => g.placeholder(`data_${i.id}`, [-1, ...i.shape]));
  spec.model.inputs.forEach((i, k) => values.set(i.id, gather(inputs[k]!, `input_${i.id}`)));
  // Labels as the host holds them, one value a row (class number, 0/1, or target): the split's
  // one-hot labels would take classes times the memory. Classes are one-hot per batch here; a
  // binary target y becomes [1 - y, y], the two-class softmax over [0, logit].
  const labels = heads.map((h) => g.placeholder(`data_label_${h.task.id}`, [-1, 1]));
  const batchLabels = labels.map((l, i) => {
    const h = heads[i]!;
    const y = gather(l, `label_${h.task.id}`);
    if (h.encoding === 'value') return y;
    const classes = g.op('Reshape', [g.op('Cast', [y], { SrcT: F, DstT: I32, Truncate: { b: false } }, `label_${h.task.id}/class`), int(`label_${h.task.id}/flat`, [1], [-1])],
      { T: I32, Tshape: I32 }, `label_${h.task.id}/classes`);
    return g.op('OneHot', [classes, int(`label_${h.task.id}/depth`, [], [h.encoding === 'binary' ? 2 : h.units]), float(`label_${h.task.id}/on`, 1), float(`label_${h.task.id}/off`, 0)],
      { T: F, TI: I32, axis: { i: -1 } }, `label_${h.task.id}/onehot`);
  });
  const coef = g.placeholder('coef', [heads.length]);
  const lr = g.placeholder('lr', []);

  // Variables: a resource handle each, read once per step.
  const weights: TrainGraph['weights'] = [];
  const handles = new Map<string, string>();
  const reads = new Map<string, string>();
  const variable = (layer: string, part: string, shape: number[]) => {
    const key = `${layer}/${part}`;
    const h = g.op('VarHandleOp', [], { dtype: F, shape: { shape }, container: { s: '' }, shared_name: { s: key } }, `var/${key}`);
    handles.set(key, h);
    reads.set(key, g.op('ReadVariableOp', [h], { dtype: F }, `read/${key}`));
    weights.push({ key, layer, part, shape });
  };
  // Convolution, pooling, batch norm, flatten and reshape layers write their own ops (convLayers.ts),
  // LSTM and GRU layers theirs (recurrentLayers.ts).
  const spatial = new Map<string, GraphLayer>();
  const l2 = (l: { l2?: number }) => l.l2 ?? spec.training.l2 ?? 0;
  const context = { g, variable, read: (key: string) => reads.get(key)!, handle: (key: string) => handles.get(key)!, int, float, l2 };
  for (const l of layers) {
    if (isGraphConvLayer(l)) spatial.set(l.id, graphConvLayer(context, l, shapes.get(l.from[0]!)!, shapes.get(l.id)!));
    if (isGraphRecurrentLayer(l)) spatial.set(l.id, graphRecurrent(context, l, shapes.get(l.from[0]!)!));
    if (l.type !== 'dense') continue;
    variable(l.id, 'kernel', [widths.get(l.from[0]!)!, l.units]);
    variable(l.id, 'bias', [l.units]);
  }
  const activation = (l: DenseLayer) => (logitLayers.has(l.id) ? 'linear' : (l.activation ?? 'linear'));

  // Forward.
  for (const l of layers) {
    const args = l.from.map((f) => values.get(f)!);
    if (l.type === 'dense') {
      const z = g.op('BiasAdd', [g.op('MatMul', [args[0]!, reads.get(`${l.id}/kernel`)!], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }, `${l.id}/matmul`),
        reads.get(`${l.id}/bias`)!], { T: F, data_format: NHWC }, `${l.id}/biasadd`);
      const act = activation(l);
      const op = { relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', elu: 'Elu' }[act as 'relu'];
      values.set(l.id, op ? g.op(op, [z], { T: F }, `${l.id}/${act}`) : z);
    } else if (l.type === 'concatenate') {
      values.set(l.id, g.op('ConcatV2', [...args, int(`${l.id}/axis`, [], [1])], { T: F, N: { i: args.length }, Tidx: I32 }, l.id));
    } else if (l.type === 'add') {
      values.set(l.id, args.length === 1 ? args[0]! : g.op('AddN', args, { T: F, N: { i: args.length } }, l.id));
    } else {
      values.set(l.id, spatial.get(l.id)!.forward(args[0]!));
    }
  }

  // Losses and their gradients at the heads' outputs, scaled by coef[i].
  const coefs = g.op('Unpack', [coef], { T: F, num: { i: heads.length }, axis: { i: 0 } }, 'coefs');
  const grads = new Map<string, string[]>();
  const addGrad = (id: string, grad: string) => { if (isLayer.has(id)) (grads.get(id) ?? grads.set(id, []).get(id)!).push(grad); };
  const lossNodes: string[] = [];
  heads.forEach((h, i) => {
    const out = values.get(h.layerId)!;
    const c = i === 0 ? coefs : `${coefs}:${i}`;
    const name = `task_${h.task.id}`;
    let loss: string;
    let grad: string;
    if (h.encoding === 'value') {
      const d = g.op('Sub', [out, batchLabels[i]!], { T: F }, `${name}/error`);
      loss = g.op('Square', [d], { T: F }, `${name}/loss`);
      grad = d;
    } else {
      const logits = h.encoding === 'binary'
        ? g.op('Pad', [out, int(`${name}/padding`, [2, 2], [0, 0, 1, 0])], { T: F, Tpaddings: I32 }, `${name}/logits`) : out;
      const xent = g.op('SoftmaxCrossEntropyWithLogits', [logits, batchLabels[i]!], { T: F }, `${name}/xent`);
      loss = xent;
      grad = h.encoding === 'binary'
        ? g.op('Slice', [`${xent}:1`, int(`${name}/begin`, [2], [0, 1]), int(`${name}/size`, [2], [-1, 1])], { T: F, Index: I32 }, `${name}/backprop`)
        : `${xent}:1`;
    }
    lossNodes.push(loss);
    addGrad(h.layerId, g.op('Mul', [grad, c], { T: F }, `${name}/scaled`));
  });

  // Backward, last layer first; weight gradients by key.
  const weightGrads = new Map<string, string>();
  for (let k = layers.length - 1; k >= 0; k--) {
    const l = layers[k]!;
    const gs = grads.get(l.id);
    if (!gs) continue;
    const gy = gs.length === 1 ? gs[0]! : g.op('AddN', gs, { T: F, N: { i: gs.length } }, `${l.id}/grad`);
    if (l.type === 'dense') {
      const y = values.get(l.id)!;
      const act = activation(l);
      const gz = act === 'relu' ? g.op('ReluGrad', [gy, y], { T: F }, `${l.id}/relu_grad`)
        : act === 'sigmoid' ? g.op('SigmoidGrad', [y, gy], { T: F }, `${l.id}/sigmoid_grad`)
          : act === 'tanh' ? g.op('TanhGrad', [y, gy], { T: F }, `${l.id}/tanh_grad`)
            : act === 'elu' ? g.op('EluGrad', [gy, y], { T: F }, `${l.id}/elu_grad`) : gy;
      const x = values.get(l.from[0]!)!;
      const kernel = reads.get(`${l.id}/kernel`)!;
      // No gradient for a model input (the first layer of a 784-wide image would cost a MatMul).
      if (isLayer.has(l.from[0]!)) addGrad(l.from[0]!, g.op('MatMul', [gz, kernel], { T: F, transpose_a: { b: false }, transpose_b: { b: true } }, `${l.id}/input_grad`));
      let kernelGrad = g.op('MatMul', [x, gz], { T: F, transpose_a: { b: true }, transpose_b: { b: false } }, `${l.id}/kernel_grad`);
      // d(l2 * sum(W^2))/dW = 2 * l2 * W, joined before the optimizer as when it is part of the loss.
      if (l2(l) > 0) kernelGrad = g.op('AddV2', [kernelGrad, g.op('Mul', [kernel, float(`${l.id}/decay`, 2 * l2(l))], { T: F }, `${l.id}/decay_grad`)], { T: F }, `${l.id}/kernel_grad_l2`);
      weightGrads.set(`${l.id}/kernel`, kernelGrad);
      weightGrads.set(`${l.id}/bias`, g.op('BiasAddGrad', [gz], { T: F, data_format: NHWC }, `${l.id}/bias_grad`));
    } else if (l.type === 'concatenate') {
      const sizes = l.from.map((f) => widths.get(f)!);
      const split = g.op('SplitV', [gy, int(`${l.id}/sizes`, [sizes.length], sizes), int(`${l.id}/split_axis`, [], [1])],
        { T: F, num_split: { i: sizes.length }, Tlen: I32 }, `${l.id}/split`);
      l.from.forEach((f, j) => addGrad(f, j === 0 ? split : `${split}:${j}`));
    } else if (l.type === 'add') {
      for (const f of l.from) addGrad(f, gy);
    } else {
      const r = spatial.get(l.id)!.backward(gy, values.get(l.from[0]!)!, values.get(l.id)!, isLayer.has(l.from[0]!));
      if (r.input) addGrad(l.from[0]!, r.input);
      for (const [key, grad] of r.params) weightGrads.set(key, grad);
    }
  }

  // Updates: after every gradient (control dependencies), each with TensorFlow's own kernel.
  // A control input names a node, not one of its outputs (batch norm's gradients are outputs 1 and 2).
  const gradsDone = g.op('NoOp', [...weightGrads.values()].map((n) => `^${n.split(':')[0]}`), {}, 'gradients_done');
  const momentumValue = momentum > 0 ? float('momentum', momentum) : undefined;
  const accumulators = new Map<string, string>();
  const updates = weights.filter((w) => weightGrads.has(w.key)).map((w) => {
    const delta = weightGrads.get(w.key)!;
    if (!momentumValue) {
      return g.op('ResourceApplyGradientDescent', [handles.get(w.key)!, lr, delta, `^${gradsDone}`], { T: F, use_locking: { b: false } }, `update/${w.key}`);
    }
    const acc = g.op('VarHandleOp', [], { dtype: F, shape: { shape: w.shape }, container: { s: '' }, shared_name: { s: `${w.key}/momentum` } }, `var/${w.key}/momentum`);
    accumulators.set(w.key, acc);
    // TensorFlow's momentum: accum = mu * accum + grad; var -= lr * accum (Nesterov: var -= lr * (grad + mu * accum)), tfjs' rule.
    return g.op('ResourceApplyMomentum', [handles.get(w.key)!, acc, lr, delta, momentumValue, `^${gradsDone}`],
      { T: F, use_locking: { b: false }, use_nesterov: { b: nesterov } }, `update/${w.key}`);
  });
  const stateUpdates = [...spatial.values()].flatMap((s) => s.stateUpdates);
  const updated = g.op('NoOp', [...updates, ...stateUpdates].map((u) => `^${u}`), {}, 'updates_done');
  const losses = heads.map((h, i) => g.op('Identity', [lossNodes[i]!, `^${updated}`], { T: F }, `loss_${h.task.id}`));

  // set: every weight from a placeholder, every momentum accumulator to zero.
  const setInputs = weights.map((w) => g.placeholder(`set/${w.key}`, w.shape));
  const assigns = weights.map((w, k) => g.op('AssignVariableOp', [handles.get(w.key)!, setInputs[k]!], { dtype: F }, `assign/${w.key}`));
  const zero = float('zero', 0);
  for (const w of weights) {
    const acc = accumulators.get(w.key);
    if (!acc) continue;
    const zeros = g.op('Fill', [int(`shape/${w.key}`, [w.shape.length], w.shape), zero], { T: F, index_type: I32 }, `zeros/${w.key}`);
    assigns.push(g.op('AssignVariableOp', [acc, zeros], { dtype: F }, `assign/${w.key}/momentum`));
  }
  const setDone = g.op('Identity', [zero, ...assigns.map((a) => `^${a}`)], { T: F }, 'set_done');
  const getOutputs = weights.map((w) => g.op('Identity', [reads.get(w.key)!], { T: F }, `get/${w.key}`));

  return { savedModel: g.savedModel(['serve']), inputs, labels, rows, coef, lr, losses, weights, setInputs, setDone, getOutputs };
}
