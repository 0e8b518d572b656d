// The whole training step of a dense multi-task network as one TensorFlow graph: forward,
// loss and its gradient (SoftmaxCrossEntropyWithLogits returns both), the backward pass
// written out as ops (MatMul with transposes, BiasAddGrad, the activations' Grad ops) and
// the optimizer's own TensorFlow kernel (optimizers.ts), the same ops as the eager compiled
// step (native/denseStep.ts) but in one session call. Clipping (clipping.ts), uncertainty
// weighting (uncertainty.ts) and dropout (dropout.ts) are their own files.
// Fetching a task's loss runs the update: each loss output is an Identity with a control
// dependency on every update, and every update on every gradient (a variable is read by the
// backward pass, so none may change before all gradients are computed).
// Beside "train" the graph has "set" (placeholders -> AssignVariableOp; also resets the
// optimizer's slots and the dropout draws) and "get" (ReadVariableOp of every weight) for
// moving weights in and out.
import type { DenseLayer, ExperimentSpec, LayerSpec } from '../../core/spec';
import { inferShapes } from '../../core/shapes';
import { logitLayerIds, type TaskHead } from '../heads';
import { clipByGlobalNorm } from './clipping';
import { graphDropout } from './dropout';
import { graphConvLayer, isGraphConvLayer, type GraphLayer } from './convLayers';
import { GraphBuilder, type Attr } from './graphDef';
import { huberLossAndGrad } from './huber';
import { graphOptimizer } from './optimizers';
import { graphUncertainty, logVarianceKey } from './uncertainty';
import { addLossSums } from './lossSums';
import { addMetricSums, type MetricSumNodes } from './metricSums';
import { runningTrainMetrics } from '../../core/metricStats';
import { graphRecurrent, isGraphRecurrentLayer } from './recurrentLayers';
import { graphTaskGradients, type GradientRuns } from './taskGradients';
import { graphConflictGramians } from './conflictGramians';
import { graphEvalScores, type EvalScoreNodes } from './evalScores';
import { layersTakeHalves } from '../threads';
import { sumInOrder } from './orderedSum';

/** Names of the graph's feeds and fetches, and its weights in the order `set` and `get` take them. */
export interface TrainGraph {
  savedModel: Uint8Array;
  /**
   * One placeholder per model input, in spec.model.inputs order: the whole split; then, for
   * each input held as byte codes (uint8, its placeholder's type), its float32 table of values.
   */
  inputs: string[];
  /** One per head, the whole split's targets as the host holds them: a value [n, 1], a class number (0/1) [n]. */
  labels: string[];
  /** Per head, the type of its `labels` feed: float32 for a value, int32 for a class number. */
  labelTypes: Array<'float' | 'int32'>;
  /** int32 [n]: the batch's rows of the split. */
  rows: string;
  /** [tasks]: each task's loss weight times its gradient scale (1/n, squared error 2/n). */
  coef: string;
  /** Scalar learning rate. */
  lr: string;
  /** Per head: the per-example losses (a step in halves: the batch's even places, then its odd ones); fetching them runs the step. */
  losses: string[];
  /** Fetch that runs the step and adds its losses to the running sums (its value: the rate). */
  stepDone: string;
  /** Fetch: [heads] sum of the per-example losses since the last fetch; zeroes the sums (lossSums.ts). */
  lossSums: string;
  /** The one-call step's extra feed (lossSums.ts): 0 restarts the loss sums at this step, 1 adds to them. */
  lossKeep: string;
  /** The one-call step's fetch: runs the step as `stepDone` does; its value, the loss sums after it. */
  stepSums: string;
  /** Weight keys (`layer/part`) with their shapes; `part` names the tfjs layer's property (kernel, bias, gamma, movingMean...); `learned`: task i's uncertainty log-variance. */
  weights: Array<{ key: string; layer: string; part: string; shape: number[]; learned?: number }>;
  /** Placeholders of `set`, one per weight, and the node to fetch to run it. */
  setInputs: string[];
  setDone: string;
  /** Read outputs of `get`, one per weight. */
  getOutputs: string[];
  /** Gradient-family weighting only: the first of the step's two runs (taskGradients.ts); `stepDone` is then the second. */
  gradient?: GradientRuns;
  /** Loss-family methods (`conflict` given) and gradient methods on the shared representation: fetch [blocks, tasks, tasks], the shared layers' Gramians of the tasks' gradients on the batch; no update (conflictGramians.ts). */
  conflictGramians?: string;
  /** Evaluation's placeholders (one per model input: the examples) and outputs (one per head), where the graph has them. */
  evalInputs?: string[];
  evalOutputs?: string[];
  /** Beside `evalOutputs`, where every head's loss is written here: labels fed, each head's mean loss and predictions fetched (evalScores.ts). */
  evalScores?: EvalScoreNodes;
  /** evaluation.trainMetrics "running": the train metrics' statistics the steps add up (metricSums.ts). */
  metricSums?: MetricSumNodes;
}

