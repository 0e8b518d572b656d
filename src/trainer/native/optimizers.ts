// The optimizer updates of the compiled native step (denseStep.ts), in raw TensorFlow ops.
// The tape path trains with tfjs-core's own optimizers (optimizer.ts), so each rule here is
// tfjs-core's, with its epsilon where tfjs puts it (node_modules/@tensorflow/tfjs-core/dist/
// optimizers/*_optimizer.js): Adam adds epsilon to sqrt(v_hat); RMSProp and Adagrad add it
// under the square root (Adagrad's is the backend's float32 epsilon, 1e-7); momentum is
// v = mu*v + g, w -= lr*v (Nesterov: w -= lr*(g + mu*v)). State is kept per variable key.
// Updates are collected over the step and applied at its end: clipping (training.clipNorm,
// the global norm over every gradient, as loop.ts clipByGlobalNorm) needs them all first, and
// the adaptive rules run once over all variables side by side (flatUpdate.ts).
//
// Plain SGD and momentum without clipping may take gradients that already carry the rate
// (`prescaled`: the step folds it into the loss gradient, one op fewer per variable). With
// momentum the velocity kept is then lr*v; when the rate moves from lr' to lr it is rescaled
// by lr/lr' (lr*v = mu*(lr/lr')*(lr'*v_prev) + lr*g): the tape's update under any schedule.
import type * as TF from '@tensorflow/tfjs';
import type { TrainingSpec } from '../../core/spec';
import type { Tf } from '../backend';
import { flatUpdates, type ElementRule, type FlatUpdates } from './flatUpdate';
import type { NativeOps } from './ops';

/** tfjs-core's EPSILON_FLOAT32, which its Adagrad adds under the square root. */
const BACKEND_EPSILON = 1e-7;

export interface NativeOptimizer {
  /** Starts a step at this learning rate. */
  begin(lr: number): void;
  /** The gradient of the whole loss (L2 included) for one variable; applied by `apply`. */
  add(key: string, variable: TF.Variable, grad: TF.Tensor): void;
  /**
   * Clips, then updates every variable given since `begin`; call inside the step's tidy.
   * `zeroForMissing`: a variable with state but no gradient this step moves on that state
   * (a zero gradient, as tfjs given one); otherwise it stays (tfjs given none).
   */
  apply(zeroForMissing: boolean): void;
  dispose(): void;
}

/** Whether the step may fold the learning rate into the loss gradients for this training. */
export function foldsRate(t: TrainingSpec): boolean {
  return t.optimizer.type === 'sgd' && !t.clipNorm;
}

