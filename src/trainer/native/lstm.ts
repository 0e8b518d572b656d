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
import { recurrentHelpers, type RecurrentVars } from './recurrent';

/** What the backward pass needs of one time step. */
interface StepState { s: TF.Tensor; i: TF.Tensor; f: TF.Tensor; o: TF.Tensor; g: TF.Tensor; tc: TF.Tensor; h: TF.Tensor; cPrev?: TF.Tensor }

export function nativeLstm(tf: Tf, ops: NativeOps, l: RecurrentLayer, layer: TF.layers.Layer): NativeLayer {
  const cell = (layer as unknown as RecurrentVars).cell;
  const units = l.units;
  const act = l.activation ?? 'tanh';
  const gates = [units, units, units, units];
  const sequences = l.returnSequences ?? false;
  const r = recurrentHelpers(tf, ops, units);
  let steps: StepState[] = [];

  return {
    forward(x) {
      const [n, count, features] = x.shape as [number, number, number];
      const kernel = cell.kernel.read();
      const recurrent = cell.recurrentKernel.read();
      const bias = cell.bias?.read();
      const xw = r.perStep(ops.matMul(r.rows(x, features), kernel), n, count, 4 * units);
      steps = [];
      let h: TF.Tensor | undefined;
      let cPrev: TF.Tensor | undefined;
      const outputs: TF.Tensor[] = [];
      for (let t = 0; t < count; t++) {
        // The tape adds h U = 0 and f * 0 at the first step: exact zeros, left out here.
        let z = h ? ops.add(xw[t]!, ops.matMul(h, recurrent)) : xw[t]!;
        if (bias) z = ops.biasAdd(z, bias);
        const s = r.hardSigmoid(z);
        const [i, f, , o] = ops.split(s, gates, 1) as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
        const g = activate(ops, act, ops.split(z, gates, 1)[2]!);
        const ct = cPrev ? ops.add(ops.mul(f, cPrev), ops.mul(i, g)) : ops.mul(i, g);
        const tc = activate(ops, act, ct);
        const hNext = ops.mul(o, tc);
        steps.push({ s, i, f, o, g, tc, h: h ?? r.zeros(n), ...(cPrev ? { cPrev } : {}) });
        h = hNext;
        cPrev = ct;
        if (sequences) outputs.push(hNext);
      }
      return sequences ? r.sequence(outputs, n, count) : h!;
    },
    backward(gy, x, _y, wantInput) {
      const [n, count, features] = x.shape as [number, number, number];
      const kernel = cell.kernel.read();
      const recurrent = cell.recurrentKernel.read();
      const given = sequences ? r.perStep(gy, n, count, units) : undefined;
      const dzs: TF.Tensor[] = new Array<TF.Tensor>(count);
      let dhNext: TF.Tensor | undefined;
      let dc: TF.Tensor | undefined;
      for (let t = count - 1; t >= 0; t--) {
        const st = steps[t]!;
        const dh = r.stateGrad(gy, given, t, count, dhNext);
        const dFromH = activationGrad(ops, act, st.tc, ops.mul(dh, st.o));
        dc = dc ? ops.add(dc, dFromH) : dFromH;
        const m = r.hardSigmoidSlope(st.s);
        const [mi, mf, , mo] = ops.split(m, gates, 1) as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor];
        const di = ops.mul(ops.mul(dc, st.g), mi);
        const df = st.cPrev ? ops.mul(ops.mul(dc, st.cPrev), mf) : r.zeros(n);
        const dg = activationGrad(ops, act, st.g, ops.mul(dc, st.i));
        const dO = ops.mul(ops.mul(dh, st.tc), mo);
        const dz = ops.concat([di, df, dg, dO], 1);
        dzs[t] = dz;
        if (t > 0) {
          dhNext = ops.matMul(dz, recurrent, false, true);
          dc = ops.mul(dc, st.f);
        }
      }
      const dz = r.joinRows(dzs, 4 * units);
      const params: Array<[string, TF.Variable, TF.Tensor]> = [
        ['kernel', kernel, ops.matMul(r.rows(x, features), dz, true, false)],
        ['recurrentKernel', recurrent, ops.matMul(r.joinRows(steps.map((s) => s.h), units), dz, true, false)],
      ];
      if (cell.bias) params.push(['bias', cell.bias.read(), ops.biasAddGrad(dz)]);
      return { ...(wantInput ? { input: ops.reshape(ops.matMul(dz, kernel, false, true), [n, count, features]) } : {}), params };
    },
    params: () => [['kernel', cell.kernel.read()], ['recurrentKernel', cell.recurrentKernel.read()], ...(cell.bias ? [['bias', cell.bias.read()] as [string, TF.Variable]] : [])],
    dispose: r.dispose,
  };
}
