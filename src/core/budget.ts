// Memory before work: an estimate of what training a spec holds at its peak, from the spec
// alone (and the data's size when the caller knows it), so a model or data set that cannot
// fit is refused with a located message before any tensor is allocated or row generated.
// Without it, `units: 1e7` grew past 14 GB, conv `filters: 1e6` ended in SIGSEGV and a
// synthetic `inputDim: 1e9` aborted V8. The figures are simple (float32 everywhere) and say
// "about": they are for refusing what cannot fit, not for predicting RSS to the megabyte.
// Calibrated against tfjs-node runs of digits-parity with a 16,384-unit trunk (peak RSS
// growth over the 128-unit model: SGD 740 MB measured, 620 MB estimated; Adam 1,181 MB
// measured, 1,065 MB estimated). The process itself (Node, TensorFlow) adds about 0.5 GB.
import { isObject } from './checkHelpers';
import type { JsonPath } from './edits';
import { analyzeGraph, type Graph } from './graph';
import { countParams } from './params';
import { inferShapes, type Shape } from './shapes';
import type { ExperimentSpec, LayerSpec, MmoeLayer, ModelSpec, OptimizerSpec, PleLayer } from './spec';
import { formatPath } from './wording';

const FLOAT_BYTES = 4;
/** Evaluation runs the forward pass in batches of this many examples (trainer/evaluate.ts). */
export const EVAL_BATCH = 2048;
/** The training step keeps every layer's tensors for backprop and makes a gradient of each. */
const TRAIN_COPIES = 2;
/**
 * Data lives twice while training: the host's Float32Arrays of the splits, and the device
 * tensors made from them (tfjs-node copies into native memory).
 */
const DATA_COPIES = 2;

/** What the caller knows about the data's size without loading it. */
export interface DataSize {
  /** Examples in the whole data set (all splits). */
  rows?: number;
  /** Feature values per example, when known (default: the model inputs' sizes). */
  features?: number;
}

/**
 * Tensors of each parameter's size that tfjs's update creates inside one tidy (the scaled
 * gradient and the new value for SGD; Adam's moment updates, bias corrections and step):
 * measured, Adam peaks about 8 floats per parameter above SGD.
 */
function updateTemporaries(o: OptimizerSpec): number {
  switch (o.type) {
    case 'sgd': return o.momentum ? 3 : 2;
    case 'adam': return 8;
    case 'rmsprop': return 6;
    case 'adagrad': return 4;
    default: return 2;
  }
}

/** Extra float32 values per parameter kept by each optimizer (tfjs slots). */
export function optimizerSlots(o: OptimizerSpec): number {
  switch (o.type) {
    case 'sgd': return o.momentum ? 1 : 0; // momentum: one accumulator
    case 'adam': return 2; // first and second moments
    case 'rmsprop': return 2; // mean squares and moments (tfjs creates both)
    case 'adagrad': return 1; // squared-gradient accumulator
    default: return 0; // a document still being typed
  }
}

/** A usable count (the designer estimates documents that are still being typed). */
const count = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : undefined);

export interface EstimatePart {
  bytes: number;
  /** Where the user would change it: the JSON path of the biggest contributor to this part. */
  path: JsonPath;
  /** "units of layer \"wide\"": the setting at `path`, in words. */
  knob: string;
}

