// What the compiled LSTM and GRU (lstm.ts, gru.ts) share: their variables, the reshapes
// between [n, steps, width] and per-step pieces or batch-major rows, tfjs' hard sigmoid
// and its slope, and constants made once.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { NativeOps } from './ops';

export interface RecurrentVars { cell: { kernel: { read(): TF.Variable }; recurrentKernel: { read(): TF.Variable }; bias?: { read(): TF.Variable } | null } }

export function recurrentHelpers(tf: Tf, ops: NativeOps, units: number) {
  /** Scalars and zero states by batch size: kept, made once. */
  const kept = new Map<string, TF.Tensor>();
  const constant = (key: string, make: () => TF.Tensor) => kept.get(key) ?? kept.set(key, tf.keep(make())).get(key)!;
  const c = (v: number) => constant(`${v}`, () => tf.scalar(v));
  return {
    c,
    zeros: (n: number) => constant(`zeros${n}`, () => tf.zeros([n, units])),
    /** [n, steps, width] as [n * steps, width]: rows batch-major. */
    rows: (x: TF.Tensor, width: number) => ops.reshape(x, [x.shape[0]! * x.shape[1]!, width]),
    /** Per-step [n, width] pieces of [n, steps, width] (or of its [n * steps, width] rows). */
    perStep: (x: TF.Tensor, n: number, count: number, width: number) => {
      const wide = ops.reshape(x, [n, count * width]);
      return count === 1 ? [wide] : ops.split(wide, new Array<number>(count).fill(width), 1);
    },
    /** Per-step [n, width] pieces side by side, as [n * steps, width] rows. */
    joinRows: (xs: TF.Tensor[], width: number) => {
      const wide = xs.length === 1 ? xs[0]! : ops.concat(xs, 1);
      return ops.reshape(wide, [wide.shape[0]! * xs.length, width]);
    },
    /** Per-step states [n, units] as the sequence [n, steps, units]. */
    sequence: (hs: TF.Tensor[], n: number, count: number) => ops.reshape(hs.length === 1 ? hs[0]! : ops.concat(hs, 1), [n, count, units]),
    /**
     * The gradient reaching step t's state: the output's there (each step's piece of a sequence's
     * gradient, or the whole gradient at the last step) plus what step t + 1 sends back.
     */
    stateGrad: (gy: TF.Tensor, given: TF.Tensor[] | undefined, t: number, count: number, next: TF.Tensor | undefined) =>
      ops.addN([...(given ? [given[t]!] : t === count - 1 ? [gy] : []), ...(next ? [next] : [])]),
    /** tfjs' hardSigmoid, clip(0.5 + 0.2 z, 0, 1); tfjs-node clips with Minimum, then Maximum. */
    hardSigmoid: (z: TF.Tensor) => ops.maximum(ops.minimum(ops.add(ops.mul(z, c(0.2)), c(0.5)), c(1)), c(0)),
    /** Its slope from its output s: 0.2 where it is not clipped (0 < s < 1), else 0. */
    hardSigmoidSlope: (s: TF.Tensor) => ops.mul(ops.sign(ops.mul(s, ops.sub(c(1), s))), c(0.2)),
    dispose: () => { tf.dispose([...kept.values()]); kept.clear(); },
  };
}