/** A byte-coded input's batch (uint8 codes) as its float32 values: a table placeholder joins `inputs` (native/byteInputs.ts). */
function decodedRows(g: GraphBuilder, codes: string, id: string, inputs: string[], books: Map<string, string>): string {
  let book = books.get(id);
  if (!book) {
    book = g.placeholder(`book_${id}`, [-1]);
    inputs.push(book);
    books.set(id, book);
  }
  const index = g.op('Cast', [codes], { SrcT: { type: 'uint8' }, DstT: I32, Truncate: { b: false } }, `code_index_${id}`);
  return g.op('GatherV2', [book, index, g.op('Const', [], { dtype: I32, value: { tensor: { dtype: 'int32', shape: [], values: [0] } } }, `book_axis_${id}`)], { Tparams: F, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } }, `input_${id}`);
}
/** A gradient-family method's place in the graph: where the task gradients are taken, whether its coefficients weigh the tasks' own layers. */
export interface GraphGradientOptions { mode: 'parameters' | 'representation'; weightsOwnLayers: boolean; conflictBlocks?: readonly string[]; signDrop?: { leak: number; xla: boolean }; rule?: { id: string; params: Readonly<Record<string, unknown>>; kernels?: readonly string[] } }

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
const NHWC: Attr = { s: 'NHWC' };

/** `uncertainty`: the tasks are weighted by learned log-variances (uncertainty.ts), `coef` holds their gradient scales alone. */
/** `conflict`: the shared layers whose Gramians a loss-family method's conflict measurement reads (`conflictGramians`). */
/**
 * `halves`: the batch split in two (its even and odd places), a forward and backward pass each with no data
 * between them until their gradients are summed, so that TensorFlow's inter-op pool runs them side by side
 * (threads.ts `stepHalvesFor` decides when). Only for a plain step: dense, concatenate and add layers, no dropout,
 * weights given before the step.
 */
