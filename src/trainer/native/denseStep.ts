// A compiled training step for dense multi-task networks on native TensorFlow: forward,
// loss gradients and backward pass written out with raw TensorFlow ops, no autodiff tape.
// The reference network takes 36 ops per step this way against about 130 through
// tfjs-core's tape, and each op skips tfjs-core's own overhead (see ops.ts).
// Plain SGD folds the learning rate into the loss gradient so each update is one Sub.
// Every optimizer and clipping are in optimizers.ts, with tfjs' formulas.
// Graphs with other layer types, optimizers or options take the generic path (loop.ts).
// Convolution, pooling, batch norm, flatten, reshape, LSTM, GRU and the sharing blocks are layer modules (layers.ts).
import type * as TF from '@tensorflow/tfjs';
import type { DenseLayer, ExperimentSpec, LayerSpec } from '../../core/spec';
import { trunkOf } from '../../core/trunk';
import { weightingMethod } from '../../core/weighting/registry';
import type { Tf } from '../backend';
import { logitLayerIds, type TaskHead } from '../heads';
import type { BatchMask } from '../labelMask';
import type { StepOutputs } from '../loopSetup';
import type { BuiltModel } from '../model/build';
import type { TaskWeighting } from '../weighting/index';
import { nativeOps, type NativeOps } from './ops';
import { foldsRate, nativeOptimizer } from './optimizers';
import { nativeDropout, type DropoutDraw } from './dropout';
import { nativeUncertainty } from './uncertainty';
import { huberLossAndGrad } from './huber';
import { inferShapes } from '../../core/shapes';
import { activate, activationGrad, NATIVE_ACTIVATIONS } from './activation';
import type { NativeLayer } from './layer';
import { hasNativeLayer, nativeLayer, nativeLayerUnsupported } from './layers';
import { spatialOps } from './spatialOps';
import { blockOps } from './blockOps';

/**
 * The compiled steps' labels (native and WebAssembly): a binary logit x is the two-class softmax
 * over [0, x], so its labels become the columns [1 - y, y] and the fused softmax op serves both.
 */
export function twoColumnBinaryLabels(tf: Tf, heads: readonly TaskHead[], y: ReadonlyMap<string, TF.Tensor>): Map<string, TF.Tensor> {
  return new Map(heads.map((h) => {
    const labels = y.get(h.task.id)!;
    return [h.task.id, h.encoding === 'binary' ? tf.concat([tf.sub(1, labels), labels], 1) : labels];
  }));
}

export interface CompiledStep {
  /** Labels as this step wants them (binary targets become two-column); call once per split. */
  prepareLabels(y: ReadonlyMap<string, TF.Tensor>): Map<string, TF.Tensor>;
  /**
   * One optimizer step; returns each task's per-example losses (caller disposes). A task in
   * `masks` (partial labels) has them multiplied by its row weights: their sum is the
   * labelled rows' mean, and its gradient is masked the same way.
   */
  step(xb: ReadonlyMap<string, TF.Tensor>, yb: ReadonlyMap<string, TF.Tensor>, lr: number, masks: ReadonlyMap<string, BatchMask>, weights: LossWeights, seen?: StepOutputs): TF.Tensor[];
  dispose(): void;
}

/**
 * The loss weights of a step: numbers, or a function of the batch's mean task losses (read
 * back only when it calls `means`) for a method that weighs by the current losses (GLS, FAMO).
 */
export type LossWeights = readonly number[] | ((means: () => readonly number[]) => readonly number[]);

interface DenseVars { kernel: { read(): TF.Variable }; bias?: { read(): TF.Variable } | null }

/**
 * Why the compiled step cannot serve this experiment, or undefined when it can. It takes the
 * loss weights of any loss-family rule as numbers each step (weighting/index.ts stepWeights).
 */
