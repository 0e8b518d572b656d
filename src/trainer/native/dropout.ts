// Dropout in the compiled native step. Its masks are the tape's own: drawn by the model's
// forward (model/forward.ts dropoutMask: same seed, same cursor, same draws in the same
// topological order), so one batch gives the compiled step and the tape the same masks and
// the two train alike mask for mask. The backward pass multiplies by the same mask.
import type * as TF from '@tensorflow/tfjs';
import type { NativeOps } from './ops';

/** Draws the next dropout multiplier (0 or 1/(1-rate) per element), advancing the cursor. */
export type DropoutDraw = (shape: number[], rate: number) => TF.Tensor;

export interface NativeDropout {
  forward(id: string, rate: number, x: TF.Tensor): TF.Tensor;
  /** The gradient at the layer's input from the one at its output. */
  backward(id: string, gy: TF.Tensor): TF.Tensor;
  /** Forgets the step's masks (they are the step's tidy's to dispose). */
  clear(): void;
}

export function nativeDropout(ops: NativeOps, draw: DropoutDraw | undefined): NativeDropout {
  const masks = new Map<string, TF.Tensor>();
  return {
    forward(id, rate, x) {
      if (rate <= 0) return x;
      if (!draw) throw new Error(`dropout layer ${id}: the compiled step was given no mask source`);
      const mask = draw(x.shape, rate);
      masks.set(id, mask);
      return ops.mul(x, mask);
    },
    backward(id, gy) {
      const mask = masks.get(id);
      return mask ? ops.mul(gy, mask) : gy;
    },
    clear: () => masks.clear(),
  };
}
