// Moves a split's inputs onto the backend once, shaped as the model's inputs; batches are
// then gathered on the device. Labels stay on the host (the targets, one value per row) and
// become tensors a batch or a block of batches at a time (labelTensor): a split's one-hot
// labels held whole on the device would add classes x 4 bytes per row to a run's memory.
import type * as TF from '@tensorflow/tfjs';
import type { ExperimentSpec } from '../core/spec';
import type { Tf } from './backend';
import type { Dataset } from './data/dataset';
import type { TaskHead } from './heads';
import { own } from '../core/own';
import { fillUnlabelled, hasUnlabelled, labelledRows } from './labelMask';
import { SpecError } from './specError';
import { codedRange, codedRows, uploadCoded, type CodedInput } from './native/byteInputs';

export interface DeviceSplit {
  n: number;
  x: Map<string, TF.Tensor>;
  /** Host arrays of the targets (class index or value; NaN where a row lacks it), for metrics and loss masks. */
  targets: Map<string, Float32Array>;
  /**
   * Inputs held as byte codes (native/byteInputs.ts): their `x` is the codes tensor, which no
   * tfjs op may read; inputRows and inputRange give their rows as float32.
   */
  coded?: Map<string, CodedInput>;
}

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

function selectColumns(ds: Dataset, names: string[], inputIndex: number): Float32Array {
  const dim = ds.featureNames.length;
  const cols = names.map((name, j) => {
    const c = ds.featureNames.indexOf(name);
    if (c < 0) throw new SpecError(`Feature "${name}" is not in the data (columns: ${ds.featureNames.join(', ')}).`, ['model', 'inputs', inputIndex, 'features', j]);
    return c;
  });
  const out = new Float32Array(ds.n * cols.length);
  for (let i = 0; i < ds.n; i++) for (let j = 0; j < cols.length; j++) out[i * cols.length + j] = ds.features[i * dim + cols[j]!]!;
  return out;
}

/**
 * `coded`: float32 inputs of at most 256 distinct values are held as byte codes (native
 * TensorFlow only; the run asks it for the training and validation splits, whose readers are
 * the step's gathers, a baseline's labelled rows and evaluation, all through inputRows / inputRange).
 * `consume`: the split's host features are not read after this (the run releases them next):
 * coded inputs are coded over their memory, with no second host array.
 */
export function toDevice(tf: Tf, spec: ExperimentSpec, heads: TaskHead[], ds: Dataset, o: { coded?: boolean; consume?: boolean } = {}): DeviceSplit {
  const x = new Map<string, TF.Tensor>();
  const coded = new Map<string, CodedInput>();
  // Overwritten only where one input is the features' one reader: another would read codes.
  const overwrite = !!o.consume && spec.model.inputs.length === 1;
  for (const [i, input] of spec.model.inputs.entries()) {
    const codes = o.coded && input.dtype !== 'int32' && !input.features ? uploadCoded(tf, checkedFeatures(ds, input, i), [ds.n, ...input.shape], overwrite) : undefined;
    if (codes) coded.set(input.id, codes);
    x.set(input.id, codes ? codes.codes : uploadInput(tf, ds, input, i));
  }
  return { n: ds.n, x, targets: targetsFor(spec, heads, ds), ...(coded.size ? { coded } : {}) };
}

/** Where rows of inputs are read from: a split's tensors and its byte-coded inputs. */
export interface InputSource { x: ReadonlyMap<string, TF.Tensor>; coded?: ReadonlyMap<string, CodedInput> }

/** These rows (int32 [k]) of an input, as the model takes them (a coded input decoded). */
export function inputRows(tf: Tf, split: InputSource, id: string, rows: TF.Tensor): TF.Tensor {
  const coded = split.coded?.get(id);
  return coded ? codedRows(tf, coded, rows) : tf.gather(split.x.get(id)!, rows);
}

/** Rows start .. start + size - 1 of an input, as the model takes them. */
export function inputRange(tf: Tf, split: InputSource, id: string, start: number, size: number): TF.Tensor {
  const coded = split.coded?.get(id);
  return coded ? codedRange(tf, coded, start, size) : split.x.get(id)!.slice(start, size);
}

