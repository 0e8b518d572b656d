// A layer of the compiled step (denseStep.ts) other than dense, dropout and the merges: its
// forward pass and its backward pass in raw TensorFlow ops (conv.ts, pool.ts, batchNorm.ts,
// reshape.ts; layers.ts picks one per layer).
import type * as TF from '@tensorflow/tfjs';

/**
 * A variable's gradient: its key's suffix ('kernel', 'bias', 'gamma', 'beta'; without a '/':
 * the step finds a key's layer before its last one), the variable, the gradient.
 */
export type ParamGrad = [string, TF.Variable, TF.Tensor];

export interface NativeLayer {
  forward(x: TF.Tensor): TF.Tensor;
  /**
   * From the gradient at the output `gy` (with the forward's input `x` and output `y`): the
   * gradient at the input when `wantInput` (an input of the model needs none), and each
   * variable's gradient.
   */
  backward(gy: TF.Tensor, x: TF.Tensor, y: TF.Tensor, wantInput: boolean): { input?: TF.Tensor; params: ParamGrad[] };
  /** The trainable variables, in a fixed order, by key suffix. */
  params(): Array<[string, TF.Variable]>;
  dispose?(): void;
}

/** `3` or `[3, 5]` -> [3, 5] (the spec's window sizes and strides). */
export const pair = (v: number | [number, number] | undefined, fallback: [number, number]): [number, number] =>
  (v === undefined ? fallback : typeof v === 'number' ? [v, v] : v);
