// A compiled training step for dense multi-task networks on the WebAssembly backend (the
// trainer's backend on macOS and Windows, where the VSIX has no native TensorFlow): forward,
// loss gradients and backward pass written out with tfjs ops, no autodiff tape.
// Where the tape lost its time on wasm (measured, 784-128-64 trunk, batch 32):
// - tfjs-backend-wasm multiplies a transposed left operand (`matMul(x, g, true)`, the tape's
//   kernel gradient) in a plain loop outside XNNPACK: 3.2 ms for the 784x128 kernel, against
//   0.6 ms for an explicit Transpose followed by an XNNPACK product. A transposed right
//   operand (the gradient at a layer's input) takes the slow path too. Both are written
//   here as Transpose + plain matMul.
// - the tape records and replays about 130 small ops a step; this step runs about 40, with
//   bias and activation fused into the forward matMul where the backend fuses them.
// The update rules are those of native/denseStep.ts (same header): the learning rate is
// folded into the loss gradient, momentum keeps lr*v and rescales it when the rate moves.
// What it serves is what that step serves, less the gradient-family weightings (their
// per-task Jacobians stay on the tape here).
import type * as TF from '@tensorflow/tfjs';
import type { DenseLayer, ExperimentSpec, LayerSpec } from '../../core/spec';
import { weightingMethod } from '../../core/weighting/registry';
import type { Tf } from '../backend';
import { logitLayerIds, type TaskHead } from '../heads';
import type { BuiltModel } from '../model/build';
import { nativeStepUnsupported, twoColumnBinaryLabels, type CompiledStep } from '../native/denseStep';

interface DenseVars { kernel: { read(): TF.Variable }; bias?: { read(): TF.Variable } | null }

/** Activations tfjs-backend-wasm fuses into its matMul kernel (tanh is not among them). */
const FUSED = new Set(['linear', 'relu', 'sigmoid', 'elu']);

/** The layer types this step computes (flatten only of a vector: the inputs are vectors). */
const WRITTEN_OUT: ReadonlySet<string> = new Set(['dense', 'concatenate', 'add', 'dropout', 'flatten']);

/** Why the compiled wasm step cannot serve this experiment, or undefined when it can. */
export function wasmStepUnsupported(spec: ExperimentSpec, heads: TaskHead[]): string | undefined {
  const reason = nativeStepUnsupported(spec, heads);
  if (reason) return reason;
  // The native step's layer modules (native/layers.ts: convolutions, pooling, batch norm,
  // reshapes, recurrent layers) are not written out here: vectors through dense layers only.
  const wide = spec.model.inputs.find((i) => i.shape.length !== 1);
  if (wide) return `input ${wide.id} of rank ${wide.shape.length}`;
  const other = spec.model.layers.find((l) => !WRITTEN_OUT.has(l.type));
  if (other) return `${other.type} layer ${other.id}`;
  // What the native step has beyond the graphs and rules written out here (native/optimizers.ts, dropout, uncertainty, huber).
  const t = spec.training;
  if (t.optimizer.type !== 'sgd' || t.optimizer.nesterov) return `optimizer ${t.optimizer.type}${t.optimizer.type === 'sgd' ? ' (nesterov)' : ''}`;
  if (t.clipNorm) return 'gradient clipping';
  const method = t.weighting?.method ?? 'equal';
  if (weightingMethod(method)?.description.family === 'gradient') return `${method} task weighting (per-task gradients)`;
  if (method === 'uncertainty') return 'uncertainty task weighting (learned weights)';
  const dropout = spec.model.layers.find((l) => l.type === 'dropout');
  if (dropout) return `dropout layer ${dropout.id}`;
  const huber = heads.find((h) => h.loss === 'huber');
  if (huber) return `loss huber of task ${huber.task.id}`;
  return undefined;
}