export function nativeStepUnsupported(spec: ExperimentSpec, heads: TaskHead[]): string | undefined {
  const t = spec.training;
  // Loss-family rules give their weights as numbers (of the batch's losses if they ask);
  // gradient methods get the task gradients; uncertainty's learned weights are in uncertainty.ts.
  const method = weightingMethod(t.weighting?.method ?? 'equal')?.description;
  if (!method || (method.family === 'loss' && method.engine !== 'rule' && method.id !== 'uncertainty')) {
    return `${t.weighting?.method} task weighting`;
  }
  for (const i of spec.model.inputs) if ((i.dtype ?? 'float32') !== 'float32') return `input ${i.id} of type ${i.dtype}`;
  const logitLayers = logitLayerIds(heads);
  const { shapes } = inferShapes(spec);
  for (const h of heads) if (shapes.get(h.layerId)?.length !== 1) return `task ${h.task.id}'s output ${h.layerId} is not a vector`;
  for (const l of spec.model.layers) {
    // A head's probabilities feeding another layer need the softmax's backward pass, not written here.
    const fedLogits = l.from.find((f) => logitLayers.has(f));
    if (fedLogits) return `classification head ${fedLogits} feeds layer ${l.id}`;
    const input = shapes.get(l.from[0]!);
    if (l.type === 'dense') {
      if (!logitLayers.has(l.id) && !NATIVE_ACTIVATIONS.has(l.activation ?? 'linear')) return `activation ${l.activation} in ${l.id}`;
      if (l.useBias === false) return `dense ${l.id} without bias`;
      if (input?.length !== 1) return `dense ${l.id} on a rank-${input?.length} input`;
    } else if (l.type === 'concatenate') {
      if (l.axis !== undefined && l.axis !== -1 && l.axis !== 1) return `concatenate on axis ${l.axis}`;
      if (l.from.some((f) => shapes.get(f)?.length !== 1)) return `concatenate ${l.id} of inputs that are not vectors`;
    } else if (hasNativeLayer(l)) {
      const why = nativeLayerUnsupported(l, input);
      if (why) return why;
      // The tape's task-gradient step runs the forward pass once per task: the moving statistics would move once per task.
      if (l.type === 'batchNormalization' && method.family === 'gradient') return `batch normalization ${l.id} with task gradients`;
    } else if (l.type === 'dropout') {
      // The tape's representation mode draws the trunk's masks twice and each task's own (gradientStep.ts).
      if (method.family === 'gradient' && t.weighting?.mode === 'representation') return `dropout ${l.id} with task gradients on the shared representation`;
    } else if (l.type !== 'add') {
      return `${l.type} layer ${l.id}`;
    }
  }
  for (const h of heads) {
    const ok = (h.logits && (h.encoding === 'onehot' || h.encoding === 'binary'))
      || (h.encoding === 'value' && (h.loss === 'meanSquaredError' || h.loss === 'huber'));
    if (!ok) return `loss ${h.loss} of task ${h.task.id}`;
  }
  return undefined;
}

/**
 * `weighting`: for a gradient-family method, the step takes each task's gradient on the shared
 * trunk (its parameters, or its output: the weighting's mode) and lets the method combine them.
 */
