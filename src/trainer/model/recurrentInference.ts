// LSTM and GRU forward passes where no gradient is taken through the layer's cell (evaluation,
// prediction): the same values as tfjs-layers' cell (layers/recurrent.js) in fewer and larger
// ops. tfjs-layers runs about 30 eager ops a time step (the input's own MatMul, each gate's
// hard sigmoid as Mul, Add, Minimum and Maximum...), each with tfjs' fixed cost; here the input
// projection of every step is one MatMul before the loop and the hard sigmoid is Relu6 on
// weights scaled once, as in the fused graph step (graph/recurrentLayers.ts): about 14 ops a
// step. The loop evaluates every epoch (validation, and 2,000 training rows), so on the bench's
// LSTM this was a third of an epoch's CPU time at batch 32. Not yet understood: the first call
// at a new batch size costs more than tfjs-layers' (2,000 rows: 0.28 against 0.15 s of CPU;
// later calls 0.08 against 0.11); evaluation in the graph session (graph/recurrentLayers.ts
// `infer`) takes over where the fused graph trains.
// - LSTM: z = x W + h U + b in gate columns i, f, c, o; i, f, o = clip(0.2 z + 0.5, 0, 1) =
//   Relu6(1.2 z + 3) / 6; g = act(z_c); c = f c' + i g; h = o act(c).
// - GRU (reset before the recurrent product): z, r from x W_zr + h U_zr + b_zr as above;
//   hh = act(x W_h + b_h + (r h) U_h); h' = z h + (1 - z) hh.
// Zero initial state: the first step has no recurrent product and no forget part.
import type * as TF from '@tensorflow/tfjs';
import type { RecurrentLayer } from '../../core/spec';
import type { Tf } from '../backend';
import type { RecurrentVars } from '../native/recurrent';

/**
 * The layer's output for x [n, steps, features]: the last state [n, units], or every state
 * [n, steps, units]. `activate` applies the layer's activation (candidate and cell output) by name.
 */
export function recurrentInference(tf: Tf, l: RecurrentLayer, layer: TF.layers.Layer, x: TF.Tensor, activate: (x: TF.Tensor, activation: string) => TF.Tensor): TF.Tensor {
  return tf.tidy(() => {
    const cell = (layer as unknown as RecurrentVars).cell;
    const [n, steps, features] = x.shape as [number, number, number];
    const u = l.units;
    const act = (v: TF.Tensor) => activate(v, l.activation ?? 'tanh');
    const lstm = l.type === 'lstm';
    // Gate columns: the hard sigmoid's gates scaled by 1.2 and shifted by 3; the candidate's left as they are.
    const hardColumns = lstm ? [true, true, false, true] : [true, true, false];
    const byColumns = (hard: number, plain: number) => tf.tensor1d(hardColumns.flatMap((h) => new Array<number>(u).fill(h ? hard : plain)));
    const scale = byColumns(1.2, 1);
    const kernel = tf.mul(cell.kernel.read(), scale);
    const recurrent = tf.mul(cell.recurrentKernel.read(), scale);
    const shift = byColumns(3, 0);
    const bias = cell.bias ? tf.add(tf.mul(cell.bias.read(), scale), shift) : shift;
    const projected = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [n * steps, features]), kernel), bias), [n, steps, hardColumns.length * u]);
    const xs = steps === 1 ? [tf.reshape(projected, [n, hardColumns.length * u])] : tf.unstack(projected, 1);
    const sixth = tf.scalar(1 / 6);
    const hard = (z: TF.Tensor) => tf.mul(tf.relu6(z), sixth);
    const hs: TF.Tensor[] = [];
    if (lstm) {
      let h: TF.Tensor | undefined;
      let c: TF.Tensor | undefined;
      for (const xt of xs) {
        const [zi, zf, zc, zo] = tf.split(h ? tf.add(xt, tf.matMul(h, recurrent)) : xt, 4, 1) as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
        const ig = tf.mul(hard(zi), act(zc));
        c = c ? tf.add(tf.mul(hard(zf), c), ig) : ig;
        h = tf.mul(hard(zo), act(c));
        hs.push(h);
      }
    } else {
      // The h columns' scale is 1: U_h is the recurrent kernel's own.
      const [uzr, uh] = tf.split(recurrent, [2 * u, u], 1) as [TF.Tensor, TF.Tensor];
      const one = tf.scalar(1);
      let h: TF.Tensor | undefined;
      for (const xt of xs) {
        const [xzr, xh] = tf.split(xt, [2 * u, u], 1) as [TF.Tensor, TF.Tensor];
        const [z, r] = tf.split(hard(h ? tf.add(xzr, tf.matMul(h, uzr)) : xzr), 2, 1) as [TF.Tensor, TF.Tensor];
        const hh = act(h ? tf.add(xh, tf.matMul(tf.mul(r, h), uh)) : xh);
        const fresh = tf.mul(tf.sub(one, z), hh);
        h = h ? tf.add(tf.mul(z, h), fresh) : fresh;
        hs.push(h);
      }
    }
    return l.returnSequences ? tf.stack(hs, 1) : hs[hs.length - 1]!;
  });
}