export function compileWasmStep(tf: Tf, spec: ExperimentSpec, built: BuiltModel, heads: TaskHead[], topo: string[]): CompiledStep {
  const t = spec.training;
  const momentum = t.optimizer.type === 'sgd' ? (t.optimizer.momentum ?? 0) : 0;
  const byId = new Map(spec.model.layers.map((l) => [l.id, l]));
  const layers = topo.map((id) => byId.get(id)).filter((l): l is LayerSpec => !!l);
  const dense = layers.filter((l): l is DenseLayer => l.type === 'dense');
  const vars = new Map(dense.map((l) => [l.id, built.layers.get(l.id) as unknown as DenseVars]));
  const l2 = new Map(dense.map((l) => [l.id, l.l2 ?? t.l2 ?? 0]));
  const logitLayers = logitLayerIds(heads);
  const isLayer = new Set(layers.map((l) => l.id));
  const widths = new Map<string, number>(spec.model.inputs.map((i) => [i.id, i.shape[0]!]));
  for (const l of layers) {
    widths.set(l.id, l.type === 'dense' ? l.units : l.type === 'concatenate' ? l.from.reduce((a, f) => a + widths.get(f)!, 0) : widths.get(l.from[0]!)!);
  }
  const activationOf = (l: DenseLayer) => (logitLayers.has(l.id) ? 'linear' : (l.activation ?? 'linear'));
  const velocity = new Map<string, TF.Tensor>();
  /** Kept once: a scalar made per step would be an upload per step. */
  const one = tf.keep(tf.scalar(1));

  // Per-(lr, batch, weights) constants, as in native/denseStep.ts.
  type Constants = { scale: TF.Tensor[]; maskedScale: TF.Tensor[]; decay: Map<string, TF.Tensor>; momentum?: TF.Tensor };
  let constKey = '';
  let consts: Constants | undefined;
  let previousLr: number | undefined;
  const disposeConsts = () => {
    if (consts) tf.dispose([...consts.scale, ...consts.maskedScale, ...consts.decay.values(), ...(consts.momentum ? [consts.momentum] : [])]);
  };
  const constants = (lr: number, n: number, weights: readonly number[]): Constants => {
    const rescale = previousLr !== undefined && previousLr > 0 ? lr / previousLr : 1;
    previousLr = lr;
    const key = `${lr}/${n}/${rescale}/${weights.join()}`;
    if (key !== constKey || !consts) {
      disposeConsts();
      // Gradient of a mean loss is the per-example gradient / n (MSE has a factor 2); a masked
      // task's 1/(labelled rows) is in its row weights instead.
      const factor = heads.map((h, i) => lr * weights[i]! * (h.encoding === 'value' ? 2 : 1));
      consts = {
        scale: factor.map((f) => tf.keep(tf.scalar(f / n))),
        maskedScale: factor.map((f) => tf.keep(tf.scalar(f))),
        // d(l2 * sum(W^2))/dW = 2 * l2 * W, pre-scaled by the rate like every gradient.
        decay: new Map([...l2].filter(([, c]) => c > 0).map(([id, c]) => [id, tf.keep(tf.scalar(2 * lr * c))])),
        ...(momentum ? { momentum: tf.keep(tf.scalar(momentum * rescale)) } : {}),
      };
      constKey = key;
    }
    return consts;
  };

  const update = (key: string, variable: TF.Variable, grad: TF.Tensor, c: Constants) => {
    const decay = key.endsWith('/kernel') ? c.decay.get(key.slice(0, -'/kernel'.length)) : undefined;
    let step = decay ? tf.add(grad, tf.mul(variable, decay)) : grad;
    if (c.momentum) {
      const prev = velocity.get(key);
      const v = tf.keep(prev ? tf.add(tf.mul(prev, c.momentum), step) : step);
      prev?.dispose();
      velocity.set(key, v);
      step = v;
    }
    variable.assign(tf.sub(variable, step));
  };

  /** A layer input's transpose, made once a step: the kernel gradient needs it, and so may the forward pass. */
  type Transposes = Map<string, TF.Tensor>;
  const transposed = (values: Map<string, TF.Tensor>, ts: Transposes, id: string) => {
    let t = ts.get(id);
    if (!t) { t = tf.transpose(values.get(id)!); ts.set(id, t); }
    return t;
  };

  const forward = (xb: ReadonlyMap<string, TF.Tensor>, ts: Transposes): Map<string, TF.Tensor> => {
    const values = new Map<string, TF.Tensor>(xb);
    for (const l of layers) {
      const args = l.from.map((f) => values.get(f)!);
      if (l.type === 'dense') {
        const v = vars.get(l.id)!;
        const act = activationOf(l);
        const n = args[0]!.shape[0]!;
        // XNNPACK packs its right operand, here the kernel, which is new every step (0.45 ms of
        // the 784x128 layer's 0.8 ms at batch 32). A layer on a model input, whose transpose the
        // kernel gradient needs anyway, with fewer rows than units, is computed transposed so
        // that the smaller batch is packed: (W^T x^T)^T, about 0.3 ms less.
        if (!isLayer.has(l.from[0]!) && n < l.units) {
          const z = tf.add(tf.transpose(tf.matMul(tf.transpose(v.kernel.read()), transposed(values, ts, l.from[0]!))), v.bias!.read());
          values.set(l.id, act === 'relu' ? tf.relu(z) : act === 'sigmoid' ? tf.sigmoid(z) : act === 'tanh' ? tf.tanh(z) : act === 'elu' ? tf.elu(z) : z);
          continue;
        }
        const fused = FUSED.has(act) ? act as 'linear' | 'relu' | 'sigmoid' | 'elu' : 'linear';
        const z = tf.fused.matMul({ a: args[0] as TF.Tensor2D, b: v.kernel.read() as TF.Tensor2D, bias: v.bias!.read(), activation: fused });
        values.set(l.id, act === 'tanh' ? tf.tanh(z) : z);
      } else if (l.type === 'concatenate') {
        values.set(l.id, tf.concat(args, 1));
      } else if (l.type === 'add') {
        values.set(l.id, tf.addN(args));
      } else {
        values.set(l.id, args[0]!); // flatten of a rank-2 batch
      }
    }
    return values;
  };

  /** d(loss)/d(pre-activation) from d(loss)/d(output) and the output y. */
  const activationGrad = (act: string, gy: TF.Tensor, y: TF.Tensor): TF.Tensor => {
    if (act === 'relu') return tf.mul(gy, tf.step(y));
    if (act === 'sigmoid') return tf.mul(gy, tf.mul(y, tf.sub(one, y)));
    if (act === 'tanh') return tf.mul(gy, tf.sub(one, tf.square(y)));
    if (act === 'elu') return tf.engine().runKernel('EluGrad', { dy: gy, y }, {}) as TF.Tensor;
    return gy;
  };

  const backward = (values: Map<string, TF.Tensor>, ts: Transposes, grads: Map<string, TF.Tensor[]>, c: Constants) => {
    const addGrad = (id: string, g: TF.Tensor) => { if (isLayer.has(id)) (grads.get(id) ?? grads.set(id, []).get(id)!).push(g); };
    for (let k = layers.length - 1; k >= 0; k--) {
      const l = layers[k]!;
      const gs = grads.get(l.id);
      if (!gs) continue;
      const gy = gs.length === 1 ? gs[0]! : tf.addN(gs);
      if (l.type === 'dense') {
        const gz = activationGrad(activationOf(l), gy, values.get(l.id)!);
        const v = vars.get(l.id)!;
        const kernel = v.kernel.read();
        // Transposes written out: wasm's matMul is slow on a transposed operand (header).
        // No gradient for an input: the 784-wide first layer would cost a product per step.
        if (isLayer.has(l.from[0]!)) addGrad(l.from[0]!, tf.matMul(gz, tf.transpose(kernel)));
        update(`${l.id}/kernel`, kernel, tf.matMul(transposed(values, ts, l.from[0]!), gz), c);
        update(`${l.id}/bias`, v.bias!.read(), tf.sum(gz, 0), c);
      } else if (l.type === 'concatenate') {
        const parts = tf.split(gy, l.from.map((f) => widths.get(f)!), 1);
        l.from.forEach((f, j) => addGrad(f, parts[j]!));
      } else {
        for (const f of l.from) addGrad(f, gy);
      }
    }
  };

  return {
    prepareLabels: (y) => twoColumnBinaryLabels(tf, heads, y),
    step(xb, yb, lr, masks, weights, seen) {
      const n = xb.values().next().value!.shape[0]!;
      return tf.tidy(() => {
        const ts: Transposes = new Map();
        const values = forward(xb, ts);
        seen?.(new Map(heads.map((h) => [h.task.id, values.get(h.layerId)!])));
        const losses: TF.Tensor[] = [];
        const raw = heads.map((h) => {
          const out = values.get(h.layerId)!;
          const labels = yb.get(h.task.id)!;
          const w = masks.get(h.task.id)?.weights; // [n, 1]
          if (h.encoding === 'value') {
            const d = tf.sub(out, labels);
            losses.push(w ? tf.mul(tf.square(d), w) : tf.square(d));
            return w ? tf.mul(d, w) : d;
          }
          const logits = h.encoding === 'binary' ? tf.pad(out, [[0, 0], [1, 0]]) : out;
          const logP = tf.logSoftmax(logits);
          const loss = tf.neg(tf.sum(tf.mul(labels, logP), 1));
          losses.push(w ? tf.mul(tf.expandDims(loss, 1), w) : loss);
          const backprop = tf.sub(tf.exp(logP), labels);
          const g = h.encoding === 'binary' ? tf.slice(backprop, [0, 1], [-1, 1]) : backprop;
          return w ? tf.mul(g, w) : g;
        });
        // Read back only when the weighting asks for the batch's losses (GLS, FAMO).
        const means = () => {
          const m = tf.stack(losses.map((l, i) => (masks.has(heads[i]!.task.id) ? tf.sum(l) : tf.mean(l))));
          const v = Array.from(m.dataSync());
          m.dispose();
          return v;
        };
        const c = constants(lr, n, typeof weights === 'function' ? weights(means) : weights);
        const grads = new Map<string, TF.Tensor[]>();
        heads.forEach((h, i) => {
          const g = tf.mul(raw[i]!, masks.has(h.task.id) ? c.maskedScale[i]! : c.scale[i]!);
          (grads.get(h.layerId) ?? grads.set(h.layerId, []).get(h.layerId)!).push(g);
        });
        backward(values, ts, grads, c);
        return losses;
      });
    },
    dispose() {
      tf.dispose([...velocity.values(), one]);
      velocity.clear();
      disposeConsts();
      consts = undefined;
    },
  };
}
