// GRU in the compiled step, as tfjs-layers' GRUCell computes it (layers/recurrent.js, reset
// before the recurrent product): x W + b split into z, r, h parts; with the recurrent kernel
// split as [U_zr | U_h], z and r = hard sigmoid (x_zr + h U_zr), candidate
// hh = act(x_h + (r h) U_h), h' = z h + (1 - z) hh; zero initial state. As in lstm.ts, the input
// projection of every step is one MatMul before the loop, and the kernel, recurrent kernel
// and bias gradients are one op each over all steps after the backward pass through time.
import type * as TF from '@tensorflow/tfjs';
import type { RecurrentLayer } from '../../core/spec';
import type { Tf } from '../backend';
import { activate, activationGrad } from './activation';
import type { NativeLayer } from './layer';
import type { NativeOps } from './ops';
import { recurrentHelpers, type RecurrentVars } from './recurrent';

/** What the backward pass needs of one time step (h: the state it read). */
interface StepState { s: TF.Tensor; z: TF.Tensor; r: TF.Tensor; omz: TF.Tensor; hh: TF.Tensor; h: TF.Tensor; rh: TF.Tensor }

export function nativeGru(tf: Tf, ops: NativeOps, l: RecurrentLayer, layer: TF.layers.Layer): NativeLayer {
  const cell = (layer as unknown as RecurrentVars).cell;
  const units = l.units;
  const act = l.activation ?? 'tanh';
  const sequences = l.returnSequences ?? false;
  const r = recurrentHelpers(tf, ops, units);
  let steps: StepState[] = [];

  return {
    forward(x) {
      const [n, count, features] = x.shape as [number, number, number];
      const recurrent = ops.split(cell.recurrentKernel.read(), [2 * units, units], 1);
      let mx = ops.matMul(r.rows(x, features), cell.kernel.read());
      if (cell.bias) mx = ops.biasAdd(mx, cell.bias.read());
      const xs = r.perStep(mx, n, count, 3 * units);
      steps = [];
      let h: TF.Tensor | undefined;
      const outputs: TF.Tensor[] = [];
      for (let t = 0; t < count; t++) {
        const [xzr, xh] = ops.split(xs[t]!, [2 * units, units], 1) as [TF.Tensor, TF.Tensor];
        // The tape adds h U = 0 and z * 0 at the first step: exact zeros, left out here.
        const s = r.hardSigmoid(h ? ops.add(xzr, ops.matMul(h, recurrent[0]!)) : xzr);
        const [z, rg] = ops.split(s, [units, units], 1) as [TF.Tensor, TF.Tensor];
        const rh = h ? ops.mul(rg, h) : r.zeros(n);
        const hh = activate(ops, act, h ? ops.add(xh, ops.matMul(rh, recurrent[1]!)) : xh);
        const omz = ops.sub(r.c(1), z);
        const hNext = h ? ops.add(ops.mul(z, h), ops.mul(omz, hh)) : ops.mul(omz, hh);
        steps.push({ s, z, r: rg, omz, hh, h: h ?? r.zeros(n), rh });
        h = hNext;
        if (sequences) outputs.push(hNext);
      }
      return sequences ? r.sequence(outputs, n, count) : h!;
    },
    backward(gy, x, _y, wantInput) {
      const [n, count, features] = x.shape as [number, number, number];
      const kernel = cell.kernel.read();
      const recurrentKernel = cell.recurrentKernel.read();
      const recurrent = ops.split(recurrentKernel, [2 * units, units], 1);
      const given = sequences ? r.perStep(gy, n, count, units) : undefined;
      const dAs: TF.Tensor[] = new Array<TF.Tensor>(count);
      const dHs: TF.Tensor[] = new Array<TF.Tensor>(count);
      let dhNext: TF.Tensor | undefined;
      for (let t = count - 1; t >= 0; t--) {
        const st = steps[t]!;
        const dh = r.stateGrad(gy, given, t, count, dhNext);
        const dz = ops.mul(dh, ops.sub(st.h, st.hh));
        const dH = activationGrad(ops, act, st.hh, ops.mul(dh, st.omz));
        dHs[t] = dH;
        const dRh = t > 0 ? ops.matMul(dH, recurrent[1]!, false, true) : undefined;
        const dA = ops.mul(ops.concat([dz, dRh ? ops.mul(dRh, st.h) : r.zeros(n)], 1), r.hardSigmoidSlope(st.s));
        dAs[t] = dA;
        if (t > 0) dhNext = ops.addN([ops.mul(dh, st.z), ops.mul(dRh!, st.r), ops.matMul(dA, recurrent[0]!, false, true)]);
      }
      const dA = r.joinRows(dAs, 2 * units);
      const dH = r.joinRows(dHs, units);
      const dMx = ops.concat([dA, dH], 1);
      // [U_zr | U_h]: the gradient of each part from the state it multiplied.
      const dRecurrent = ops.concat([ops.matMul(r.joinRows(steps.map((s) => s.h), units), dA, true, false),
        ops.matMul(r.joinRows(steps.map((s) => s.rh), units), dH, true, false)], 1);
      const params: Array<[string, TF.Variable, TF.Tensor]> = [
        ['kernel', kernel, ops.matMul(r.rows(x, features), dMx, true, false)],
        ['recurrentKernel', recurrentKernel, dRecurrent],
      ];
      if (cell.bias) params.push(['bias', cell.bias.read(), ops.biasAddGrad(dMx)]);
      return { ...(wantInput ? { input: ops.reshape(ops.matMul(dMx, kernel, false, true), [n, count, features]) } : {}), params };
    },
    params: () => [['kernel', cell.kernel.read()], ['recurrentKernel', cell.recurrentKernel.read()], ...(cell.bias ? [['bias', cell.bias.read()] as [string, TF.Variable]] : [])],
    dispose: r.dispose,
  };
}
