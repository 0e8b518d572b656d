// A compiled training step for dense multi-task networks on native TensorFlow: forward,
// loss gradients and backward pass written out with raw TensorFlow ops, no autodiff tape.
// The reference network takes 36 ops per step this way against about 130 through
// tfjs-core's tape, and each op skips tfjs-core's own overhead (see ops.ts).
// Plain SGD folds the learning rate into the loss gradient so each update is one Sub.
// Graphs with other layer types, optimizers or options take the generic path (loop.ts).
import type * as TF from '@tensorflow/tfjs';
import { isBlockLayer } from '../../core/blockLayers';
import type { DenseLayer, ExperimentSpec, LayerSpec } from '../../core/spec';
import type { Tf } from '../backend';
import type { TaskHead } from '../heads';
import type { BatchMask } from '../labelMask';
import type { BuiltModel } from '../model/build';
import { nativeOps, type NativeOps } from './ops';

export interface CompiledStep {
  /** Labels as this step wants them (binary targets become two-column); call once per split. */
  prepareLabels(y: ReadonlyMap<string, TF.Tensor>): Map<string, TF.Tensor>;
  /**
   * One optimizer step; returns each task's per-example losses (caller disposes). A task in
   * `masks` (partial labels) has them multiplied by its row weights: their sum is the
   * labelled rows' mean, and its gradient is masked the same way.
   */
  step(xb: ReadonlyMap<string, TF.Tensor>, yb: ReadonlyMap<string, TF.Tensor>, lr: number, masks: ReadonlyMap<string, BatchMask>): TF.Tensor[];
  dispose(): void;
}

const ACTIVATIONS = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'elu']);

interface DenseVars { kernel: { read(): TF.Variable }; bias?: { read(): TF.Variable } | null }

/** Why the compiled step cannot serve this experiment, or undefined when it can. */
export function nativeStepUnsupported(spec: ExperimentSpec, heads: TaskHead[]): string | undefined {
  const t = spec.training;
  if (t.optimizer.type !== 'sgd' || t.optimizer.nesterov) return `optimizer ${t.optimizer.type}${t.optimizer.type === 'sgd' ? ' (nesterov)' : ''}`;
  if (t.clipNorm) return 'gradient clipping';
  const method = t.weighting?.method ?? 'equal';
  if (method !== 'equal' && method !== 'static') return `${method} task weighting`;
  for (const i of spec.model.inputs) if (i.shape.length !== 1 || (i.dtype ?? 'float32') !== 'float32') return `input ${i.id} of rank ${i.shape.length}`;
  const logitLayers = new Set(heads.filter((h) => h.logits).map((h) => h.layerId));
  for (const l of spec.model.layers) {
    if (l.type === 'dense') {
      if (!logitLayers.has(l.id) && !ACTIVATIONS.has(l.activation ?? 'linear')) return `activation ${l.activation} in ${l.id}`;
      if (l.useBias === false) return `dense ${l.id} without bias`;
    } else if (l.type === 'concatenate') {
      if (l.axis !== undefined && l.axis !== -1 && l.axis !== 1) return `concatenate on axis ${l.axis}`;
    } else if (isBlockLayer(l)) {
      return `sharing block ${l.id} (${l.type}): the compiled step has dense, add, concatenate and flatten only`;
    } else if (l.type !== 'add' && l.type !== 'flatten') {
      return `${l.type} layer ${l.id}`;
    }
  }
  for (const h of heads) {
    const ok = (h.logits && (h.encoding === 'onehot' || h.encoding === 'binary'))
      || (h.encoding === 'value' && h.loss === 'meanSquaredError');
    if (!ok) return `loss ${h.loss} of task ${h.task.id}`;
  }
  return undefined;
}

