// Raw TensorFlow ops for the compiled step's convolution, pooling and batch-norm layers
// (conv.ts, pool.ts, batchNorm.ts): the forward kernels and TensorFlow's own gradient kernels,
// called by name as ops.ts calls the dense ones. These are the kernels tfjs-node runs for
// tfjs-core's conv2d, maxPool, avgPool and their gradients (its kernels/Conv2D.js,
// Conv2DBackpropInput.js, MaxPoolGrad.js...), without tfjs-core's per-op bookkeeping or the
// shape tensor each of those uploads per call. NHWC, float32 throughout.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { NativeOps, OpAttr } from './ops';

/** A window's settings: [height, width] each; `padding` as the spec writes it. */
export interface Window { size: [number, number]; strides: [number, number]; padding: 'valid' | 'same' }

export type SpatialOps = ReturnType<typeof spatialOps>;

export function spatialOps(tf: Tf, ops: NativeOps) {
  const { backend: be, constInt } = ops.raw;
  const b = be.binding;
  const T: OpAttr = { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT };
  const U: OpAttr = { name: 'U', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT };
  const nhwc: OpAttr = { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' };
  const ints = (name: string, value: number[]): OpAttr => ({ name, type: b.TF_ATTR_INT, value });
  const padding = (w: Window): OpAttr => ({ name: 'padding', type: b.TF_ATTR_STRING, value: w.padding === 'same' ? 'SAME' : 'VALID' });
  const strides = (w: Window) => ints('strides', [1, w.strides[0], w.strides[1], 1]);
  /** Conv2D's attributes; its two gradient ops take the same. */
  const convAttrs = (w: Window): OpAttr[] => [T, strides(w), { name: 'use_cudnn_on_gpu', type: b.TF_ATTR_BOOL, value: true },
    padding(w), nhwc, ints('dilations', [1, 1, 1, 1])];
  const poolAttrs = (w: Window): OpAttr[] => [T, ints('ksize', [1, w.size[0], w.size[1], 1]), strides(w), padding(w), nhwc];
  const bnAttrs = (epsilon: number): OpAttr[] => [T, U, { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: epsilon }, nhwc,
    { name: 'is_training', type: b.TF_ATTR_BOOL, value: true }];
  /** Training mode takes no population statistics: empty tensors stand in, made once. */
  let empty: TF.Tensor | undefined;
  const none = () => (empty ??= tf.keep(tf.zeros([0])));
  return {
    dispose: () => { empty?.dispose(); empty = undefined; },
    /** x [n, h, w, c] * filter [kh, kw, c, f] -> [n, h', w', f] (`w.size` is the kernel's). */
    conv2d: (x: TF.Tensor, filter: TF.Tensor, w: Window) => be.executeSingleOutput('Conv2D', convAttrs(w), [x, filter]),
    /** The gradient at a convolution's input (of shape `inputShape`, batch included). */
    conv2dBackpropInput: (inputShape: number[], filter: TF.Tensor, dy: TF.Tensor, w: Window) =>
      be.executeSingleOutput('Conv2DBackpropInput', convAttrs(w), [constInt(inputShape), filter, dy]),
    /** The gradient at a convolution's filter. */
    conv2dBackpropFilter: (x: TF.Tensor, filterShape: number[], dy: TF.Tensor, w: Window) =>
      be.executeSingleOutput('Conv2DBackpropFilter', convAttrs(w), [x, constInt(filterShape), dy]),
    maxPool: (x: TF.Tensor, w: Window) => be.executeSingleOutput('MaxPool', poolAttrs(w), [x]),
    /** MaxPoolGrad(input, output, dy): dy goes to each window's (first) maximum. */
    maxPoolGrad: (x: TF.Tensor, y: TF.Tensor, dy: TF.Tensor, w: Window) => be.executeSingleOutput('MaxPoolGrad', poolAttrs(w), [x, y, dy]),
    avgPool: (x: TF.Tensor, w: Window) => be.executeSingleOutput('AvgPool', poolAttrs(w), [x]),
    avgPoolGrad: (inputShape: number[], dy: TF.Tensor, w: Window) => be.executeSingleOutput('AvgPoolGrad', poolAttrs(w), [constInt(inputShape), dy]),
    /**
     * Training-mode batch norm of x [n, h, w, c] over its first three axes: y, the batch mean
     * and the biased batch variance (what tfjs-layers' moving averages take; the op's own
     * batch_variance output is Bessel-corrected), and what its gradient op needs.
     */
    batchNorm: (x: TF.Tensor, gamma: TF.Tensor, beta: TF.Tensor, epsilon: number) => {
      const out = be.executeMultipleOutputs('FusedBatchNormV3', [...bnAttrs(epsilon), { name: 'exponential_avg_factor', type: b.TF_ATTR_FLOAT, value: 1 }],
        [x, gamma, beta, none(), none()], 6);
      // Outputs: y, batch_mean, batch_variance (corrected), reserve 1 (mean), 2 (biased variance), 3.
      out[1]!.dispose();
      out[2]!.dispose();
      return { y: out[0]!, mean: out[3]!, variance: out[4]!, reserve: [out[3]!, out[4]!, out[5]!] as const };
    },
    /** The gradients at x, gamma and beta from dy, with the forward's `reserve`. */
    batchNormGrad: (dy: TF.Tensor, x: TF.Tensor, gamma: TF.Tensor, reserve: readonly TF.Tensor[], epsilon: number) => {
      const out = be.executeMultipleOutputs('FusedBatchNormGradV3', bnAttrs(epsilon), [dy, x, gamma, ...reserve], 5);
      out[3]!.dispose();
      out[4]!.dispose();
      return { dx: out[0]!, dGamma: out[1]!, dBeta: out[2]! };
    },
  };
}
