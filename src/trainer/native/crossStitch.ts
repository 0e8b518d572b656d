// crossStitch in the compiled step: column i = sum_j alpha_ij column j (Misra et al. 2016,
// eq. 1; model/blockLayers.ts), as one Einsum over x [n, columns, features] (wider features
// flattened to one axis first). Backward: alpha's gradient sum_{n,f} g_nif x_njf and the
// input's sum_i alpha_ij g_nif, one Einsum each.
import type * as TF from '@tensorflow/tfjs';
import type { BlockOps } from './blockOps';
import type { NativeLayer } from './layer';
import type { NativeOps } from './ops';

/** The block layer's variable (model/blockLayers.ts CrossStitch). */
interface CrossStitchVars { alpha: { read(): TF.Variable } }

/** `input`: the input's shape without the batch, [columns, ...features]. */
export function nativeCrossStitch(ops: NativeOps, bo: BlockOps, layer: TF.layers.Layer, input: readonly number[]): NativeLayer {
  const v = layer as unknown as CrossStitchVars;
  const columns = input[0]!;
  const features = input.slice(1).reduce((a, b) => a * b, 1);
  // [n, columns, features] as the Einsums take it: a rank-3 input is that already.
  const flat = (x: TF.Tensor) => (x.shape.length === 3 ? x : ops.reshape(x, [x.shape[0]!, columns, features]));
  const back = (x: TF.Tensor) => (input.length === 2 ? x : ops.reshape(x, [x.shape[0]!, ...input]));
  return {
    forward: (x) => back(bo.einsum('ij,njf->nif', v.alpha.read(), flat(x))),
    backward(gy, x, _y, wantInput) {
      const alpha = v.alpha.read();
      const g = flat(gy);
      return {
        ...(wantInput ? { input: back(bo.einsum('ij,nif->njf', alpha, g)) } : {}),
        params: [['alpha', alpha, bo.einsum('nif,njf->ij', g, flat(x))]],
      };
    },
    params: () => [['alpha', v.alpha.read()]],
  };
}
