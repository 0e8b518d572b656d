// MMoE in the compiled step (Ma et al. 2018, eqs. 4-5; model/blockLayers.ts Mmoe): experts
// h = act(x E + b_E) [n, experts, units], gates g = softmax(x G + b_G) [n, tasks, experts],
// task k's output sum_i g_ki h_i, one BatchMatMul: [n, tasks, units]. Backward: the gradients
// at the gates and the experts are one BatchMatMul each, through the softmax
// (p (g - sum(g p))) and the activation; each kernel's gradient and each part of the input's
// is one Einsum, each bias's a Sum over the batch.
import type * as TF from '@tensorflow/tfjs';
import type { MmoeLayer } from '../../core/spec';
import { activate, activationGrad } from './activation';
import type { BlockOps } from './blockOps';
import type { NativeLayer } from './layer';
import type { NativeOps } from './ops';

/** The block layer's variables (model/blockLayers.ts Mmoe). */
interface MmoeVars { experts: { read(): TF.Variable }; expertBias: { read(): TF.Variable }; gates: { read(): TF.Variable }; gateBias: { read(): TF.Variable } }

export function nativeMmoe(ops: NativeOps, bo: BlockOps, l: MmoeLayer, layer: TF.layers.Layer): NativeLayer {
  const v = layer as unknown as MmoeVars;
  const act = l.activation ?? 'relu';
  /** The forward's experts and gates, for the backward pass. */
  let saved: { h: TF.Tensor; g: TF.Tensor } | undefined;
  return {
    forward(x) {
      const h = activate(ops, act, ops.add(bo.einsum('nd,edu->neu', x, v.experts.read()), v.expertBias.read()));
      const g = bo.softmax(ops.add(bo.einsum('nd,tde->nte', x, v.gates.read()), v.gateBias.read()));
      saved = { h, g };
      return bo.batchMatMul(g, h);
    },
    backward(gy, x, _y, wantInput) {
      const { h, g } = saved!;
      const experts = v.experts.read();
      const gates = v.gates.read();
      const dh = activationGrad(ops, act, h, bo.batchMatMul(g, gy, true, false));
      const dz = bo.softmaxGrad(g, bo.batchMatMul(gy, h, false, true));
      return {
        ...(wantInput ? { input: ops.add(bo.einsum('neu,edu->nd', dh, experts), bo.einsum('nte,tde->nd', dz, gates)) } : {}),
        params: [
          ['experts', experts, bo.einsum('nd,neu->edu', x, dh)],
          ['expertBias', v.expertBias.read(), ops.sum(dh, 0)],
          ['gates', gates, bo.einsum('nd,nte->tde', x, dz)],
          ['gateBias', v.gateBias.read(), ops.sum(dz, 0)],
        ],
      };
    },
    params: () => [['experts', v.experts.read()], ['expertBias', v.expertBias.read()], ['gates', v.gates.read()], ['gateBias', v.gateBias.read()]],
  };
}