export interface MemoryEstimate {
  /** Sum of the parts, in bytes. */
  total: number;
  /** Weights, their gradients, the optimizer's state and its update's temporaries. */
  parameters: EstimatePart & { count: number; optimizerSlots: number; floatsPerParameter: number };
  /** Layer outputs of one batch: the larger of a training step and an evaluation batch. */
  activations: EstimatePart & {
    batchSize: number;
    /** Values of one example's tensors: what each node's layer makes (layerValues). */
    perExample: number;
    /** Set when an evaluation batch (forward pass only, but EVAL_BATCH examples) outweighs a training step. */
    evaluationBatch?: number;
  };
  /** The examples of every split and their targets; bytes 0 when the row count is unknown. */
  data: EstimatePart & { rows?: number; features: number };
  /** False when some shape or count could not be inferred (the estimate is then a lower bound). */
  complete: boolean;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Tensors the size of a layer's output that its forward pass makes: a dense or conv layer
 * its product, the bias added, and the activation applied (each a new tensor); others one.
 */
export function tensorsPerOutput(layer: LayerSpec | undefined): number {
  if (!layer || (layer.type !== 'dense' && layer.type !== 'conv2d' && layer.type !== 'parallelDense')) return 1;
  return 1 + (layer.useBias === false ? 0 : 1) + (layer.activation !== undefined && layer.activation !== 'linear' ? 1 : 0);
}

/** Values per unit per time step that a recurrent layer keeps for its backward pass (native/lstm.ts, gru.ts: input and recurrent projections, gates, cell). */
const RECURRENT_VALUES = { lstm: 20, gru: 15 } as const;

/** One expert of a mixture block: its product, the bias added and the activation (ReLU unless set; linear adds none). */
const expertValues = (b: MmoeLayer | PleLayer): number => b.units * (b.activation === 'linear' ? 2 : 3);

/**
 * Values of one example's tensors that a layer's forward pass makes and keeps for its
 * backward pass, given its output and input shapes. Most layers make a few tensors of their
 * output's size (tensorsPerOutput); a recurrent layer makes its gates at every time step,
 * whatever it returns; a mixture block makes every expert's output, each gate and each
 * task's weighted experts before the sum (its output is only that sum).
 */
export function layerValues(layer: LayerSpec | undefined, output: Shape, input: Shape | undefined): number {
  const out = product(output);
  if (!layer) return out;
  switch (layer.type) {
    case 'lstm': case 'gru':
      return Math.max(out, (input?.[0] ?? 1) * RECURRENT_VALUES[layer.type] * layer.units);
    case 'mmoe':
      // Experts (product, bias, activation), a gate per task (logits, bias, softmax), weighted experts, their sums.
      return layer.experts * expertValues(layer) + layer.tasks * layer.experts * (3 + layer.units) + out;
    case 'ple': {
      const experts = layer.sharedExperts + layer.tasks * layer.taskExperts;
      const levels = layer.levels ?? 1;
      // Each level: every expert, a gate per task over its own and the shared experts, and below the top a shared gate over all.
      const level = (top: boolean): number => experts * expertValues(layer)
        + layer.tasks * (layer.taskExperts + layer.sharedExperts) * (3 + layer.units) + layer.tasks * layer.units
        + (top ? 0 : experts * (3 + layer.units) + layer.units);
      let sum = 0;
      for (let k = 0; k < levels; k++) sum += level(k === levels - 1);
      return sum;
    }
    default:
      return out * tensorsPerOutput(layer);
  }
}

/** The setting that makes a layer big, for messages and problem paths. */
function sizeField(layer: LayerSpec): string | undefined {
  switch (layer.type) {
    case 'dense': case 'lstm': case 'gru': return 'units';
    case 'conv2d': return 'filters';
    case 'embedding': return layer.inputDim >= layer.outputDim ? 'inputDim' : 'outputDim';
    case 'reshape': return 'targetShape';
    default: return undefined;
  }
}

function layerKnob(graph: Graph, id: string): { path: JsonPath; knob: string } {
  const node = graph.nodes.get(id);
  if (!node) return { path: ['model'], knob: 'the model' };
  if (node.kind === 'input') return { path: ['model', 'inputs', node.index, 'shape'], knob: `the shape of input "${id}"` };
  const field = sizeField(node.layer);
  const path: JsonPath = ['model', 'layers', node.index, ...(field ? [field] : [])];
  return { path, knob: field ? `${field} of layer "${id}"` : `the output of layer "${id}" (what feeds it)` };
}

/** Rows known from the spec itself (explicit sizes of generated sources). */
function specRows(spec: ExperimentSpec): number | undefined {
  const s = spec.data.source;
  if (s.type === 'mnist') return count(s.limit);
  if (s.type === 'multimnist' || s.type === 'synthetic-correlated' || s.type === 'synthetic-sequence') return count(s.samples);
  return undefined;
}

function dataKnob(spec: ExperimentSpec, rows: number | undefined, features: number): { path: JsonPath; knob: string } {
  const s = spec.data.source;
  switch (s.type) {
    case 'mnist': return { path: ['data', 'source', 'limit'], knob: 'data.source.limit' };
    case 'multimnist':
    case 'synthetic-sequence': return { path: ['data', 'source', 'samples'], knob: 'data.source.samples' };
    case 'synthetic-correlated':
      // Whichever of the two factors is the unusual one (both default to modest sizes).
      return count(s.inputDim) !== undefined && (rows === undefined || features > rows)
        ? { path: ['data', 'source', 'inputDim'], knob: 'data.source.inputDim' }
        : { path: ['data', 'source', 'samples'], knob: 'data.source.samples' };
    default: return { path: ['data', 'source', 'path'], knob: 'the rows of the data file' };
  }
}

/**
 * Peak memory of training `spec` (its shared model, the largest of the models a run trains).
 * Reads a valid spec; `data` from the caller (the trainer counts rows) wins over the spec.
 */
export function estimateMemory(spec: ExperimentSpec, data: DataSize = {}): MemoryEstimate {
  const graph = analyzeGraph(spec);
  const batch = count(spec.training.batchSize) ?? 1;
  const { shapes } = inferShapes(spec, graph);
  const params = countParams(spec, graph, shapes);
  let complete = params.complete;

  // Parameters: weight, gradient, optimizer slots and the update's temporaries, 4 bytes each.
  const slots = optimizerSlots(spec.training.optimizer);
  const floatsPerParameter = 2 + slots + updateTemporaries(spec.training.optimizer);
  let biggestLayer: string | undefined;
  for (const [id, n] of params.perNode) {
    if ((graph.serves.get(id)?.length ?? 0) > 0 && (biggestLayer === undefined || n > params.perNode.get(biggestLayer)!)) biggestLayer = id;
  }
  const parameters = {
    bytes: params.total * FLOAT_BYTES * floatsPerParameter, count: params.total, optimizerSlots: slots, floatsPerParameter,
    ...layerKnob(graph, biggestLayer ?? ''),
  };

  // Activations: every serving node's tensors per example (inputs included), times the batch;
  // the widest (an input's shape, or a layer's size setting) is what to lower.
  let perExample = 0;
  let widest: string | undefined, widestSize = 0;
  for (const [id, tasks] of graph.serves) {
    if (tasks.length === 0) continue;
    const shape: Shape | undefined = shapes.get(id);
    if (!shape) { complete = false; continue; }
    const node = graph.nodes.get(id);
    const layer = node?.kind === 'layer' ? node.layer : undefined;
    const size = layerValues(layer, shape, layer ? shapes.get(layer.from[0]!) : undefined);
    perExample += size;
    if (size > widestSize) { widest = id; widestSize = size; }
  }
  const rows = data.rows ?? specRows(spec);
  const batchSize = rows === undefined ? batch : Math.min(batch, rows);
  const evalBatch = rows === undefined ? EVAL_BATCH : Math.min(EVAL_BATCH, rows);
  const trainBytes = batchSize * perExample * FLOAT_BYTES * TRAIN_COPIES;
  const evalBytes = evalBatch * perExample * FLOAT_BYTES;
  // A batch beyond the evaluation batch is itself the unusual setting; otherwise the widest layer is.
  const byBatch = trainBytes >= evalBytes && batchSize > EVAL_BATCH;
  const activations = {
    bytes: Math.max(trainBytes, evalBytes), batchSize, perExample, ...(evalBytes > trainBytes ? { evaluationBatch: evalBatch } : {}),
    ...(byBatch ? { path: ['training', 'batchSize'], knob: 'training.batchSize' } : layerKnob(graph, widest ?? '')),
  };

  // Data: features and targets of every example, twice (host arrays and device tensors).
  const inputValues = spec.model.inputs.reduce((sum, input) => sum + (shapes.has(input.id) ? product(shapes.get(input.id)!) : 0), 0);
  const source = spec.data.source;
  const inputDim = source.type === 'synthetic-correlated' ? count(source.inputDim) : undefined;
  const features = data.features ?? Math.max(inputDim ?? 0, inputValues);
  // Each task's target: one value, plus a one-hot row on the device for classification heads wider than 1.
  const targetValues = spec.tasks.reduce((sum, task) => {
    const out = spec.model.outputs[task.id];
    const width = out === undefined ? 1 : shapes.get(out)?.at(-1) ?? 1;
    return sum + 1 + (task.kind !== 'regression' && width > 1 ? width : 1);
  }, 0);
  const dataBytes = rows === undefined ? 0 : rows * (features * DATA_COPIES + targetValues) * FLOAT_BYTES;
  const dataPart = { bytes: dataBytes, features, ...(rows !== undefined ? { rows } : {}), ...dataKnob(spec, rows, features) };

  return { total: parameters.bytes + activations.bytes + dataPart.bytes, parameters, activations, data: dataPart, complete };
}

/**
 * The estimate of a document that may be partly invalid, with its model made well-formed by
 * the caller (the designer's summary bar, while the user types); undefined without a usable
 * training.batchSize.
 */
export function estimateDocument(doc: Record<string, unknown>, model: ModelSpec, size: DataSize = {}): MemoryEstimate | undefined {
  const training = isObject(doc.training) ? doc.training : {};
  if (count(training.batchSize) === undefined) return undefined;
  const data = isObject(doc.data) && isObject(doc.data.source) ? doc.data : { source: {} };
  const tasks = (Array.isArray(doc.tasks) ? doc.tasks : []).filter((t): t is Record<string, unknown> => isObject(t) && typeof t.id === 'string');
  const spec = {
    data, tasks, model,
    training: { ...training, optimizer: isObject(training.optimizer) ? training.optimizer : {} },
  } as unknown as ExperimentSpec;
  return estimateMemory(spec, size);
}

/** The most memory a run may take, and where that limit comes from (for the message). */
export interface MemoryBudget {
  bytes: number;
  /** "half this machine's memory", "multiTaskStudio.maxMemory", "--max-memory". */
  source: string;
  /** The setting that raises it: "multiTaskStudio.maxMemory" or "--max-memory". */
  raise: string;
}

/**
 * The user's limit when set (`raise` names where: "multiTaskStudio.maxMemory", "--max-memory"),
 * else half the machine's memory (the caller reads os.totalmem(); core cannot).
 */
export function memoryBudget(maxMemoryBytes: number | undefined, totalMemoryBytes: number, raise: string): MemoryBudget {
  if (maxMemoryBytes !== undefined && maxMemoryBytes > 0) return { bytes: maxMemoryBytes, source: `${raise} ${formatBytes(maxMemoryBytes)}`, raise };
  return { bytes: Math.floor(totalMemoryBytes / 2), source: `half this machine's ${formatBytes(totalMemoryBytes)}`, raise };
}

const UNITS: [string, number][] = [['TB', 1024 ** 4], ['GB', 1024 ** 3], ['MB', 1024 ** 2], ['KB', 1024]];

/** 12 MB, 1.5 GB, 38 GB, 512 bytes: binary units, at most one decimal, two significant figures or more. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of UNITS) {
    if (bytes >= size) {
      const v = bytes / size;
      return `${v >= 10 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1).replace(/\.0$/, '')} ${unit}`;
    }
  }
  return `${Math.round(bytes)} bytes`;
}

/**
 * "8GB", "512 MB", "1.5g", or a number of megabytes (the setting's number form) -> bytes;
 * undefined when it is not a positive size.
 */
export function parseMemorySize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value * 1024 ** 2 : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] || 'm').toLowerCase();
  const scale = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[unit]!;
  return n > 0 ? n * scale : undefined;
}

