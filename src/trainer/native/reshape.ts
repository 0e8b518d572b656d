// flatten and reshape in the compiled step: a Reshape forward, and back to the input's shape.
import type { NativeLayer } from './layer';
import type { NativeOps } from './ops';

/** `target`: the output's shape without the batch dimension. */
export function nativeReshape(ops: NativeOps, target: number[]): NativeLayer {
  return {
    // A rank-2 batch flattened is itself: no op.
    forward: (x) => (sameShape(x.shape, [x.shape[0]!, ...target]) ? x : ops.reshape(x, [x.shape[0]!, ...target])),
    backward: (gy, x, _y, wantInput) => ({ ...(wantInput ? { input: sameShape(gy.shape, x.shape) ? gy : ops.reshape(gy, x.shape) } : {}), params: [] }),
    params: () => [],
  };
}

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, k) => d === b[k]);