export function buildTrainGraph(spec: ExperimentSpec, heads: TaskHead[], topo: string[], o: { uncertainty?: boolean; coded?: ReadonlySet<string>; gradient?: GraphGradientOptions; conflict?: readonly string[]; halves?: boolean } = {}): TrainGraph {
  if (o.halves && (o.uncertainty || o.gradient || !layersTakeHalves(spec))) {
    throw new Error('buildTrainGraph: a step in halves takes dense, concatenate and add layers, without learned weights or task gradients');
  }
  const g = new GraphBuilder();
  const byId = new Map(spec.model.layers.map((l) => [l.id, l]));
  const layers = topo.map((id) => byId.get(id)).filter((l): l is LayerSpec => !!l);
  const logitLayers = logitLayerIds(heads);
  const isLayer = new Set(layers.map((l) => l.id));
  const { shapes } = inferShapes(spec);
  // A vector's width (dense and concatenate take vectors: nativeStepUnsupported).
  const widths = new Map([...shapes].map(([id, shape]) => [id, shape[shape.length - 1]!]));
  const int = (name: string, shape: number[], values: number[]) => g.constant(name, { dtype: 'int32', shape, values });
  const float = (name: string, value: number) => g.constant(name, { dtype: 'float', shape: [], values: [value] });

  // The whole split is fed (no copy: the session takes the tensors' buffers) with the batch's
  // row numbers; the batch is gathered inside the graph, one copy of its rows.
  const rows = g.placeholder('rows', [-1], 'int32');
  const axis0 = int('axis0', [], [0]);
  // Two halves (`o.halves`): the even and the odd places of `rows`, each a forward and backward pass of its own.
  const halfRows = o.halves ? [0, 1].map((first) => g.op('StridedSlice', [rows, int(`half${first}/begin`, [1], [first]), int(`half${first}/end`, [1], [0]), int(`half${first}/stride`, [1], [2])],
    { T: I32, Index: I32, begin_mask: { i: 0 }, end_mask: { i: 1 }, ellipsis_mask: { i: 0 }, new_axis_mask: { i: 0 }, shrink_axis_mask: { i: 0 } }, `half${first}/rows`)) : [rows];
  const gather = (data: string, at: string, name: string, type: Attr = F) => g.op('GatherV2', [data, at, axis0], { Tparams: type, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } }, name);
  const inputs = spec.model.inputs.map((i) => g.placeholder(`data_${i.id}`, [-1, ...i.shape], o.coded?.has(i.id) ? 'uint8' : 'float'));
  // A coded input's table placeholder is made once, by the first part's decode.
  const books = new Map<string, string>();
  const inputsOf = (at: string) => new Map(spec.model.inputs.map((i, k) => [i.id, o.coded?.has(i.id)
    ? decodedRows(g, gather(inputs[k]!, at, `codes_${i.id}`, { type: 'uint8' }), i.id, inputs, books) : gather(inputs[k]!, at, `input_${i.id}`)]));
  // Labels one value a row, as the host holds them: a value target float32 [n, 1], a class
  // number (0/1 for a binary task) int32 [n] (labelTypes): the split's one-hot labels would take
  // classes times the memory. The sparse cross-entropy takes the class numbers as they are (a
  // per-step Cast, Reshape and OneHot each cost more than their work at batch 32); a binary
  // target y is the two-class softmax over [0, logit].
  const labelTypes = heads.map((h): 'float' | 'int32' => (h.encoding === 'value' ? 'float' : 'int32'));
  const labels = heads.map((h, i) => g.placeholder(`data_label_${h.task.id}`, labelTypes[i] === 'float' ? [-1, 1] : [-1], labelTypes[i]));
  const labelsOf = (at: string) => labels.map((l, i) => gather(l, at, `label_${heads[i]!.task.id}`, { type: labelTypes[i]! }));
  const coef = g.placeholder('coef', [heads.length]);
  const lr = g.placeholder('lr', []);

  // Variables: a resource handle each, read once per step.
  const weights: TrainGraph['weights'] = [];
  const handles = new Map<string, string>();
  const reads = new Map<string, string>();
  const variable = (layer: string, key: string, shape: number[], learned?: number) => {
    const h = g.op('VarHandleOp', [], { dtype: F, shape: { shape }, container: { s: '' }, shared_name: { s: key } }, `var/${key}`);
    handles.set(key, h);
    reads.set(key, g.op('ReadVariableOp', [h], { dtype: F }, `read/${key}`));
    weights.push({ key, layer, part: key.slice(layer.length + 1), shape, ...(learned === undefined ? {} : { learned }) });
    return reads.get(key)!;
  };
  // Convolution, pooling, batch norm, flatten and reshape layers write their own ops (convLayers.ts),
  // LSTM and GRU layers theirs (recurrentLayers.ts).
  const spatial = new Map<string, GraphLayer>();
  const l2 = (l: { l2?: number }) => l.l2 ?? spec.training.l2 ?? 0;
  const context = { g, variable: (layer: string, part: string, shape: number[]) => { variable(layer, `${layer}/${part}`, shape); },
    read: (key: string) => reads.get(key)!, handle: (key: string) => handles.get(key)!, int, float,
    // With task gradients a convolution's decay joins after the backward passes too (`withDecay`).
    l2: o.gradient ? () => 0 : l2 };
  for (const l of layers) {
    if (isGraphConvLayer(l)) spatial.set(l.id, graphConvLayer(context, l, shapes.get(l.from[0]!)!, shapes.get(l.id)!));
    if (isGraphRecurrentLayer(l)) spatial.set(l.id, graphRecurrent(context, l, shapes.get(l.from[0]!)!));
    if (l.type !== 'dense') continue;
    variable(l.id, `${l.id}/kernel`, [widths.get(l.from[0]!)!, l.units]);
    variable(l.id, `${l.id}/bias`, [l.units]);
  }
  const learned = o.uncertainty ? graphUncertainty(g, heads, (i) => variable('', logVarianceKey(i), [], i)) : undefined;
  const dropoutLayers = layers.filter((l) => l.type === 'dropout' && l.rate > 0).length;
  const dropout = graphDropout(g, spec.training.seed, dropoutLayers);
  const activation = (l: DenseLayer) => (logitLayers.has(l.id) ? 'linear' : (l.activation ?? 'linear'));

  // Forward: for the step (`training`: dropout draws, batch norm by the batch's statistics) and
  // again for evaluation (below). Each layer's values by id into `values`, which holds the inputs.
  const forwardPass = (values: Map<string, string>, training: boolean) => {
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
        values.set(l.id, sumInOrder(g, args, l.id));
      } else if (l.type === 'dropout') {
        values.set(l.id, training ? dropout.forward(l.id, l.rate, args[0]!) : args[0]!);
      } else {
        const layer = spatial.get(l.id)!;
        values.set(l.id, training ? layer.forward(args[0]!) : layer.infer!(args[0]!));
      }
    }
  };
  // Losses and their gradients at the heads' outputs, scaled by coef[i].
  const coefs = g.op('Unpack', [coef], { T: F, num: { i: heads.length }, axis: { i: 0 } }, 'coefs');
  /** The training forward of the rows `at` (the batch, or one of its halves), each head's loss and its gradient there. */
  const forwardAndLosses = (at: string) => {
    const values = inputsOf(at);
    const batchLabels = labelsOf(at);
    forwardPass(values, true);
    const seeds: string[] = [];
    const lossNodes: string[] = [];
    const outputGrads: string[] = [];
    heads.forEach((h, i) => {
      const out = values.get(h.layerId)!;
      const c = i === 0 ? coefs : `${coefs}:${i}`;
      const name = `task_${h.task.id}`;
      let loss: string;
      let grad: string;
      if (h.encoding === 'value') {
        const d = g.op('Sub', [out, batchLabels[i]!], { T: F }, `${name}/error`);
        if (h.loss === 'huber') {
          ({ loss, grad } = huberLossAndGrad(g, d, `${name}/huber`));
        } else {
          loss = g.op('Square', [d], { T: F }, `${name}/loss`);
          grad = d;
        }
      } else {
        const logits = h.encoding === 'binary'
          ? g.op('Pad', [out, int(`${name}/padding`, [2, 2], [0, 0, 1, 0])], { T: F, Tpaddings: I32 }, `${name}/logits`) : out;
        const xent = g.op('SparseSoftmaxCrossEntropyWithLogits', [logits, batchLabels[i]!], { T: F, Tlabels: I32 }, `${name}/xent`);
        loss = xent;
        grad = h.encoding === 'binary'
          ? g.op('Slice', [`${xent}:1`, int(`${name}/begin`, [2], [0, 1]), int(`${name}/size`, [2], [-1, 1])], { T: F, Index: I32 }, `${name}/backprop`)
          : `${xent}:1`;
      }
      lossNodes.push(loss);
      outputGrads.push(grad);
      const scaled = g.op('Mul', [grad, c], { T: F }, `${name}/scaled`);
      seeds.push(learned ? learned.weigh(i, scaled, loss, h.encoding === 'value' ? 2 : 1) : scaled);
    });
    return { values, batchLabels, seeds, lossNodes, outputGrads };
  };
  const parts = halfRows.map(forwardAndLosses);
  const { values, seeds } = parts[0]!;
  // Per-row results of the halves joined in the order of their rows (`halfRows` concatenated).
  const joined = (pick: (p: (typeof parts)[number]) => string, name: string) => (parts.length === 1 ? pick(parts[0]!)
    : g.op('ConcatV2', [...parts.map(pick), axis0], { T: F, N: { i: parts.length }, Tidx: I32 }, name));
  const lossNodes = heads.map((h, i) => joined((p) => p.lossNodes[i]!, `task_${h.task.id}/losses`));
  const batchLabels = parts.length === 1 ? parts[0]!.batchLabels
    : heads.map((h, i) => g.op('ConcatV2', [...parts.map((p) => p.batchLabels[i]!), axis0], { T: { type: labelTypes[i]! }, N: { i: parts.length }, Tidx: I32 }, `label_${h.task.id}/joined`));
  const batchRows = parts.length === 1 ? rows : g.op('ConcatV2', [...halfRows, axis0], { T: I32, N: { i: parts.length }, Tidx: I32 }, 'rows/joined');

  /**
   * Backpropagates `grads` (layer id -> parts of the gradient at its output) through the layers
   * `through` holds, last first, adding each weight's gradient (without its decay) by key to
   * `weightGrads`; what reaches a layer outside `through` stays in `grads`. Task gradients
   * (taskGradients.ts) run it once per task. `at`: the forward values it reads (the forward's, or
   * copies of them kept for a later call). `preActivation`: where given, each dense layer's
   * gradient at its pre-activation by layer id (the conflict measurement's Gramians: conflictGramians.ts).
   */
  const backward = (grads: Map<string, string[]>, through: (id: string) => boolean = () => true, weightGrads = new Map<string, string>(), at: ReadonlyMap<string, string> = values,
    preActivation?: Map<string, string>) => {
    const addGrad = (id: string, grad: string) => { if (isLayer.has(id)) (grads.get(id) ?? grads.set(id, []).get(id)!).push(grad); };
    for (let k = layers.length - 1; k >= 0; k--) {
      const l = layers[k]!;
      const gs = grads.get(l.id);
      if (!gs || !through(l.id)) continue;
      grads.delete(l.id);
      const gy = sumInOrder(g, gs, `${l.id}/grad`);
      if (l.type === 'dense') {
        const y = at.get(l.id)!;
        const act = activation(l);
        const gz = act === 'relu' ? g.op('ReluGrad', [gy, y], { T: F }, `${l.id}/relu_grad`)
          : act === 'sigmoid' ? g.op('SigmoidGrad', [y, gy], { T: F }, `${l.id}/sigmoid_grad`)
            : act === 'tanh' ? g.op('TanhGrad', [y, gy], { T: F }, `${l.id}/tanh_grad`)
              : act === 'elu' ? g.op('EluGrad', [gy, y], { T: F }, `${l.id}/elu_grad`) : gy;
        preActivation?.set(l.id, gz);
        const x = at.get(l.from[0]!)!;
        const kernel = reads.get(`${l.id}/kernel`)!;
        // No gradient for a model input (the first layer of a 784-wide image would cost a MatMul).
        if (isLayer.has(l.from[0]!)) addGrad(l.from[0]!, g.op('MatMul', [gz, kernel], { T: F, transpose_a: { b: false }, transpose_b: { b: true } }, `${l.id}/input_grad`));
        weightGrads.set(`${l.id}/kernel`, g.op('MatMul', [x, gz], { T: F, transpose_a: { b: true }, transpose_b: { b: false } }, `${l.id}/kernel_grad`));
        weightGrads.set(`${l.id}/bias`, g.op('BiasAddGrad', [gz], { T: F, data_format: NHWC }, `${l.id}/bias_grad`));
      } else if (l.type === 'concatenate') {
        const sizes = l.from.map((f) => widths.get(f)!);
        const split = g.op('SplitV', [gy, int(`${l.id}/sizes`, [sizes.length], sizes), int(`${l.id}/split_axis`, [], [1])],
          { T: F, num_split: { i: sizes.length }, Tlen: I32 }, `${l.id}/split`);
        l.from.forEach((f, j) => addGrad(f, j === 0 ? split : `${split}:${j}`));
      } else if (l.type === 'dropout') {
        addGrad(l.from[0]!, dropout.backward(l.id, gy));
      } else if (l.type === 'add') {
        for (const f of l.from) addGrad(f, gy);
      } else {
        const r = spatial.get(l.id)!.backward(gy, at.get(l.from[0]!)!, at.get(l.id)!, isLayer.has(l.from[0]!));
        if (r.input) addGrad(l.from[0]!, r.input);
        for (const [key, grad] of r.params) weightGrads.set(key, grad);
      }
    }
    return weightGrads;
  };
  // A dense kernel's decay joins after the backward passes: with task gradients it joins the
  // combined direction once, not each task's gradient (so does a convolution's then; else it is
  // in the convolution's backward, convLayers.ts).
  const decayed = new Set(layers.filter((l) => (l.type === 'dense' || (o.gradient && l.type === 'conv2d')) && l2(l) > 0).map((l) => `${l.id}/kernel`));
  /** d(l2 * sum(W^2))/dW = 2 * l2 * W, joined before the optimizer as when it is part of the loss. */
  const withDecay = (grads: Map<string, string>) => new Map([...grads].map(([key, grad]) => {
    if (!decayed.has(key)) return [key, grad];
    const id = key.slice(0, -'/kernel'.length);
    const l = byId.get(id)!;
    return [key, g.op('AddV2', [grad, g.op('Mul', [reads.get(key)!, float(`${id}/decay`, 2 * l2(l as { l2?: number }))], { T: F }, `${id}/decay_grad`)], { T: F }, `${id}/kernel_grad_l2`)];
  }));

  // Equal footing: one backward pass of the weighted sum. Task gradients: one per task, combined by the method's coefficients in a second run.
  // The conflict measurement leaves dropout out: it reads the task gradients only without it.
  const conflictBlocks = dropoutLayers ? undefined : o.gradient?.conflictBlocks;
  const gradient = o.gradient ? graphTaskGradients(g, { spec, heads, seeds, losses: lossNodes, backward, values, reads, shapes, weights, ...o.gradient, conflictBlocks }) : undefined;
  // Halves: each one's backward pass on its own forward values, the two gradients summed (each seed is scaled by the whole batch's coef).
  const seededOf = (part: (typeof parts)[number]) => {
    const seeded = new Map<string, string[]>();
    heads.forEach((h, i) => { if (isLayer.has(h.layerId)) (seeded.get(h.layerId) ?? seeded.set(h.layerId, []).get(h.layerId)!).push(part.seeds[i]!); });
    return seeded;
  };
  const halfGrads = (): Map<string, string> => {
    const [a, b] = parts.map((p) => backward(seededOf(p), undefined, new Map(), p.values)) as [Map<string, string>, Map<string, string>];
    return new Map([...a].map(([key, grad]) => [key, g.op('AddV2', [grad, b.get(key)!], { T: F }, `${key}_grad_sum`)]));
  };
  const weightGrads = withDecay(gradient ? gradient.weightGrads : parts.length > 1 ? halfGrads() : backward(seededOf(parts[0]!)));

  // Updates: after every gradient (control dependencies), each with TensorFlow's own kernel.
  for (const [key, grad] of learned?.grads ?? []) weightGrads.set(key, grad);
  // A control input names a node, not one of its outputs (batch norm's gradients are outputs 1 and 2).
  const gradsDone = g.op('NoOp', [...weightGrads.values()].map((n) => `^${n.split(':')[0]}`), {}, 'gradients_done');
  const rank = new Map(weights.map((w) => [w.key, w.shape.length]));
  const clipNorm = spec.training.clipNorm ?? 0;
  const stepGrads = clipNorm > 0 ? clipByGlobalNorm(g, new Map([...weightGrads].map(([key, grad]) => [key, { grad, rank: rank.get(key)! }])), clipNorm) : weightGrads;
  const optimizer = graphOptimizer(g, spec.training.optimizer, lr,
    weights.filter((w) => stepGrads.has(w.key)).map((w) => ({ key: w.key, handle: handles.get(w.key)!, shape: w.shape, grad: stepGrads.get(w.key)! })), gradsDone);
  const stateUpdates = [...spatial.values()].flatMap((s) => s.stateUpdates);
  const drawn = dropout.done();
  // With task gradients the first run draws the masks and sums the losses; the second updates.
  const updated = g.op('NoOp', [...optimizer.done, ...(gradient ? [] : drawn), ...stateUpdates].map((u) => `^${u}`), {}, 'updates_done');
  const losses = heads.map((h, i) => g.op('Identity', [lossNodes[i]!, `^${updated}`], { T: F }, `loss_${h.task.id}`));
  const sums = addLossSums(g, lossNodes, heads.map((h) => (h.encoding === 'value' ? 2 : 1)));
  const metricSums = runningTrainMetrics(spec) ? addMetricSums(g, heads, heads.map((h) => joined((p) => p.values.get(h.layerId)!, `out_${h.task.id}/joined`)), batchLabels, batchRows) : undefined;
  const counted = [sums.accumulate, ...(metricSums?.accumulate ?? [])];
  const stepDone = g.op('Identity', [lr, `^${updated}`, ...(gradient ? [] : counted.map((a) => `^${a}`))], { T: F }, 'step_done');
  const stepSums = g.op('Identity', [sums.running, `^${updated}`, ...counted.map((a) => `^${a}`)], { T: F }, 'step_done_sums');
  const gradientRuns = gradient?.runs([...counted, ...drawn]);

  // set: every weight from a placeholder, the optimizer's slots and the dropout draws to their start.
  const setInputs = weights.map((w) => g.placeholder(`set/${w.key}`, w.shape));
  const assigns = weights.map((w, k) => g.op('AssignVariableOp', [handles.get(w.key)!, setInputs[k]!], { dtype: F }, `assign/${w.key}`));
  const setDone = g.op('Identity', [float('set_done_value', 0), ...[...assigns, ...optimizer.resets, ...dropout.resets, sums.reset, ...(metricSums?.reset ?? []), ...(gradientRuns?.ruled?.resets ?? [])].map((a) => `^${a}`)], { T: F }, 'set_done');
  const getOutputs = weights.map((w) => g.op('Identity', [reads.get(w.key)!], { T: F }, `get/${w.key}`));
  // The tape measures without dropout and with batch normalisation in inference mode: the step's forward values serve only without either.
  // A gradient method on the shared representation has no task gradients on the shared weights to
  // serve it either: without this run the loop measured on the tape, some 375 eager ops every 200
  // steps (weightingCost.ts --profile: 1.9 TF ops a step, 4 tasks), a tenth of equal weighting's step.
  const measured = o.conflict ?? (o.gradient?.mode === 'representation' ? o.gradient.conflictBlocks : undefined);
  const conflictGramians = measured?.length && !dropoutLayers && !layers.some((l) => l.type === 'batchNormalization')
    ? (() => {
      // A step in halves measures on a whole-batch forward of its own (a run of this fetch alone: the step never runs it).
      const whole = parts.length === 1 ? parts[0]! : forwardAndLosses(rows);
      return graphConflictGramians(g, { heads, grads: whole.outputGrads, factors: heads.map((h) => (h.encoding === 'value' && h.loss !== 'huber' ? 2 : 1)), rows, weights, blocks: measured,
        backward: (grads) => { const preActivation = new Map<string, string>(); return { weights: backward(grads, undefined, new Map(), whole.values, preActivation), preActivation }; },
        denseInput: (id) => { const l = byId.get(id); return l?.type === 'dense' ? { x: whole.values.get(l.from[0]!)!, inputs: widths.get(l.from[0]!)!, units: l.units } : undefined; },
        batchSize: spec.training.batchSize });
    })()
    : undefined;

  // Evaluation, where every layer has an inference form here (recurrent layers have none yet): the
  // examples fed as they are, the heads' outputs as the eager forward gives them (logits where the
  // loss takes logits). On the bench's CNN, 2,000 rows cost 0.13 s of CPU here against 0.22 s eagerly.
  const evaluation = [...spatial.values()].every((s) => s.infer) ? (() => {
    const evalValues = new Map<string, string>();
    const evalInputs = spec.model.inputs.map((i) => { const p = g.placeholder(`eval/data_${i.id}`, [-1, ...i.shape]); evalValues.set(i.id, p); return p; });
    forwardPass(evalValues, false);
    const evalOutputs = heads.map((h) => g.op('Identity', [evalValues.get(h.layerId)!], { T: F }, `eval/out_${h.task.id}`));
    const evalScores = graphEvalScores(g, heads, evalOutputs, labelTypes);
    return { evalInputs, evalOutputs, ...(evalScores ? { evalScores } : {}) };
  })() : {};

  return { savedModel: g.savedModel(['serve']), inputs, labels, labelTypes, rows, coef, lr, losses, stepDone, lossSums: sums.take, lossKeep: sums.keep, stepSums, weights, setInputs, setDone, getOutputs, ...(conflictGramians ? { conflictGramians } : {}), ...evaluation, ...(gradientRuns ? { gradient: gradientRuns } : {}), ...(metricSums ? { metricSums } : {}) };
}