export function compileNativeStep(tf: Tf, spec: ExperimentSpec, built: BuiltModel, heads: TaskHead[], topo: string[], weighting?: TaskWeighting, drawDropout?: DropoutDraw): CompiledStep {
  const ops: NativeOps = nativeOps(tf);
  const dropout = nativeDropout(ops, drawDropout);
  const huberConsts = [0.5, 1, -1].map((v) => tf.keep(tf.scalar(v)));
  const t = spec.training;
  const byId = new Map(spec.model.layers.map((l) => [l.id, l]));
  const layers = topo.map((id) => byId.get(id)).filter((l): l is LayerSpec => !!l);
  const dense = layers.filter((l): l is DenseLayer => l.type === 'dense');
  const vars = new Map(dense.map((l) => [l.id, built.layers.get(l.id) as unknown as DenseVars]));
  // Weight decay on dense and conv kernels, as the tape's loss has it (loop.ts l2Terms).
  const l2 = new Map(layers.flatMap((l) => (l.type === 'dense' || l.type === 'conv2d' ? [[l.id, l.l2 ?? t.l2 ?? 0] as const] : [])));
  // Soft sharing's penalty on parallelDense kernels, as the tape's loss has it (blockLayers.ts tiePenalty).
  const tieL2 = new Map(layers.flatMap((l) => (l.type === 'parallelDense' && (l.tieL2 ?? 0) > 0 ? [[l.id, { tieL2: l.tieL2!, columns: l.columns }] as const] : [])));
  const { shapes } = inferShapes(spec);
  const sp = spatialOps(tf, ops);
  const bo = blockOps(tf, ops);
  const compiled = new Map<string, NativeLayer>(layers.filter(hasNativeLayer).map((l) => [l.id, nativeLayer(tf, ops, sp, bo, l, built.layers.get(l.id)!, shapes.get(l.from[0]!)!)]));
  const logitLayers = logitLayerIds(heads);
  const isLayer = new Set(layers.map((l) => l.id));
  /** Values per example of each node. */
  const widths = new Map<string, number>([...shapes].map(([id, shape]) => [id, shape.reduce((a, b) => a * b, 1)]));
  const gradientFamily = weighting?.description.family === 'gradient';
  const learned = weighting?.description.id === 'uncertainty' ? nativeUncertainty(tf, ops, heads, weighting.variables) : undefined;
  /** Whether the optimizer takes gradients that carry the learning rate, and whether the loss gradients carry it from the start (see `constants`). */
  const prescaled = !learned && foldsRate(t);
  const fold = prescaled && !gradientFamily;
  const optimizer = nativeOptimizer(tf, ops, t, prescaled);
  const trunk = gradientFamily ? trunkOf(spec) : undefined;

  // Per-(lr, batch) constants: loss-gradient scales, weight decay factors.
  let constKey = '';
  /** `lr`: the rate the optimizer's gradients carry (1 when it applies the rate); `carried`: the rate the loss gradients carry. */
  type Constants = { lr: number; carried: number; scale: TF.Tensor[]; maskedScale: TF.Tensor[]; decay: Map<string, TF.Tensor>; tie: Map<string, [TF.Tensor, TF.Tensor]>; rate?: TF.Tensor };
  let consts: Constants | undefined;
  const disposeConsts = () => {
    if (consts) tf.dispose([...consts.scale, ...consts.maskedScale, ...consts.decay.values(), ...[...consts.tie.values()].flat(), ...(consts.rate ? [consts.rate] : [])]);
  };
  /**
   * Gradient-family methods combine the task gradients themselves (weights 1). Where the
   * optimizer takes gradients that carry the rate (`prescaled`: plain SGD or momentum, unclipped)
   * and it is not 0, the task gradients carry it from the loss gradient on, like every other
   * gradient here, so that a task's own layers need no op of their own for it; a method that is
   * not scale-invariant (Nash-MTL) still sees the true Gramian, divided back by the rate's square
   * as numbers. Otherwise (another optimizer, a clipped step, learned weights, a rate of 0) every
   * gradient stays unscaled and the rate enters after the method or in the optimizer.
   */
  const constants = (lrGiven: number, n: number, weights: readonly number[]) => {
    const lr = fold || (prescaled && gradientFamily && lrGiven > 0) ? lrGiven : 1;
    const key = `${lrGiven}/${n}/${weights.join()}`;
    if (key !== constKey || !consts) {
      disposeConsts();
      // Gradient of mean loss is (per-example gradient) / n; MSE has a factor 2. A masked
      // task's 1/(labelled rows) is in its row weights instead of the 1/n.
      const maskedScale = heads.map((h, i) => tf.keep(tf.scalar(lr * weights[i]! * (h.encoding === 'value' && h.loss !== 'huber' ? 2 : 1))));
      const scale = heads.map((h, i) => tf.keep(tf.scalar((lr * weights[i]! * (h.encoding === 'value' && h.loss !== 'huber' ? 2 : 1)) / n)));
      // d(l2 * sum(W^2))/dW = 2 * l2 * W, pre-scaled by the learning rate like every gradient.
      // d(l2 * sum(W^2))/dW = 2 * l2 * W, carrying the rate exactly when the gradients it joins do.
      const rate = prescaled ? lrGiven : 1;
      const decay = new Map([...l2].filter(([, c]) => c > 0).map(([id, c]) => [id, tf.keep(tf.scalar(2 * rate * c))]));
      // d(tieL2 (n sum_c ||W_c||^2 - ||sum_c W_c||^2))/dW_c = 2 tieL2 (n W_c - sum_c W_c): the two factors, with the rate as decay's.
      const tie = new Map([...tieL2].map(([id, { tieL2: c, columns }]) => [id, [tf.keep(tf.scalar(2 * rate * c * columns)), tf.keep(tf.scalar(2 * rate * c))] as [TF.Tensor, TF.Tensor]]));
      consts = { lr: rate, carried: lr, scale, maskedScale, decay, tie, ...(gradientFamily ? { rate: tf.keep(tf.scalar(rate)) } : {}) };
      constKey = key;
    }
    return consts;
  };

  /**
   * `key`: layer id + '/kernel' or '/bias'; only kernels have weight decay. `grad` carries the
   * learning rate already, or gets it from `scale`.
   */
  const update = (key: string, variable: TF.Variable, grad: TF.Tensor, c: Constants, scale?: TF.Tensor) => {
    const id = key.endsWith('/kernel') ? key.slice(0, -'/kernel'.length) : undefined;
    const decay = id ? c.decay.get(id) : undefined;
    const tie = id ? c.tie.get(id) : undefined;
    let g = scale ? ops.mul(grad, scale) : grad;
    // The L2 and soft-sharing gradients join the loss gradient before the optimizer, as when they are part of the loss.
    if (decay) g = ops.add(g, ops.mul(variable, decay));
    if (tie) g = ops.add(g, ops.sub(ops.mul(variable, tie[0]), ops.mul(ops.sumKeep(variable, 0), tie[1])));
    optimizer.add(key, variable, g);
  };

  const forward = (xb: ReadonlyMap<string, TF.Tensor>): Map<string, TF.Tensor> => {
    const values = new Map<string, TF.Tensor>(xb);
    for (const l of layers) {
      const args = l.from.map((f) => values.get(f)!);
      if (l.type === 'dense') {
        const v = vars.get(l.id)!;
        const z = ops.biasAdd(ops.matMul(args[0]!, v.kernel.read()), v.bias!.read());
        values.set(l.id, activate(ops, logitLayers.has(l.id) ? 'linear' : (l.activation ?? 'linear'), z));
      } else if (l.type === 'concatenate') {
        values.set(l.id, ops.concat(args, 1));
      } else if (l.type === 'add') {
        values.set(l.id, ops.addN(args));
      } else if (l.type === 'dropout') {
        values.set(l.id, dropout.forward(l.id, l.rate, args[0]!));
      } else {
        values.set(l.id, compiled.get(l.id)!.forward(args[0]!));
      }
    }
    return values;
  };

  const addGrad = (grads: Map<string, TF.Tensor[]>, id: string, g: TF.Tensor) => {
    if (isLayer.has(id)) (grads.get(id) ?? grads.set(id, []).get(id)!).push(g);
  };

  /**
   * Backpropagates `grads` (layer id -> parts of the gradient at its output) through the
   * layers for which `through` holds, last first, handing each variable's gradient to
   * `onGrad`. What reaches a layer outside `through` stays in `grads` for the caller.
   */
  const backward = (values: Map<string, TF.Tensor>, grads: Map<string, TF.Tensor[]>, through: (id: string) => boolean,
    onGrad: (key: string, variable: TF.Variable, grad: TF.Tensor) => void) => {
    for (let k = layers.length - 1; k >= 0; k--) {
      const l = layers[k]!;
      const gs = grads.get(l.id);
      if (!gs || !through(l.id)) continue;
      grads.delete(l.id);
      const gy = ops.addN(gs);
      if (l.type === 'dense') {
        const y = values.get(l.id)!;
        const gz = activationGrad(ops, logitLayers.has(l.id) ? 'linear' : (l.activation ?? 'linear'), y, gy);
        const x = values.get(l.from[0]!)!;
        const v = vars.get(l.id)!;
        const kernel = v.kernel.read();
        // No gradient for an input (the first layer of a 784-wide image would cost a matMul per step).
        if (isLayer.has(l.from[0]!)) addGrad(grads, l.from[0]!, ops.matMul(gz, kernel, false, true));
        onGrad(`${l.id}/kernel`, kernel, ops.matMul(x, gz, true, false));
        onGrad(`${l.id}/bias`, v.bias!.read(), ops.biasAddGrad(gz));
      } else if (l.type === 'concatenate') {
        const parts = ops.splitColumns(gy, l.from.map((f) => widths.get(f)!));
        l.from.forEach((f, j) => addGrad(grads, f, parts[j]!));
      } else if (l.type === 'dropout') {
        addGrad(grads, l.from[0]!, dropout.backward(l.id, gy));
      } else if (l.type === 'add') {
        for (const f of l.from) addGrad(grads, f, gy);
      } else {
        const { input, params } = compiled.get(l.id)!.backward(gy, values.get(l.from[0]!)!, values.get(l.id)!, isLayer.has(l.from[0]!));
        if (input) addGrad(grads, l.from[0]!, input);
        for (const [suffix, variable, g] of params) onGrad(`${l.id}/${suffix}`, variable, g);
      }
    }
  };

  /** The trunk's variables in a fixed order: the columns of the Jacobian in 'parameters' mode. */
  const trunkVars = trunk ? layers.filter((l) => trunk.layers.has(l.id)).flatMap((l): Array<[string, TF.Variable]> => {
    const c = compiled.get(l.id);
    if (c) return c.params().map(([suffix, v]) => [`${l.id}/${suffix}`, v]);
    const v = vars.get(l.id);
    return v ? [[`${l.id}/kernel`, v.kernel.read()], [`${l.id}/bias`, v.bias!.read()]] : [];
  }) : [];

  /**
   * Gradient family: each active task's gradient on the trunk (parameters: backward through
   * every layer per task; representation: per task only through its own layers, to the
   * trunk's output), combined by the method; its own layers get its own gradient.
   */
  const gradientUpdate = (values: Map<string, TF.Tensor>, seed: TF.Tensor[], c: Constants, lossMeans: (active: readonly number[]) => TF.Tensor) => {
    const w = weighting!;
    // A task's own layers are updated once the method has spoken: a method whose coefficients
    // are loss weights (GradNorm) scales them too.
    const pending: Array<{ key: string; variable: TF.Variable; grad: TF.Tensor; task: number }> = [];
    let task = 0;
    const own = (key: string, variable: TF.Variable, grad: TF.Tensor) => { pending.push({ key, variable, grad, task }); };
    /** What the task gradients still lack of the rate: 1 when they carry it (see `constants`). */
    const lacking = c.lr / c.carried;
    const applyOwn = () => {
      const coef = w.description.weightsOwnLayers ? w.coefficients() : undefined;
      // One scalar per task (its coefficient times what is lacking of the rate), not one per variable; none for 1.
      const scales = coef ? coef.map((x) => (x * lacking === 1 ? undefined : tf.scalar(x * lacking))) : [];
      for (const p of pending) update(p.key, p.variable, p.grad, c, coef ? scales[p.task] : lacking === 1 ? undefined : c.rate!);
    };
    /**
     * The update direction on the shared part, [1, P] (a tensor method's: [P]), times the learning rate. A rule reads
     * the Gramian (and the losses, if it asks) back and its coefficients come back as one row:
     * direction = (lr c)^T J, one MatMul.
     */
    const aggregate = (jacobian: TF.Tensor2D): TF.Tensor => {
      const active = w.active();
      const t = active.length;
      if (!w.ruleWeights) return w.aggregate(jacobian, undefined, lacking); // [P]: unflatten splits its last axis
      const gramian = ops.matMul(jacobian, jacobian, false, true).dataSync();
      // Two read-backs cost less than the two ops that would join them into one.
      const means = w.description.needs.losses ? Array.from(lossMeans(active).dataSync()) : undefined;
      const square = c.carried * c.carried;
      const coef = w.ruleWeights(Array.from(gramian, (g) => g / square), means);
      return ops.matMul(tf.tensor2d(coef.map((x) => x * lacking), [1, t]), jacobian);
    };
    /** Every active task's gradient parts, flattened, task after task. */
    const pieces: TF.Tensor[] = [];
    // The Jacobian [active, P] in raw ops (tfjs-core's reshape and stack cost more per call
    // than the arithmetic here), in one copy: the flat parts of all tasks side by side in one
    // row [1, active * P], which read as [active, P] is the Jacobian. TensorFlow's ConcatV2
    // needs two inputs or more: a single part is the row itself.
    const flat = (parts: Array<TF.Tensor | undefined>, sizes: number[]) => {
      parts.forEach((g, k) => pieces.push(g ? ops.reshape(g, [1, sizes[k]!]) : tf.zeros([1, sizes[k]!])));
    };
    const jacobian = (tasks: number) => {
      const row = pieces.length === 1 ? pieces[0]! : ops.concat(pieces, 1);
      return ops.reshape(row, [tasks, row.shape[1]! / tasks]) as TF.Tensor2D;
    };
    /** The direction ([1, P] or [P]) cut back into the parts' shapes. */
    const unflatten = (direction: TF.Tensor, sizes: number[], shapes: number[][]) => {
      const pieces = sizes.length === 1 ? [direction] : ops.split(direction, sizes, direction.shape.length - 1);
      return pieces.map((p, k) => ops.reshape(p, shapes[k]!));
    };
    if (w.mode === 'parameters') {
      const sizes = trunkVars.map(([, v]) => v.size);
      for (const [k, i] of w.active().entries()) {
        task = k;
        const grads = new Map<string, TF.Tensor[]>();
        addGrad(grads, heads[i]!.layerId, seed[i]!);
        const shared = new Map<string, TF.Tensor>();
        backward(values, grads, () => true, (key, variable, grad) => (trunk!.layers.has(key.slice(0, key.lastIndexOf('/'))) ? shared.set(key, grad) : own(key, variable, grad)));
        if (sizes.length) flat(trunkVars.map(([key]) => shared.get(key)), sizes);
      }
      if (pieces.length && trunkVars.length) {
        const parts = unflatten(aggregate(jacobian(w.active().length)), sizes, trunkVars.map(([, v]) => v.shape));
        trunkVars.forEach(([key, v], k) => update(key, v, parts[k]!, c));
      }
      applyOwn();
      return;
    }
    const rep = trunk!.representation;
    const n = seed[0]!.shape[0]!;
    const sizes = rep.map((id) => n * widths.get(id)!);
    // One boundary layer (a trunk with one output): the tasks' gradients at it stacked by one
    // Pack, read as [tasks, n * width]; two ops, where flattening each and concatenating take tasks + 2.
    const single = rep.length === 1;
    for (const [k, i] of w.active().entries()) {
      task = k;
      const grads = new Map<string, TF.Tensor[]>();
      addGrad(grads, heads[i]!.layerId, seed[i]!);
      backward(values, grads, (id) => !trunk!.layers.has(id), own);
      const at = rep.map((id) => { const gs = grads.get(id); return gs ? ops.addN(gs) : undefined; });
      if (single) pieces.push(at[0] ?? tf.zeros([n, ...shapes.get(rep[0]!)!]));
      else if (sizes.length) flat(at, sizes);
    }
    if (pieces.length && rep.length) {
      const tasks = w.active().length;
      const stacked = single ? ops.reshape(ops.pack(pieces), [tasks, sizes[0]!]) as TF.Tensor2D : jacobian(tasks);
      const parts = unflatten(aggregate(stacked), sizes, rep.map((id) => [n, ...shapes.get(id)!]));
      const grads = new Map<string, TF.Tensor[]>();
      rep.forEach((id, k) => addGrad(grads, id, parts[k]!));
      backward(values, grads, (id) => trunk!.layers.has(id), (key, variable, grad) => update(key, variable, grad, c));
    }
    applyOwn();
  };

  return {
    prepareLabels: (y) => twoColumnBinaryLabels(tf, heads, y),
    step(xb, yb, lr, masks, weights, seen) {
      const n = xb.values().next().value!.shape[0]!;
      optimizer.begin(lr);
      return tf.tidy(() => {
        const values = forward(xb);
        seen?.(new Map(heads.map((h) => [h.task.id, values.get(h.layerId)!])));
        const losses: TF.Tensor[] = [];
        /** Each task's loss gradient at its output (times its row weights when masked), before scaling. */
        const raw = heads.map((h) => {
          const out = values.get(h.layerId)!;
          const labels = yb.get(h.task.id)!;
          const w = masks.get(h.task.id)?.weights; // [n, 1]
          if (h.encoding === 'value' && h.loss === 'huber') {
            const { loss, grad } = huberLossAndGrad(ops, ops.sub(out, labels), huberConsts[0]!, huberConsts[1]!, huberConsts[2]!);
            losses.push(w ? ops.mul(loss, w) : loss);
            return w ? ops.mul(grad, w) : grad;
          }
          if (h.encoding === 'value') {
            const d = ops.sub(out, labels);
            losses.push(w ? ops.mul(ops.square(d), w) : ops.square(d));
            return w ? ops.mul(d, w) : d;
          }
          const logits = h.encoding === 'binary' ? ops.padLeftColumn(out) : out;
          const { loss, backprop } = ops.softmaxCrossEntropy(logits, labels);
          losses.push(w ? ops.mul(ops.expandColumn(loss), w) : loss);
          const g = h.encoding === 'binary' ? ops.splitColumns(backprop, [1, 1])[1]! : backprop;
          return w ? ops.mul(g, w) : g;
        });
        // A masked task's losses are already weighted by 1/(labelled rows): their sum is its mean.
        const lossMeans = () => losses.map((l, i) => (masks.has(heads[i]!.task.id) ? ops.sumAll(l) : ops.meanAll(l)));
        const means = () => { const m = lossMeans(); const v = m.map((t) => t.dataSync()[0]!); tf.dispose(m); return v; };
        /**
         * The given tasks' mean losses as one tensor: one Mean over their stacked per-example losses
         * when they stack (same shape, no row weights), else a mean (or a masked sum) per task.
         */
        const stackedMeans = (tasks: readonly number[]) => {
          const ls = tasks.map((i) => losses[i]!);
          const stacks = tasks.every((i) => !masks.has(heads[i]!.task.id)) && ls.every((l) => l.shape.join() === ls[0]!.shape.join());
          return stacks ? ops.mean(ops.pack(ls), 1) : ops.pack(tasks.map((i) => (masks.has(heads[i]!.task.id) ? ops.sumAll(losses[i]!) : ops.meanAll(losses[i]!))));
        };
        const lossWeights = gradientFamily || learned ? heads.map(() => 1) : typeof weights === 'function' ? weights(means) : weights;
        const c = constants(lr, n, lossWeights);
        const active = (i: number) => masks.get(heads[i]!.task.id)?.labelled !== 0;
        const scaled = raw.map((g, i) => ops.mul(g, masks.has(heads[i]!.task.id) ? c.maskedScale[i]! : c.scale[i]!));
        const seed = learned ? learned.weigh(scaled, lossMeans, active, optimizer.add) : scaled;
        if (!gradientFamily) {
          // One backward pass for the weighted sum: the constants hold lr * weight.
          const grads = new Map<string, TF.Tensor[]>();
          // A task without a labelled row is left out of the loss, as the tape's combine does: its
          // own layers get no gradient at all, so no optimizer moves them on its momentum.
          heads.forEach((h, i) => { if (active(i)) addGrad(grads, h.layerId, seed[i]!); });
          backward(values, grads, () => true, (key, v, g) => update(key, v, g, c));
        } else {
          gradientUpdate(values, seed, c, stackedMeans);
        }
        // The tape's gradient step gives an inactive task's own layers a zero gradient (gradientStep.ts apply).
        optimizer.apply(gradientFamily);
        dropout.clear();
        return losses;
      });
    },
    dispose() {
      for (const c of compiled.values()) c.dispose?.();
      sp.dispose();
      bo.dispose();
      ops.dispose();
      optimizer.dispose();
      learned?.dispose();
      tf.dispose(huberConsts);
      disposeConsts();
    },
  };
}
