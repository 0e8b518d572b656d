// GradDrop on tensors (the formula and the choice of modes: src/core/weighting/graddrop.ts).
// One uniform number per coordinate each step, drawn in JavaScript from a seed taken from the
// run's weighting stream (ctx.random(); core/random.ts fillUniform), so runs repeat and every
// backend sees the same draws (16-bit numbers: the chance of keeping a sign is P to within
// 2^-16); TensorFlow's own generator (StatelessRandomUniform, Philox) took 2-3 times the CPU time
// of the JavaScript loop, upload included. Two implementations of the one
// formula, chosen by size: a small Jacobian (the shared representation of a batch: a few thousand
// numbers) is read back and combined in one JavaScript loop (core/weighting/gradDropDirection.ts),
// on every backend; a large one on native TensorFlow (the shared parameters: about 10^5 columns on
// the reference network) in raw ops (gradDropNative: about a dozen ops, one read-back of the
// shares). Both are checked on the same hand-worked Jacobian and against each other
// (test/unit/trainer/weighting/graddrop.test.ts).
import type * as TF from '@tensorflow/tfjs';
import { fillUniform } from '../../../core/random';
import { gradDropDirection } from '../../../core/weighting/gradDropDirection';
import type { Tf } from '../../backend';
import { nativeOps, type NativeOps } from '../../native/ops';
import type { TensorWeighting } from './types';

/** Constants of gradDropNative, made once per weighting; `rows`: by task count and value, a row of that value per task. */
export interface NativeConstants { zero: TF.Tensor; leak: TF.Tensor; rest: TF.Tensor; rows: Map<string, TF.Tensor> }

export function gradDropConstants(tf: Tf, leak: number): NativeConstants {
  return { zero: tf.keep(tf.scalar(0)), leak: tf.keep(tf.scalar(leak)), rest: tf.keep(tf.scalar(1 - leak)), rows: new Map() };
}

export function disposeGradDropConstants(tf: Tf, c: NativeConstants): void {
  tf.dispose([c.zero, c.leak, c.rest, ...c.rows.values()]);
}

/**
 * The GradDrop direction in raw TensorFlow ops (core/weighting/gradDropDirection.ts on numbers),
 * written for few passes over the [tasks, P] Jacobian. With R+ = sum_i relu(g_i) and A = sum_i |g_i|, the purity is
 * P = 0.5 (1 + sum_i g_i / A) = R+ / A, so P > U exactly when R+ - U A > 0, with no division
 * (where A = 0 every g_i is 0 and nothing is kept either way). s = sign(R+ - U A): +1 keeps
 * the positive parts, -1 the negative ones, 0 (P = U) neither; the mask is [s g > 0], and with
 * no leak the kept part of g is s relu(s g) exactly (s is +-1 or 0), so d = s sum_i relu(s g_i)
 * and <kept_i, g_i> = ||relu(s g_i)||^2. Sums over the tasks are a row times the Jacobian (one
 * MatMul, cheaper than TensorFlow's reduction over the first axis); the direction's row holds
 * `scale` (the compiled step's learning rate), which costs no op of its own. The shares come
 * back as numbers in one read-back. `u`: the draws, [P] or [1, P].
 */
