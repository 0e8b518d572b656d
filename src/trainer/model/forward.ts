// Eager forward pass over the built model, used for training and evaluation.
// Dense layers (most of a multi-task trunk) run as one fused matMul+bias+activation on
// the layer's own variables, which skips tfjs-layers' per-call bookkeeping: per-op
// overhead, not arithmetic, dominates small-batch training on tfjs-node. Every other
// layer type runs through its tfjs-layers `apply`, so both paths share one set of weights.
import type * as TF from '@tensorflow/tfjs';
import type { ExperimentSpec, LayerSpec } from '../../core/spec';
import type { Tf } from '../backend';
import { atLayer, type BuiltModel } from './build';
import { recurrentInference } from './recurrentInference';

type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';
const FUSED: ReadonlySet<string> = new Set<FusedActivation>(['linear', 'relu', 'relu6', 'elu', 'sigmoid']);

interface DenseVars { kernel: { read(): TF.Variable }; bias?: { read(): TF.Variable } | null }

export interface ForwardOptions {
  /**
   * Layer ids whose final activation is left out of their task's output: classification heads
   * give logits to fused losses. A layer that also feeds other layers passes them its
   * activated output (probabilities), as the saved model does, so that the model trained and
   * scored is the one saved.
   */
  logitLayers: ReadonlySet<string>;
  /** Seed for dropout masks; each training call draws a fresh mask from it. */
  seed: number;
}

/** Task outputs by task id, from the inputs by input id. */
export type ForwardFn = ((inputs: ReadonlyMap<string, TF.Tensor>, training: boolean) => Map<string, TF.Tensor>) & {
  /**
   * Every node's value. `given` may hold layer values as well as inputs; with `only`, just
   * those layers are computed (the rest must be given). Used to split a step at the shared
   * representation (weighting's gradient methods).
   */
  values(given: ReadonlyMap<string, TF.Tensor>, training: boolean, only?: ReadonlySet<string>): Map<string, TF.Tensor>;
  /**
   * Dropout draws: read it before a forward pass and set it back to draw the same masks in
   * a second pass over the same batch.
   */
  dropoutCursor: number;
  /**
   * The next dropout multiplier for a value of this shape, as tf.dropout draws it (0, or
   * 1/(1-rate) per element), advancing the cursor: the compiled step (native/dropout.ts)
   * draws its masks here too, so both steps see the same ones.
   */
  dropoutMask(shape: number[], rate: number): TF.Tensor;
};

export function makeForward(tf: Tf, spec: ExperimentSpec, built: BuiltModel, topo: string[], opts: ForwardOptions): ForwardFn {
  const specs = new Map<string, LayerSpec>(spec.model.layers.map((l) => [l.id, l]));
  const indexOf = new Map<string, number>(spec.model.layers.map((l, i) => [l.id, i]));
  const outputLayers = new Set(Object.values(spec.model.outputs));

  const activate = (x: TF.Tensor, activation: string): TF.Tensor => {
    switch (activation) {
      case 'linear': return x;
      case 'softmax': return tf.softmax(x);
      case 'tanh': return tf.tanh(x);
      case 'selu': return tf.selu(x);
      case 'softplus': return tf.softplus(x);
      case 'softsign': return tf.div(x, tf.add(tf.abs(x), 1));
      case 'swish': return tf.mul(x, tf.sigmoid(x));
      case 'gelu': return tf.layers.activation({ activation: 'gelu' }).apply(x) as TF.Tensor;
      default: return tf.layers.activation({ activation: activation as 'relu' }).apply(x) as TF.Tensor;
    }
  };

  const dense = (l: Extract<LayerSpec, { type: 'dense' }>, x: TF.Tensor): TF.Tensor => {
    const vars = built.layers.get(l.id) as unknown as DenseVars;
    const activation = opts.logitLayers.has(l.id) ? 'linear' : (l.activation ?? 'linear');
    const kernel = vars.kernel.read();
    const bias = vars.bias ? vars.bias.read() : undefined;
    if (FUSED.has(activation)) {
      return tf.fused.matMul({ a: x as TF.Tensor2D, b: kernel as TF.Tensor2D, ...(bias ? { bias } : {}), activation: activation as FusedActivation });
    }
    return activate(tf.fused.matMul({ a: x as TF.Tensor2D, b: kernel as TF.Tensor2D, ...(bias ? { bias } : {}) }), activation);
  };

  /** What layer `id` passes on to the layers it feeds: a classification head its probabilities, not its logits. */
  const fed = (id: string, value: TF.Tensor): TF.Tensor => {
    const l = specs.get(id);
    return l?.type === 'dense' && opts.logitLayers.has(id) ? activate(value, l.activation ?? 'linear') : value;
  };

  const values = (given: ReadonlyMap<string, TF.Tensor>, training: boolean, only?: ReadonlySet<string>): Map<string, TF.Tensor> => {
    const values = new Map<string, TF.Tensor>(given);
    for (const id of topo) {
      const l = specs.get(id);
      if (!l || (only && !only.has(id))) continue;
      const args = l.from.map((f) => fed(f, values.get(f)!));
      const x = args[0]!;
      // What TensorFlow throws while computing a layer (ids out of an embedding's range...) names that layer.
      const y = atLayer(l, indexOf.get(id)!, (): TF.Tensor => {
        if (l.type === 'dense' && x.rank === 2) return dense(l, x);
        if (l.type === 'dropout') return training && l.rate > 0 ? tf.mul(x, forward.dropoutMask(x.shape, l.rate)) : x;
        if (l.type === 'flatten') return tf.reshape(x, [x.shape[0]!, -1]);
        const layer = built.layers.get(id)!;
        if (opts.logitLayers.has(id)) throw new Error(`layer ${id} (${l.type}) cannot produce logits`);
        // Evaluation and prediction: the same values in fewer ops than tfjs-layers' cell (a third of an LSTM epoch's CPU at batch 32).
        if ((l.type === 'lstm' || l.type === 'gru') && !training) return recurrentInference(tf, l, layer, x, activate);
        return layer.apply(args.length === 1 ? x : args, { training }) as TF.Tensor;
      });
      values.set(id, y);
    }
    return values;
  };
  const forward: ForwardFn = Object.assign((inputs: ReadonlyMap<string, TF.Tensor>, training: boolean) => {
    const all = values(inputs, training);
    const out = new Map<string, TF.Tensor>();
    for (const [task, layerId] of Object.entries(spec.model.outputs)) {
      if (outputLayers.has(layerId)) out.set(task, all.get(layerId)!);
    }
    return out;
  }, {
    values,
    dropoutCursor: 0,
    // tf.dropout's own arithmetic (tfjs-core ops/dropout.js): floor(u + keep) / keep.
    dropoutMask: (shape: number[], rate: number) => tf.tidy(() => {
      const keep = 1 - rate;
      return tf.div(tf.floor(tf.add(tf.randomUniform(shape, 0, 1, 'float32', opts.seed + ++forward.dropoutCursor), keep)), keep);
    }),
  });
  return forward;
}
