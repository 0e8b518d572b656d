// Max and average pooling in the compiled step: MaxPool / AvgPool forward, TensorFlow's
// MaxPoolGrad / AvgPoolGrad backward (tfjs-core's gradients of maxPool and avgPool). The
// window strides by the pool size unless the spec says otherwise, as in tfjs-layers.
import type { Pool2dLayer } from '../../core/spec';
import { pair, type NativeLayer } from './layer';
import type { SpatialOps, Window } from './spatialOps';

export function nativePool(sp: SpatialOps, l: Pool2dLayer): NativeLayer {
  const size = pair(l.poolSize, [2, 2]);
  const w: Window = { size, strides: pair(l.strides, size), padding: l.padding ?? 'valid' };
  const max = l.type === 'maxPooling2d';
  return {
    forward: (x) => (max ? sp.maxPool(x, w) : sp.avgPool(x, w)),
    backward: (gy, x, y, wantInput) => ({ ...(wantInput ? { input: max ? sp.maxPoolGrad(x, y, gy, w) : sp.avgPoolGrad(x.shape, gy, w) } : {}), params: [] }),
    params: () => [],
  };
}
