// Builds a tfjs-layers functional model from the experiment's model section. The
// LayersModel owns the variables and is what gets saved (TensorFlow.js layers format);
// training runs through forward.ts, which reads the same variables.
import type * as TF from '@tensorflow/tfjs';
import type { KeptColumns } from '../../core/baseline';
import type { ExperimentSpec, LayerSpec } from '../../core/spec';
import { deriveSeed } from '../../core/random';
import { tfNames } from '../../core/tfNames';
import type { Tf } from '../backend';
import { SpecError } from '../specError';
import { makeBlockLayer } from './blockLayers';

export interface BuiltModel {
  model: TF.LayersModel;
  /** Layer objects by spec id (inputs excluded). */
  layers: Map<string, TF.layers.Layer>;
  /** Task ids in the order of `model.outputs`. */
  taskOrder: string[];
}

/**
 * A layer's initialiser seed, from the training seed and the layer's id, not its position:
 * a single-task baseline (core/baseline.ts) holds fewer layers, and its trunk and head must
 * start from the same weights as in the shared model for the comparison to be fair.
 */
function layerSeed(seed: number, id: string): number {
  return deriveSeed(seed, 'layer', id);
}

/** `name`: the layer's TensorFlow name (core/tfNames), which the user's id may not be. */
function makeLayer(tf: Tf, l: LayerSpec, name: string, seed: number, kept: KeptColumns | undefined): TF.layers.Layer {
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
    case 'parallelDense': case 'crossStitch': case 'mmoe': case 'ple': case 'select':
      return makeBlockLayer(tf, l, name, seed, kept);
  }
}

/** Levels of layers per stage of a deep model (see buildModel); 1,000 assemble well within Node's default stack. */
const STAGE_DEPTH = 1000;

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
 * topological order of the layer ids. `kept`: a baseline's cut-down blocks (core/baseline
 * singleTaskColumns), which start as the columns they keep of the shared model's blocks.
 */
export function buildModel(tf: Tf, spec: ExperimentSpec, topo: string[], seed: number, kept: ReadonlyMap<string, KeptColumns> = new Map()): BuiltModel {
  const names = tfNames(spec.model);
  const modelName = spec.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'model';
  const byId = new Map(spec.model.layers.map((l, index) => [l.id, { l, index }]));
  const layers = new Map<string, TF.layers.Layer>();
  // The model's own graph: its inputs, then each layer's output (or each stage's outputs).
  const top = new Map<string, TF.SymbolicTensor>();
  const inputs = spec.model.inputs.map((i, index) => {
    const t = atInput(i.id, index, () => tf.input({ shape: i.shape, name: names.get(i.id)!, dtype: i.dtype ?? 'float32' }));
    top.set(i.id, t);
    return t;
  });
  const taskOrder = Object.keys(spec.model.outputs);
  const outputIds = taskOrder.map((t) => spec.model.outputs[t]!);

  /** Creates and applies the layers `ids` (in topological order) on the tensors in `graph`. */
  const applyLayers = (ids: string[], graph: Map<string, TF.SymbolicTensor>): void => {
    for (const id of ids) {
      const entry = byId.get(id)!;
      const args = entry.l.from.map((f) => {
        const s = graph.get(f);
        if (!s) throw new Error(`layer ${id} reads ${f} before it is built`);
        return s;
      });
      const { layer, out } = atLayer(entry.l, entry.index, () => {
        const made = makeLayer(tf, entry.l, names.get(id)!, layerSeed(seed, id), kept.get(id));
        return { layer: made, out: made.apply(args.length === 1 ? args[0]! : args) as TF.SymbolicTensor };
      });
      graph.set(id, out);
      layers.set(id, layer);
    }
  };

  // tfjs-layers assembles a model by a recursion as deep as its longest chain, which a chain
  // of some thousands of layers overflows. A deeper model is assembled from stages of at most
  // STAGE_DEPTH levels, each a sub-model; the layers (and so training and weight names) are
  // the same either way, only model.json nests.
  const depth = new Map<string, number>();
  for (const id of topo) {
    const entry = byId.get(id);
    depth.set(id, entry ? 1 + Math.max(0, ...entry.l.from.map((f) => depth.get(f) ?? 0)) : 0);
  }
  const layerIds = topo.filter((id) => byId.has(id));
  const stageOf = (id: string): number => Math.floor((depth.get(id)! - 1) / STAGE_DEPTH);
  const stages = layerIds.length ? stageOf(layerIds.reduce((a, b) => (depth.get(a)! >= depth.get(b)! ? a : b))) + 1 : 1;
  if (stages === 1) {
    applyLayers(layerIds, top);
  } else {
    const byStage = Array.from({ length: stages }, () => [] as string[]);
    for (const id of layerIds) byStage[stageOf(id)]!.push(id);
    // What enters each stage from before it, and so which of its outputs a stage must pass on.
    const usedLater = new Set(outputIds);
    const enteringOf = byStage.map((ids) => {
      const inStage = new Set(ids);
      const entering = new Set<string>();
      for (const id of ids) for (const f of byId.get(id)!.l.from) if (!inStage.has(f)) entering.add(f);
      entering.forEach((f) => usedLater.add(f));
      return [...entering];
    });
    for (let s = 0; s < stages; s++) {
      const ids = byStage[s]!, entering = enteringOf[s]!;
      const local = new Map<string, TF.SymbolicTensor>();
      const stageInputs = entering.map((f) => {
        const outer = top.get(f)!;
        const t = tf.input({ shape: outer.shape.slice(1) as number[], dtype: outer.dtype as 'float32' | 'int32' });
        local.set(f, t);
        return t;
      });
      applyLayers(ids, local);
      const leaving = ids.filter((id) => usedLater.has(id));
      const sub = tf.model({ inputs: stageInputs, outputs: leaving.map((id) => local.get(id)!), name: `${modelName}_stage${s + 1}` });
      const out = sub.apply(entering.map((f) => top.get(f)!)) as TF.SymbolicTensor | TF.SymbolicTensor[];
      const outs = Array.isArray(out) ? out : [out];
      leaving.forEach((id, k) => top.set(id, outs[k]!));
    }
  }
  const outputs = outputIds.map((id, k) => {
    const s = top.get(id);
    if (!s) throw new Error(`output of task ${taskOrder[k]} is not built`);
    return s;
  });
  const model = tf.model({ inputs, outputs, name: modelName });
  return { model, layers, taskOrder };
}