export function gradDropNative(tf: Tf, ops: NativeOps, c: NativeConstants, jacobian: TF.Tensor, u: TF.Tensor, leak: number, scale = 1): { direction: TF.Tensor; shares: number[] } {
  const t = jacobian.shape[0]!;
  const row = (value: number) => {
    const key = `${t}/${value}`;
    let r = c.rows.get(key);
    if (!r) {
      // A schedule moves the scale every step: keep the ones and the latest scale only.
      for (const [k, old] of c.rows) if (k.startsWith(`${t}/`) && k !== `${t}/1`) { old.dispose(); c.rows.delete(k); }
      c.rows.set(key, r = tf.keep(tf.fill([1, t], value)));
    }
    return r;
  };
  const overTasks = (x: TF.Tensor, value = 1) => ops.matMul(row(value), x);
  // Each [tasks, P] intermediate goes as soon as it is used: the next one then reuses its
  // memory while it is still in cache (measured: passes over the Jacobian cost 2-4 times
  // more inside a step, when each took fresh memory, than alone in a loop).
  const used = <R>(x: TF.Tensor, f: (x: TF.Tensor) => R): R => { const r = f(x); x.dispose(); return r; };
  const positive = used(ops.relu(jacobian), (r) => overTasks(r));
  const total = used(ops.abs(jacobian), (a) => overTasks(a));
  const s = ops.sign(ops.sub(positive, ops.mul(u, total)));
  tf.dispose([positive, total]);
  const signed = ops.mul(s, jacobian);
  let direction: TF.Tensor;
  let products: TF.Tensor; // [tasks, tasks], <kept_i, g_j> or <s kept_i, s kept_j>: the diagonal is <kept_i, g_i>
  if (leak === 0) {
    const kept = used(signed, (x) => ops.relu(x)); // s times the kept part
    direction = ops.mul(s, overTasks(kept, scale));
    products = used(kept, (k) => ops.matMul(k, k, false, true));
  } else {
    const kept = used(signed, (x) => ops.mul(ops.add(ops.mul(ops.greaterAsFloat(x, c.zero), c.rest), c.leak), jacobian));
    direction = overTasks(kept, scale);
    products = used(kept, (k) => ops.matMul(k, jacobian, false, true));
  }
  // With the Gramian's diagonal ||g_i||^2: two small MatMuls cost less than squaring and summing
  // the [tasks, P] products, and two read-backs less than an op joining them.
  const dots = products.dataSync();
  const norms = ops.matMul(jacobian, jacobian, false, true).dataSync();
  // A task whose gradient is 0 keeps all of nothing: report 1, not 0.
  const shares = Array.from({ length: t }, (_, i) => {
    const norm = norms[i * t + i]!;
    return norm === 0 ? 1 : Math.fround(dots[i * t + i]! / norm);
  });
  return { direction: ops.reshape(direction, [jacobian.shape[1]!]), shares };
}

/**
 * From this many Jacobian entries on, native TensorFlow's raw ops cost less than a read-back and
 * the JavaScript loop (CPU time, 2 tasks, measured 2026-11-30 on the loaded 2-core machine:
 * 2 x 2,048 coordinates, the representation of a batch of 32, loop 120 us, ops 360 us; about even
 * at 2 x 8,192; 2 x 108,864, the reference network's shared parameters, loop 3.8 ms, ops 0.9 ms).
 */
const RAW_OPS_FROM = 1 << 14;

export function graddropWeighting(tf: Tf, params: Record<string, number | string>): TensorWeighting {
  const leak = Number(params.leak ?? 0);
  const native = tf.getBackend() === 'tensorflow' ? nativeOps(tf) : undefined;
  const constants = native ? gradDropConstants(tf, leak) : undefined;
  let last: number[] = [];
  // The draws' array is reused from step to step (a new one of 10^5 numbers cost as much as
  // filling it): the tensor made from it is read within this call (native TensorFlow copies
  // it when an op first reads it) and goes with the call's tidy.
  let draws = new Float32Array(0);
  return {
    variables: [],
    aggregate: (jacobian, _active, ctx, scale = 1) => {
      const [t, p] = jacobian.shape;
      if (draws.length !== p) draws = new Float32Array(p);
      const u = fillUniform(draws, Math.floor(ctx.random() * 2 ** 32));
      if (native && t * p >= RAW_OPS_FROM) {
        return tf.tidy(() => {
          const out = gradDropNative(tf, native, constants!, jacobian, tf.tensor2d(u, [1, p]), leak, scale);
          last = out.shares;
          return out.direction as TF.Tensor1D;
        });
      }
      const out = gradDropDirection(jacobian.dataSync(), t, u, leak, scale);
      last = out.shares;
      return tf.tensor1d(out.direction);
    },
    lastWeights: () => last,
    current: () => ({}),
    dispose: () => {
      native?.dispose();
      if (constants) disposeGradDropConstants(tf, constants);
    },
  };
}