export function compileNativeStep(tf: Tf, spec: ExperimentSpec, built: BuiltModel, heads: TaskHead[], topo: string[]): CompiledStep {
  const ops: NativeOps = nativeOps(tf);
  const t = spec.training;
  const momentum = t.optimizer.type === 'sgd' ? (t.optimizer.momentum ?? 0) : 0;
  const byId = new Map(spec.model.layers.map((l) => [l.id, l]));
  const layers = topo.map((id) => byId.get(id)).filter((l): l is LayerSpec => !!l);
  const dense = layers.filter((l): l is DenseLayer => l.type === 'dense');
  const vars = new Map(dense.map((l) => [l.id, built.layers.get(l.id) as unknown as DenseVars]));
  const l2 = new Map(dense.map((l) => [l.id, l.l2 ?? t.l2 ?? 0]));
  const logitLayers = new Set(heads.filter((h) => h.logits).map((h) => h.layerId));
  const isLayer = new Set(layers.map((l) => l.id));
  const weights = heads.map((h) => ((t.weighting?.method ?? 'equal') === 'static' ? (h.task.weight ?? 1) : 1));
  const widths = new Map<string, number>(spec.model.inputs.map((i) => [i.id, i.shape[0]!]));
  for (const l of layers) {
    widths.set(l.id, l.type === 'dense' ? l.units : l.type === 'concatenate' ? l.from.reduce((a, f) => a + widths.get(f)!, 0) : widths.get(l.from[0]!)!);
  }
  const velocity = new Map<string, TF.Tensor>();

  // Per-(lr, batch) constants: loss-gradient scales, weight decay factors.
  let constKey = '';
  let consts: { scale: TF.Tensor[]; maskedScale: TF.Tensor[]; decay: Map<string, TF.Tensor>; momentum?: TF.Tensor } | undefined;
  const disposeConsts = () => {
    if (consts) tf.dispose([...consts.scale, ...consts.maskedScale, ...consts.decay.values(), ...(consts.momentum ? [consts.momentum] : [])]);
  };
  const constants = (lr: number, n: number) => {
    const key = `${lr}/${n}`;
    if (key !== constKey || !consts) {
      disposeConsts();
      // Gradient of mean loss is (per-example gradient) / n; MSE has a factor 2. A masked
      // task's 1/(labelled rows) is in its row weights instead of the 1/n.
      const maskedScale = heads.map((h, i) => tf.keep(tf.scalar(lr * weights[i]! * (h.encoding === 'value' ? 2 : 1))));
      const scale = heads.map((h, i) => tf.keep(tf.scalar((lr * weights[i]! * (h.encoding === 'value' ? 2 : 1)) / n)));
      // d(l2 * sum(W^2))/dW = 2 * l2 * W, pre-scaled by the learning rate like every gradient.
      const decay = new Map([...l2].filter(([, c]) => c > 0).map(([id, c]) => [id, tf.keep(tf.scalar(2 * lr * c))]));
      consts = { scale, maskedScale, decay, ...(momentum ? { momentum: tf.keep(tf.scalar(momentum)) } : {}) };
      constKey = key;
    }
    return consts;
  };

  const update = (variable: TF.Variable, grad: TF.Tensor, key: string, decay: TF.Tensor | undefined, m: TF.Tensor | undefined) => {
    // The L2 gradient joins the loss gradient before momentum, as when it is part of the loss.
    let step = decay ? ops.add(grad, ops.mul(variable, decay)) : grad;
    if (m) {
      const prev = velocity.get(key);
      const v = prev ? ops.add(ops.mul(prev, m), step) : step;
      tf.keep(v);
      if (prev) prev.dispose();
      velocity.set(key, v);
      step = v;
    }
    variable.assign(ops.sub(variable, step));
  };

  return {
    prepareLabels(y) {
      const out = new Map<string, TF.Tensor>();
      for (const h of heads) {
        const labels = y.get(h.task.id)!;
        // A binary logit x is the two-class softmax over [0, x]: the fused op then serves both.
        out.set(h.task.id, h.encoding === 'binary' ? tf.concat([tf.sub(1, labels), labels], 1) : labels);
      }
      return out;
    },
    step(xb, yb, lr, masks) {
      const n = xb.values().next().value!.shape[0]!;
      const c = constants(lr, n);
      return tf.tidy(() => {
        const values = new Map<string, TF.Tensor>(xb);
        for (const l of layers) {
          const args = l.from.map((f) => values.get(f)!);
          if (l.type === 'dense') {
            const v = vars.get(l.id)!;
            const z = ops.biasAdd(ops.matMul(args[0]!, v.kernel.read()), v.bias!.read());
            const act = logitLayers.has(l.id) ? 'linear' : (l.activation ?? 'linear');
            values.set(l.id, act === 'relu' ? ops.relu(z) : act === 'sigmoid' ? ops.sigmoid(z) : act === 'tanh' ? ops.tanh(z) : act === 'elu' ? ops.elu(z) : z);
          } else if (l.type === 'concatenate') {
            values.set(l.id, ops.concat(args, 1));
          } else if (l.type === 'add') {
            values.set(l.id, ops.addN(args));
          } else {
            values.set(l.id, args[0]!); // flatten of a rank-2 batch
          }
        }
        const grads = new Map<string, TF.Tensor[]>();
        const push = (id: string, g: TF.Tensor) => { if (isLayer.has(id)) (grads.get(id) ?? grads.set(id, []).get(id)!).push(g); };
        const losses = heads.map((h, i) => {
          const out = values.get(h.layerId)!;
          const labels = yb.get(h.task.id)!;
          const w = masks.get(h.task.id)?.weights; // [n, 1]
          // Loss gradient times the learning rate and the task's weight (and its row weights when masked).
          const scaled = (g: TF.Tensor) => (w ? ops.mul(ops.mul(g, w), c.maskedScale[i]!) : ops.mul(g, c.scale[i]!));
          if (h.encoding === 'value') {
            const d = ops.sub(out, labels);
            push(h.layerId, scaled(d));
            return w ? ops.mul(ops.square(d), w) : ops.square(d);
          }
          const logits = h.encoding === 'binary' ? ops.padLeftColumn(out) : out;
          const { loss, backprop } = ops.softmaxCrossEntropy(logits, labels);
          const g = h.encoding === 'binary' ? ops.splitColumns(backprop, [1, 1])[1]! : backprop;
          push(h.layerId, scaled(g));
          return w ? ops.mul(ops.expandColumn(loss), w) : loss;
        });
        for (let k = layers.length - 1; k >= 0; k--) {
          const l = layers[k]!;
          const gs = grads.get(l.id);
          if (!gs) continue;
          const gy = ops.addN(gs);
          if (l.type === 'dense') {
            const y = values.get(l.id)!;
            const act = logitLayers.has(l.id) ? 'linear' : (l.activation ?? 'linear');
            const gz = act === 'relu' ? ops.reluGrad(gy, y) : act === 'sigmoid' ? ops.sigmoidGrad(y, gy)
              : act === 'tanh' ? ops.tanhGrad(y, gy) : act === 'elu' ? ops.eluGrad(gy, y) : gy;
            const x = values.get(l.from[0]!)!;
            const v = vars.get(l.id)!;
            const kernel = v.kernel.read();
            if (isLayer.has(l.from[0]!)) push(l.from[0]!, ops.matMul(gz, kernel, false, true));
            update(kernel, ops.matMul(x, gz, true, false), `${l.id}/kernel`, c.decay.get(l.id), c.momentum);
            update(v.bias!.read(), ops.biasAddGrad(gz), `${l.id}/bias`, undefined, c.momentum);
          } else if (l.type === 'concatenate') {
            const parts = ops.splitColumns(gy, l.from.map((f) => widths.get(f)!));
            l.from.forEach((f, j) => push(f, parts[j]!));
          } else {
            for (const f of l.from) push(f, gy);
          }
        }
        return losses;
      });
    },
    dispose() {
      ops.dispose();
      tf.dispose([...velocity.values()]);
      disposeConsts();
    },
  };
}
