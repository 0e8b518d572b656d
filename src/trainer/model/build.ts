// Builds a tfjs-layers functional model from the experiment's model section. The
// LayersModel owns the variables and is what gets saved (TensorFlow.js layers format);
// training runs through forward.ts, which reads the same variables.
import type * as TF from '@tensorflow/tfjs';
import type { ExperimentSpec, LayerSpec } from '../../core/spec';
import { tfNames } from '../../core/tfNames';
import type { Tf } from '../backend';
import { SpecError } from '../specError';

export interface BuiltModel {
  model: TF.LayersModel;
  /** Layer objects by spec id (inputs excluded). */
  layers: Map<string, TF.layers.Layer>;
  /** Task ids in the order of `model.outputs`. */
  taskOrder: string[];
}

/** Deterministic per-layer seeds so the same training seed gives the same initial weights. */
function layerSeed(seed: number, index: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 2654435761) + index * 7919) >>> 0;
}

/** `name`: the layer's TensorFlow name (core/tfNames), which the user's id may not be. */
function makeLayer(tf: Tf, l: LayerSpec, name: string, seed: number): TF.layers.Layer {
  const kernelInitializer = tf.initializers.glorotUniform({ seed });
  switch (l.type) {
    case 'dense':
      return tf.layers.dense({ name, units: l.units, activation: l.activation ?? 'linear', useBias: l.useBias ?? true, kernelInitializer });
    case 'conv2d':
      return tf.layers.conv2d({ name, filters: l.filters, kernelSize: l.kernelSize, strides: l.strides ?? 1, padding: l.padding ?? 'valid',
        activation: l.activation ?? 'linear', useBias: l.useBias ?? true, kernelInitializer });
    case 'maxPooling2d':
      return tf.layers.maxPooling2d({ name, poolSize: l.poolSize ?? 2, ...(l.strides !== undefined ? { strides: l.strides } : {}), padding: l.padding ?? 'valid' });
    case 'averagePooling2d':
      return tf.layers.averagePooling2d({ name, poolSize: l.poolSize ?? 2, ...(l.strides !== undefined ? { strides: l.strides } : {}), padding: l.padding ?? 'valid' });
    case 'flatten':
      return tf.layers.flatten({ name });
    case 'reshape':
      return tf.layers.reshape({ name, targetShape: l.targetShape });
    case 'dropout':
      return tf.layers.dropout({ name, rate: l.rate });
    case 'batchNormalization':
      return tf.layers.batchNormalization({ name, momentum: l.momentum ?? 0.99, epsilon: l.epsilon ?? 1e-3 });
    case 'lstm':
      return tf.layers.lstm({ name, units: l.units, returnSequences: l.returnSequences ?? false, activation: l.activation ?? 'tanh',
        kernelInitializer, recurrentInitializer: tf.initializers.orthogonal({ gain: 1, seed: seed + 1 }) });
    case 'gru':
      return tf.layers.gru({ name, units: l.units, returnSequences: l.returnSequences ?? false, activation: l.activation ?? 'tanh',
        kernelInitializer, recurrentInitializer: tf.initializers.orthogonal({ gain: 1, seed: seed + 1 }) });
    case 'embedding':
      return tf.layers.embedding({ name, inputDim: l.inputDim, outputDim: l.outputDim,
        embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed }) });
    case 'concatenate':
      return tf.layers.concatenate({ name, axis: l.axis ?? -1 });
    case 'add':
      return tf.layers.add({ name });
  }
}

/**
 * Runs `make` for the layer at model.layers[index]; what TensorFlow throws there becomes a
 * SpecError at that layer, so the user learns which layer it was (validation should have
 * caught it: this is the net under it). Also used by the forward pass, at run time.
 */
export function atLayer<T>(l: LayerSpec, index: number, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (err instanceof SpecError) throw err;
    throw new SpecError(`Layer "${l.id}" (${l.type}) failed in TensorFlow: ${err instanceof Error ? err.message : String(err)}`, ['model', 'layers', index]);
  }
}

function atInput<T>(id: string, index: number, make: () => T): T {
  try {
    return make();
  } catch (err) {
    throw new SpecError(`Input "${id}" failed in TensorFlow: ${err instanceof Error ? err.message : String(err)}`, ['model', 'inputs', index]);
  }
}

/**
 * Builds the model for a spec that has passed validation (ids unique, graph acyclic,
 * shapes consistent). Layers are created in document order; `topo` must be a
 * topological order of the layer ids.
 */
export function buildModel(tf: Tf, spec: ExperimentSpec, topo: string[], seed: number): BuiltModel {
  const symbolic = new Map<string, TF.SymbolicTensor>();
  const names = tfNames(spec.model);
  const inputs = spec.model.inputs.map((i, index) => {
    const t = atInput(i.id, index, () => tf.input({ shape: i.shape, name: names.get(i.id)!, dtype: i.dtype ?? 'float32' }));
    symbolic.set(i.id, t);
    return t;
  });
  const byId = new Map(spec.model.layers.map((l, index) => [l.id, { l, index }]));
  const layers = new Map<string, TF.layers.Layer>();
  for (const id of topo) {
    const entry = byId.get(id);
    if (!entry) continue; // an input
    const args = entry.l.from.map((f) => {
      const s = symbolic.get(f);
      if (!s) throw new Error(`layer ${id} reads ${f} before it is built`);
      return s;
    });
    const { layer, out } = atLayer(entry.l, entry.index, () => {
      const made = makeLayer(tf, entry.l, names.get(id)!, layerSeed(seed, entry.index));
      return { layer: made, out: made.apply(args.length === 1 ? args[0]! : args) as TF.SymbolicTensor };
    });
    symbolic.set(id, out);
    layers.set(id, layer);
  }
  const taskOrder = Object.keys(spec.model.outputs);
  const outputs = taskOrder.map((t) => {
    const s = symbolic.get(spec.model.outputs[t]!);
    if (!s) throw new Error(`output of task ${t} is not built`);
    return s;
  });
  let model: TF.LayersModel;
  try {
    model = tf.model({ inputs, outputs, name: spec.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'model' });
  } catch (err) {
    // tfjs-layers walks the graph recursively when it assembles a model: a chain of some
    // thousands of layers exhausts the stack there (validation itself is iterative).
    if (err instanceof RangeError) {
      throw new SpecError(`The model is too deep for TensorFlow.js to assemble (${spec.model.layers.length} layers; its graph walk is recursive and ran out of stack): use fewer layers in a chain (3,000 build).`, ['model', 'layers']);
    }
    throw err;
  }
  return { model, layers, taskOrder };
}
