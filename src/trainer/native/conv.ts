// conv2d in the compiled step: Conv2D, its bias and activation forward; backward through the
// activation, then TensorFlow's Conv2DBackpropFilter for the kernel, BiasAddGrad for the bias
// and Conv2DBackpropInput for the input, the kernels tfjs-core's conv2d gradient runs.
import type * as TF from '@tensorflow/tfjs';
import type { Conv2dLayer } from '../../core/spec';
import { activate, activationGrad } from './activation';
import { pair, type NativeLayer, type ParamGrad } from './layer';
import type { NativeOps } from './ops';
import type { SpatialOps, Window } from './spatialOps';

interface ConvVars { kernel: { read(): TF.Variable }; bias?: { read(): TF.Variable } | null }

export function nativeConv(ops: NativeOps, sp: SpatialOps, l: Conv2dLayer, layer: TF.layers.Layer): NativeLayer {
  const v = layer as unknown as ConvVars;
  const w: Window = { size: pair(l.kernelSize, [1, 1]), strides: pair(l.strides, [1, 1]), padding: l.padding ?? 'valid' };
  const act = l.activation ?? 'linear';
  return {
    forward(x) {
      const z = sp.conv2d(x, v.kernel.read(), w);
      return activate(ops, act, v.bias ? ops.biasAdd(z, v.bias.read()) : z);
    },
    backward(gy, x, y, wantInput) {
      const gz = activationGrad(ops, act, y, gy);
      const kernel = v.kernel.read();
      const params: ParamGrad[] = [['kernel', kernel, sp.conv2dBackpropFilter(x, kernel.shape, gz, w)]];
      if (v.bias) params.push(['bias', v.bias.read(), ops.biasAddGrad(gz)]);
      return { ...(wantInput ? { input: sp.conv2dBackpropInput(x.shape, kernel, gz, w) } : {}), params };
    },
    params: () => [['kernel', v.kernel.read()], ...(v.bias ? [['bias', v.bias.read()] as [string, TF.Variable]] : [])],
  };
}
