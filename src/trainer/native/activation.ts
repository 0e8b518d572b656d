// The activations the compiled step computes itself, forward and backward, shared by its
// dense and convolution layers. A backward op takes the layer's output (the saved value),
// as tfjs-core's fused kernels' gradients do.
import type * as TF from '@tensorflow/tfjs';
import type { NativeOps } from './ops';

export const NATIVE_ACTIVATIONS: ReadonlySet<string> = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'elu']);

export function activate(ops: NativeOps, activation: string, z: TF.Tensor): TF.Tensor {
  switch (activation) {
    case 'relu': return ops.relu(z);
    case 'sigmoid': return ops.sigmoid(z);
    case 'tanh': return ops.tanh(z);
    case 'elu': return ops.elu(z);
    default: return z;
  }
}

/** The gradient before the activation, from the one after it (`gy`) and its output `y`. */
export function activationGrad(ops: NativeOps, activation: string, y: TF.Tensor, gy: TF.Tensor): TF.Tensor {
  switch (activation) {
    case 'relu': return ops.reluGrad(gy, y);
    case 'sigmoid': return ops.sigmoidGrad(y, gy);
    case 'tanh': return ops.tanhGrad(y, gy);
    case 'elu': return ops.eluGrad(gy, y);
    default: return gy;
  }
}
