// parallelDense in the compiled step: one dense layer per column, y_c = act(x_c W_c + b_c)
// (model/blockLayers.ts), as one Einsum over the stacked kernel [columns, d, units]; the input
// is [n, d] (read by every column) or [n, columns, d]. Backward: the kernel's gradient and the
// input's are one Einsum each, the bias's a Sum over the batch. Soft sharing's penalty is not
// here: its gradient joins the kernel's where weight decay does (denseStep.ts `update`).
import type * as TF from '@tensorflow/tfjs';
import type { ParallelDenseLayer } from '../../core/spec';
import { activate, activationGrad } from './activation';
import type { BlockOps } from './blockOps';
import type { NativeLayer, ParamGrad } from './layer';
import type { NativeOps } from './ops';

/** The block layer's variables (model/blockLayers.ts ParallelDense). */
interface ParallelDenseVars { kernel: { read(): TF.Variable }; bias?: { read(): TF.Variable } }

/** `inputRank`: 1 for a vector read by every column, 2 for columns [columns, d]. */
export function nativeParallelDense(ops: NativeOps, bo: BlockOps, l: ParallelDenseLayer, layer: TF.layers.Layer, inputRank: number): NativeLayer {
  const v = layer as unknown as ParallelDenseVars;
  const act = l.activation ?? 'linear';
  const xs = inputRank === 1 ? 'nd' : 'ncd';
  return {
    forward(x) {
      const z = bo.einsum(`${xs},cdu->ncu`, x, v.kernel.read());
      return activate(ops, act, v.bias ? ops.add(z, v.bias.read()) : z);
    },
    backward(gy, x, y, wantInput) {
      const gz = activationGrad(ops, act, y, gy);
      const kernel = v.kernel.read();
      const params: ParamGrad[] = [['kernel', kernel, bo.einsum(`${xs},ncu->cdu`, x, gz)]];
      if (v.bias) params.push(['bias', v.bias.read(), ops.sum(gz, 0)]);
      return { ...(wantInput ? { input: bo.einsum(`ncu,cdu->${xs}`, gz, kernel) } : {}), params };
    },
    params: () => [['kernel', v.kernel.read()], ...(v.bias ? [['bias', v.bias.read()] as [string, TF.Variable]] : [])],
  };
}