/** "~ 12 MB at batch 32": the designer's summary and the CLI's line. */
export function describeEstimate(e: MemoryEstimate): string {
  return `~ ${formatBytes(e.total)} at batch ${e.activations.batchSize.toLocaleString('en-US')}${e.data.rows === undefined ? ' (data not counted)' : ''}`;
}

/**
 * The refusal, when the estimate passes the budget: one error at the biggest part's path.
 * `scope` "data" compares only the data (a data preview builds no model).
 */
export function checkBudget(spec: ExperimentSpec, budget: MemoryBudget, data: DataSize = {}, scope: 'training' | 'data' = 'training'): { path: JsonPath; message: string; severity: 'error' }[] {
  const e = estimateMemory(spec, data);
  const need = scope === 'data' ? e.data.bytes : e.total;
  if (!(need > budget.bytes)) return [];
  const parts = scope === 'data' ? [e.data] : [e.parameters, e.activations, e.data];
  const biggest = parts.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const breakdown = scope === 'data'
    ? `for ${e.data.rows?.toLocaleString('en-US')} examples of ${e.data.features.toLocaleString('en-US')} values`
    : `for ${[
      `parameters, gradients and optimizer state ${formatBytes(e.parameters.bytes)} (${e.parameters.count.toLocaleString('en-US')} parameters)`,
      e.activations.evaluationBatch === undefined
        ? `activations at batch ${e.activations.batchSize.toLocaleString('en-US')} ${formatBytes(e.activations.bytes)}`
        : `activations ${formatBytes(e.activations.bytes)} (evaluation batches of ${e.activations.evaluationBatch.toLocaleString('en-US')})`,
      ...(e.data.rows !== undefined ? [`data ${formatBytes(e.data.bytes)}`] : []),
    ].join(', ')}`;
  // A smaller training batch helps only when a training step, not evaluation, sets the activations.
  const lower = biggest === e.activations && biggest.knob !== 'training.batchSize' && e.activations.evaluationBatch === undefined
    ? `${biggest.knob} or training.batchSize` : biggest.knob;
  return [{
    path: biggest.path, severity: 'error',
    message: `${scope === 'data' ? 'The data needs' : 'Training needs'} about ${formatBytes(need)} ${breakdown}; the budget is ${formatBytes(budget.bytes)} (${budget.source}). Lower ${lower} (at ${formatPath(biggest.path)}), or raise ${budget.raise}.`,
  }];
}