/** The split's features for this input, once their count is checked against its shape. */
function checkedFeatures(ds: Dataset, input: ExperimentSpec['model']['inputs'][number], i: number): Float32Array {
  const featureDim = ds.n ? ds.features.length / ds.n : prod(ds.featureShape);
  if (featureDim !== prod(input.shape)) {
    throw new SpecError(`Input "${input.id}" has shape [${input.shape.join(', ')}] (${prod(input.shape)} values) but the data gives ${featureDim} features per example.`, ['model', 'inputs', i, 'shape']);
  }
  return ds.features;
}

function uploadInput(tf: Tf, ds: Dataset, input: ExperimentSpec['model']['inputs'][number], i: number): TF.Tensor {
  const featureDim = ds.n ? ds.features.length / ds.n : prod(ds.featureShape);
  const values = input.features ? selectColumns(ds, input.features, i) : ds.features;
  const dim = input.features ? input.features.length : featureDim;
  if (dim !== prod(input.shape)) {
    throw new SpecError(`Input "${input.id}" has shape [${input.shape.join(', ')}] (${prod(input.shape)} values) but the data gives ${dim} features per example.`, ['model', 'inputs', i, 'shape']);
  }
  const t = tf.tensor(values, [ds.n, ...input.shape], 'float32');
  // Native TensorFlow copies the values into its own tensor at the tensor's first use and
  // holds the host array until then (the test split's until the phase ends): used once now,
  // the host copy can be let go once the run no longer reads it (releaseFeatures).
  tf.reshape(t, t.shape).dispose();
  if (input.dtype !== 'int32') return t;
  const cast = tf.cast(t, 'int32');
  t.dispose();
  return cast;
}

function targetsFor(spec: ExperimentSpec, heads: TaskHead[], ds: Dataset): Map<string, Float32Array> {
  const targets = new Map<string, Float32Array>();
  for (const h of heads) {
    const raw = own(ds.targets, h.task.target);
    if (!raw) throw new SpecError(`Task "${h.task.id}" targets "${h.task.target}", which the data does not have (targets: ${Object.keys(ds.targets).join(', ')}).`, ['tasks', spec.tasks.findIndex((t) => t.id === h.task.id), 'target']);
    targets.set(h.task.id, raw);
  }
  return targets;
}

/**
 * A batch's labels as the head's loss takes them, from its targets (one value per row):
 * one-hot [n, units] or values [n, 1]. Unlabelled rows (NaN) get label 0: their loss weight is 0 (labelMask.ts).
 */
export function labelTensor(tf: Tf, head: TaskHead, values: Float32Array): TF.Tensor {
  const labels = fillUnlabelled(values);
  if (head.encoding !== 'onehot') return tf.tensor2d(labels, [labels.length, 1]);
  return tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), head.units), 'float32'));
}

/** The targets of the given rows, in their order. */
export function targetsOf(targets: Float32Array, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = targets[rows[k]!]!;
  return out;
}

export function disposeSplit(s: DeviceSplit): void {
  for (const t of s.x.values()) t.dispose();
  for (const c of s.coded?.values() ?? []) c.book.dispose();
}

/**
 * What one phase trains on, from the fold's splits already on the device: the shared model
 * takes them as they are; a task's baseline takes its inputs and its target, and with partial
 * labels only its labelled rows, gathered on the device (the features are not uploaded again).
 * `owned`: the tensors are the view's own, to dispose after the phase.
 */
export function phaseSplit(tf: Tf, split: DeviceSplit, inputs: readonly string[], task?: string): { split: DeviceSplit; owned: boolean } {
  if (task === undefined) return { split, owned: false };
  const values = split.targets.get(task);
  if (!values) throw new Error(`phaseSplit: no targets of task ${task} on the device`);
  const x = new Map(inputs.map((id) => [id, split.x.get(id)!] as const));
  if (!hasUnlabelled(values)) return { split: { n: split.n, x, targets: new Map([[task, values]]), ...(split.coded ? { coded: split.coded } : {}) }, owned: false };
  const rows = Int32Array.from(labelledRows(values));
  const index = tf.tensor1d(rows, 'int32');
  // A coded input's labelled rows are gathered as float32: the view owns plain tensors.
  const gathered = new Map([...x].map(([id]) => [id, inputRows(tf, split, id, index)] as const));
  index.dispose();
  return { split: { n: rows.length, x: gathered, targets: new Map([[task, targetsOf(values, rows)]]) }, owned: true };
}