export function nativeOptimizer(tf: Tf, ops: NativeOps, t: TrainingSpec, prescaled: boolean): NativeOptimizer {
  const o = t.optimizer;
  /** Per variable key: its optimizer state (velocity, moments, accumulators). */
  const state = new Map<string, TF.Tensor[]>();
  const pending = new Map<string, TF.Tensor>();
  /** Every variable given so far, by key (tfjs' assign keeps the Variable object). */
  const variables = new Map<string, TF.Variable>();
  /** Scalars for the current step, rebuilt when their values change. */
  let scalars: TF.Tensor[] = [];
  let scalarKey = '';
  let lr = o.learningRate;
  let previousLr: number | undefined;
  let iteration = 0;
  const kept = (values: number[]) => {
    const key = values.join();
    if (key !== scalarKey) {
      tf.dispose(scalars);
      scalars = values.map((v) => tf.keep(tf.scalar(v)));
      scalarKey = key;
    }
    return scalars;
  };
  /** Replaces a variable's state tensors by the new ones (kept past the step's tidy). */
  const keep = (key: string, next: TF.Tensor[]) => {
    const prev = state.get(key);
    state.set(key, next.map((x) => tf.keep(x)));
    if (prev) tf.dispose(prev.filter((x) => !next.includes(x)));
  };

  /** One variable's update with this step's constants `c`; `g` is its (clipped) gradient. */
  let updateOne: (key: string, variable: TF.Variable, g: TF.Tensor, c: TF.Tensor[]) => void;
  /** This step's constants. */
  let constants: () => TF.Tensor[];
  /** The adaptive rules run over every variable at once (flatUpdate.ts). */
  let flat: FlatUpdates | undefined;
  const adaptive = (fills: number[], rule: ElementRule) => { flat = flatUpdates(tf, ops, fills, rule); };
  switch (o.type) {
    case 'sgd': {
      const mu = o.momentum ?? 0;
      const nesterov = !!o.nesterov && mu > 0;
      if (prescaled) {
        // c: [mu * lr/lr' (velocity rescale), mu]
        constants = () => kept([mu * (previousLr !== undefined && previousLr > 0 ? lr / previousLr : 1), mu]);
        updateOne = (key, variable, g, c) => {
          if (!mu) { variable.assign(ops.sub(variable, g)); return; }
          const prev = state.get(key);
          const u = prev ? ops.add(ops.mul(prev[0]!, c[0]!), g) : g;
          keep(key, [u]);
          variable.assign(ops.sub(variable, nesterov ? ops.add(g, ops.mul(u, c[1]!)) : u));
        };
      } else {
        constants = () => kept([lr, mu]);
        updateOne = (key, variable, g, c) => {
          if (!mu) { variable.assign(ops.sub(variable, ops.mul(g, c[0]!))); return; }
          const prev = state.get(key);
          const v = prev ? ops.add(ops.mul(prev[0]!, c[1]!), g) : g;
          keep(key, [v]);
          variable.assign(ops.sub(variable, ops.mul(nesterov ? ops.add(g, ops.mul(v, c[1]!)) : v, c[0]!)));
        };
      }
      break;
    }
    case 'adam': {
      const b1 = o.beta1 ?? 0.9;
      const b2 = o.beta2 ?? 0.999;
      const eps = o.epsilon ?? 1e-7;
      // c: [b1, 1-b1, b2, 1-b2, 1/(1-b1^t), 1/(1-b2^t), eps, lr]
      constants = () => kept([b1, 1 - b1, b2, 1 - b2, 1 / (1 - b1 ** iteration), 1 / (1 - b2 ** iteration), eps, lr]);
      adaptive([0, 0], (g, [m, v], c) => {
        const m1 = ops.add(ops.mul(m!, c[0]!), ops.mul(g, c[1]!));
        const v1 = ops.add(ops.mul(v!, c[2]!), ops.mul(ops.square(g), c[3]!));
        const mHat = ops.mul(m1, c[4]!);
        const vHat = ops.mul(v1, c[5]!);
        return { next: [m1, v1], step: ops.mul(ops.div(mHat, ops.add(ops.sqrt(vHat), c[6]!)), c[7]!) };
      });
      break;
    }
    case 'rmsprop': {
      const decay = o.decay ?? 0.9;
      const mu = o.momentum ?? 0;
      const eps = o.epsilon ?? 1e-7;
      // c: [decay, 1-decay, eps, lr, mu]
      constants = () => kept([decay, 1 - decay, eps, lr, mu]);
      adaptive(mu ? [0, 0] : [0], (g, [ms, mom], c) => {
        const ms1 = ops.add(ops.mul(ms!, c[0]!), ops.mul(ops.square(g), c[1]!));
        const step = ops.div(ops.mul(g, c[3]!), ops.sqrt(ops.add(ms1, c[2]!)));
        // Without momentum tfjs' mu*mom + step is the step itself.
        const mom1 = mu ? ops.add(ops.mul(mom!, c[4]!), step) : step;
        return { next: mu ? [ms1, mom1] : [ms1], step: mom1 };
      });
      break;
    }
    case 'adagrad': {
      const initial = o.initialAccumulatorValue ?? 0.1;
      // c: [backend epsilon, lr]
      constants = () => kept([BACKEND_EPSILON, lr]);
      adaptive([initial], (g, [acc], c) => {
        const acc1 = ops.add(acc!, ops.square(g));
        return { next: [acc1], step: ops.mul(ops.div(g, ops.sqrt(ops.add(acc1, c[0]!))), c[1]!) };
      });
      break;
    }
  }

  const clipNorm = t.clipNorm ?? 0;
  let clip: TF.Tensor | undefined;
  return {
    begin(rate) {
      lr = rate;
      iteration++;
    },
    add(key, variable, grad) {
      variables.set(key, variable);
      pending.set(key, grad);
    },
    apply(zeroForMissing) {
      const c = constants();
      previousLr = lr;
      if (zeroForMissing && !flat) for (const [key, s] of state) if (!pending.has(key)) pending.set(key, tf.zerosLike(s[0]!));
      let scale: TF.Tensor | undefined;
      if (clipNorm > 0) {
        clip ??= tf.keep(tf.scalar(clipNorm));
        const norm = ops.sqrt(ops.addN([...pending.values()].map((g) => ops.sumAll(ops.square(g)))));
        scale = ops.div(clip, ops.maximum(norm, clip));
      }
      if (flat) {
        flat.apply(pending, variables, c, zeroForMissing, scale);
      } else {
        for (const [key, g] of pending) updateOne(key, variables.get(key)!, scale ? ops.mul(g, scale) : g, c);
      }
      pending.clear();
    },
    dispose() {
      for (const s of state.values()) tf.dispose(s);
      flat?.dispose();
      state.clear();
      tf.dispose([...scalars, ...(clip ? [clip] : [])]);
    },
  };
}
