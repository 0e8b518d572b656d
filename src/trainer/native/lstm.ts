// LSTM in the compiled step, as tfjs-layers' LSTMCell computes it (layers/recurrent.js): gates
// in the order i, f, c, o from z = x W + h U + b; i, f, o by the hard sigmoid
// clip(0.5 + 0.2 z, 0, 1) (tfjs' default recurrent activation; tfjs-node clips with Minimum
// then Maximum), candidate and cell output by the layer's activation; c = f c' + i g,
// h = o act(c); zero initial state. The tape unrolls this into about a hundred ops per time
// step; here the input projection of every step is one MatMul before the loop, the backward
// pass through time keeps only the per-step part, and the kernel, recurrent kernel and bias
// gradients are one MatMul (or BiasAddGrad) each over all steps.
import type * as TF from '@tensorflow/tfjs';
import type { RecurrentLayer } from '../../core/spec';
import type { Tf } from '../backend';
import { activate, activationGrad } from './activation';
import type { NativeLayer } from './layer';
import type { NativeOps } from './ops';

interface LstmVars { cell: { kernel: { read(): TF.Variable }; recurrentKernel: { read(): TF.Variable }; bias?: { read(): TF.Variable } | null } }

/** What the backward pass needs of one time step. */
interface StepState { s: TF.Tensor; i: TF.Tensor; f: TF.Tensor; o: TF.Tensor; g: TF.Tensor; tc: TF.Tensor; h: TF.Tensor; cPrev?: TF.Tensor }

export function nativeLstm(tf: Tf, ops: NativeOps, l: RecurrentLayer, layer: TF.layers.Layer): NativeLayer {
  const cell = (layer as unknown as LstmVars).cell;
  const units = l.units;
  const act = l.activation ?? 'tanh';
  const gates = [units, units, units, units];
  const sequences = l.returnSequences ?? false;
  /** 0.2, 0.5, 0, 1 and zero states by batch size: kept, made once. */
  const kept = new Map<string, TF.Tensor>();
  const constant = (key: string, make: () => TF.Tensor) => kept.get(key) ?? kept.set(key, tf.keep(make())).get(key)!;
  const c = (v: number) => constant(`${v}`, () => tf.scalar(v));
  const zeros = (n: number) => constant(`zeros${n}`, () => tf.zeros([n, units]));
  let steps: StepState[] = [];
  /** [n * steps, features]: rows batch-major, as [n, steps, features] flattens. */
  const rows = (x: TF.Tensor, width: number) => ops.reshape(x, [x.shape[0]! * x.shape[1]!, width]);
  /** Per-step [n, width] pieces of [n, steps, width] (or of [n * steps, width] rows). */
  const perStep = (x: TF.Tensor, n: number, count: number, width: number) => {
    const wide = ops.reshape(x, [n, count * width]);
    return count === 1 ? [wide] : ops.split(wide, new Array<number>(count).fill(width), 1);
  };
  /** Per-step [n, width] pieces side by side, as [n * count, width] rows. */
  const joinRows = (xs: TF.Tensor[], width: number) => {
    const wide = xs.length === 1 ? xs[0]! : ops.concat(xs, 1);
    return ops.reshape(wide, [wide.shape[0]! * xs.length, width]);
  };

  return {
    forward(x) {
      const [n, count, features] = x.shape as [number, number, number];
      const kernel = cell.kernel.read();
      const recurrent = cell.recurrentKernel.read();
      const bias = cell.bias?.read();
      const xw = perStep(ops.matMul(rows(x, features), kernel), n, count, 4 * units);
      steps = [];
      let h: TF.Tensor | undefined;
      let cPrev: TF.Tensor | undefined;
      const outputs: TF.Tensor[] = [];
      for (let t = 0; t < count; t++) {
        // The tape adds h U = 0 and f * 0 at the first step: exact zeros, left out here.
        let z = h ? ops.add(xw[t]!, ops.matMul(h, recurrent)) : xw[t]!;
        if (bias) z = ops.biasAdd(z, bias);
        const s = ops.maximum(ops.minimum(ops.add(ops.mul(z, c(0.2)), c(0.5)), c(1)), c(0));
        const [i, f, , o] = ops.split(s, gates, 1) as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
        const g = activate(ops, act, ops.split(z, gates, 1)[2]!);
        const ct = cPrev ? ops.add(ops.mul(f, cPrev), ops.mul(i, g)) : ops.mul(i, g);
        const tc = activate(ops, act, ct);
        const hNext = ops.mul(o, tc);
        steps.push({ s, i, f, o, g, tc, h: h ?? zeros(n), ...(cPrev ? { cPrev } : {}) });
        h = hNext;
        cPrev = ct;
        if (sequences) outputs.push(hNext);
      }
      return sequences ? ops.reshape(outputs.length === 1 ? outputs[0]! : ops.concat(outputs, 1), [n, count, units]) : h!;
    },
    backward(gy, x, _y, wantInput) {
      const [n, count, features] = x.shape as [number, number, number];
      const kernel = cell.kernel.read();
      const recurrent = cell.recurrentKernel.read();
      const given = sequences ? perStep(gy, n, count, units) : undefined;
      const dzs: TF.Tensor[] = new Array<TF.Tensor>(count);
      let dhNext: TF.Tensor | undefined;
      let dc: TF.Tensor | undefined;
      for (let t = count - 1; t >= 0; t--) {
        const st = steps[t]!;
        const parts = [...(given ? [given[t]!] : t === count - 1 ? [gy] : []), ...(dhNext ? [dhNext] : [])];
        const dh = ops.addN(parts);
        const dFromH = activationGrad(ops, act, st.tc, ops.mul(dh, st.o));
        dc = dc ? ops.add(dc, dFromH) : dFromH;
        // The hard sigmoid passes 0.2 of the gradient where it is not clipped: 0 < s < 1.
        const m = ops.mul(ops.sign(ops.mul(st.s, ops.sub(c(1), st.s))), c(0.2));
        const [mi, mf, , mo] = ops.split(m, gates, 1) as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
        const di = ops.mul(ops.mul(dc, st.g), mi);
        const df = st.cPrev ? ops.mul(ops.mul(dc, st.cPrev), mf) : zeros(n);
        const dg = activationGrad(ops, act, st.g, ops.mul(dc, st.i));
        const dO = ops.mul(ops.mul(dh, st.tc), mo);
        const dz = ops.concat([di, df, dg, dO], 1);
        dzs[t] = dz;
        if (t > 0) {
          dhNext = ops.matMul(dz, recurrent, false, true);
          dc = ops.mul(dc, st.f);
        }
      }
      const dz = joinRows(dzs, 4 * units);
      const params: Array<[string, TF.Variable, TF.Tensor]> = [
        ['kernel', kernel, ops.matMul(rows(x, features), dz, true, false)],
        ['recurrentKernel', recurrent, ops.matMul(joinRows(steps.map((s) => s.h), units), dz, true, false)],
      ];
      if (cell.bias) params.push(['bias', cell.bias.read(), ops.biasAddGrad(dz)]);
      return { ...(wantInput ? { input: ops.reshape(ops.matMul(dz, kernel, false, true), [n, count, features]) } : {}), params };
    },
    params: () => [['kernel', cell.kernel.read()], ['recurrentKernel', cell.recurrentKernel.read()], ...(cell.bias ? [['bias', cell.bias.read()] as [string, TF.Variable]] : [])],
    dispose: () => { tf.dispose([...kept.values()]); kept.clear(); },
  };
}
