// GradDrop on tensors (the formula and the choice of modes: src/core/weighting/graddrop.ts).
// One uniform number per coordinate each step, drawn in JavaScript from a seed taken from the
// run's weighting stream (ctx.random(); core/random.ts fillSymmetric, as V = 1 - 2U), so runs
// repeat and every backend sees the same draws (16-bit numbers: the chance of keeping a sign is
// P to within 2^-16); TensorFlow's own generator (StatelessRandomUniform, Philox) took 2-3 times
// the CPU time of the JavaScript loop, upload included. Two implementations of the one
// formula, chosen by size: a small Jacobian (the shared representation of a batch: a few thousand
// numbers) is read back and combined in one JavaScript loop (core/weighting/gradDropDirection.ts),
// on every backend; a large one on native TensorFlow (the shared parameters: about 10^5 columns on
// the reference network) in raw ops (gradDropNative: nine ops, two passes over the Jacobian; the
// shares, two passes more and two read-backs, only on the steps whose shares are reported). Both
// are checked on the same hand-worked Jacobian and against each other
// (test/unit/trainer/weighting/graddrop.test.ts).
import type * as TF from '@tensorflow/tfjs';
import { fillSymmetric } from '../../../core/random';
import { gradDropDirection, keptShare } from '../../../core/weighting/gradDropDirection';
import type { Tf } from '../../backend';
import { nativeOps, type NativeOps } from '../../native/ops';
import type { TensorWeighting } from './types';

/** Constants of gradDropNative, made once per weighting; `rows`: by task count and value, a row of that value per task. */
export interface NativeConstants { rest: TF.Tensor; twiceLeak: TF.Tensor; rows: Map<string, TF.Tensor> }

export function gradDropConstants(tf: Tf, leak: number): NativeConstants {
  return { rest: tf.keep(tf.scalar(1 - leak)), twiceLeak: tf.keep(tf.scalar(2 * leak)), rows: new Map() };
}

export function disposeGradDropConstants(tf: Tf, c: NativeConstants): void {
  tf.dispose([c.rest, c.twiceLeak, ...c.rows.values()]);
}

/**
 * The GradDrop direction in raw TensorFlow ops (core/weighting/gradDropDirection.ts on numbers),
 * written for few passes over the [tasks, P] Jacobian: it reads it twice (a MatMul and an Abs)
 * and writes it once (the Abs); everything else is [1, P]. With S = sum_i g_i, A = sum_i |g_i|
 * and the draws V = 1 - 2U, P > U exactly when S + V A > 0 (gradDropDirection.ts). s = sign(S + V A):
 * +1 keeps the positive parts, -1 the negative ones, 0 (P = U) neither. The kept parts sum to
 * R+ = (S + A) / 2 where s = 1 and R- = (S - A) / 2 where s = -1, so with no leak
 * d = s (A + s S) / 2, exactly 0 where s = 0; a leak l adds l times the dropped parts:
 * d = (1 - l) s (A + s S) / 2 + l S. Sums over the tasks are a row times the Jacobian (one MatMul,
 * cheaper than TensorFlow's reduction over the first axis); the row holds `scale` / 2 (the
 * compiled step's learning rate and the half), which costs no op of its own; scaling both S
 * and A by a positive number keeps the sign of S + V A.
 * The shares <kept_i, g_i> / ||g_i||^2 need two more passes over the Jacobian and two MatMuls:
 * only when `measure` (the steps whose shares are reported), else `shares` is undefined.
 * `v`: the draws, [P] or [1, P].
 */
export function gradDropNative(tf: Tf, ops: NativeOps, c: NativeConstants, jacobian: TF.Tensor, v: TF.Tensor, leak: number, scale = 1, measure = true): { direction: TF.Tensor; shares?: number[] } {
  const t = jacobian.shape[0]!;
  const row = (value: number) => {
    const key = `${t}/${value}`;
    let r = c.rows.get(key);
    if (!r) {
      // A schedule moves the scale every step: keep the latest only.
      for (const [k, old] of c.rows) if (k.startsWith(`${t}/`)) { old.dispose(); c.rows.delete(k); }
      c.rows.set(key, r = tf.keep(tf.fill([1, t], value)));
    }
    return r;
  };
  // A scale of 0 (a schedule at rate 0) would make every s 0 and the shares 0: take the sign at
  // 1/2 and multiply by the scale at the end.
  const half = scale > 0 ? scale / 2 : 0.5;
  const overTasks = (x: TF.Tensor) => ops.matMul(row(half), x);
  // Each intermediate goes as soon as it is used: the next one then reuses its memory while it
  // is still in cache (measured: passes over the Jacobian cost 2-4 times more inside a step,
  // when each took fresh memory, than alone in a loop).
  const used = <R>(x: TF.Tensor, f: (x: TF.Tensor) => R): R => { const r = f(x); x.dispose(); return r; };
  const sum = overTasks(jacobian);
  const total = used(ops.abs(jacobian), overTasks);
  const s = used(used(ops.mul(v, total), (vt) => ops.add(sum, vt)), ops.sign);
  let direction = used(used(used(ops.mul(s, sum), (ss) => ops.add(total, ss)), (w) => ops.mul(s, w)), (d) => ops.reshape(d, [jacobian.shape[1]!]));
  total.dispose();
  if (leak !== 0) direction = used(used(direction, (d) => ops.mul(d, c.rest)), (d) => used(ops.mul(sum, c.twiceLeak), (l) => ops.add(d, ops.reshape(l, [jacobian.shape[1]!]))));
  sum.dispose();
  if (!(scale > 0)) direction = used(direction, (d) => ops.mul(d, tf.scalar(scale)));
  if (!measure) { s.dispose(); return { direction }; }
  // relu(s g_i) is s times the masked part of g_i: <masked_i, g_i> = ||relu(s g_i)||^2, the
  // diagonal of a small MatMul; ||g_i||^2 the Gramian's. Two small MatMuls cost less than
  // squaring and summing [tasks, P] products, two read-backs less than an op joining them.
  const masked = used(used(s, (x) => ops.mul(x, jacobian)), ops.relu);
  const dots = used(masked, (k) => ops.matMul(k, k, false, true)).dataSync();
  const norms = ops.matMul(jacobian, jacobian, false, true).dataSync();
  const shares = Array.from({ length: t }, (_, i) => Math.fround(keptShare(dots[i * t + i]!, norms[i * t + i]!, leak)));
  return { direction, shares };
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
    aggregate: (jacobian, _active, ctx, scale = 1, measure = true) => {
      const [t, p] = jacobian.shape;
      if (draws.length !== p) draws = new Float32Array(p);
      const v = fillSymmetric(draws, Math.floor(ctx.random() * 2 ** 32));
      if (native && t * p >= RAW_OPS_FROM) {
        return tf.tidy(() => {
          const out = gradDropNative(tf, native, constants!, jacobian, tf.tensor2d(v, [1, p]), leak, scale, measure);
          if (out.shares) last = out.shares;
          return out.direction as TF.Tensor1D;
        });
      }
      const out = gradDropDirection(jacobian.dataSync(), t, v, leak, scale);
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
