// The Huber loss of a regression head in the fused graph step, as tfjs-core's
// tf.losses.huberLoss computes it (delta 1; the eager step's native/huber.ts): q = min(|d|, 1),
// loss = 0.5*q^2 + (|d| - q) per element, d = prediction - label; its gradient is d clipped to
// [-1, 1] (no factor 2, unlike the squared error: graphStep.ts scales the gradient by 1/n).
import type { Attr, GraphBuilder } from './graphDef';

const F: Attr = { type: 'float' };

export function huberLossAndGrad(g: GraphBuilder, d: string, name: string): { loss: string; grad: string } {
  const scalar = (label: string, value: number) => g.constant(`${name}/${label}`, { dtype: 'float', shape: [], values: [value] });
  const one = scalar('one', 1);
  const abs = g.op('Abs', [d], { T: F }, `${name}/abs`);
  const q = g.op('Minimum', [abs, one], { T: F }, `${name}/quadratic`);
  const loss = g.op('AddV2', [g.op('Mul', [g.op('Square', [q], { T: F }, `${name}/quadratic_square`), scalar('half', 0.5)], { T: F }, `${name}/quadratic_part`),
    g.op('Sub', [abs, q], { T: F }, `${name}/linear_part`)], { T: F }, `${name}/loss`);
  const grad = g.op('Minimum', [g.op('Maximum', [d, scalar('minus_one', -1)], { T: F }, `${name}/grad_floor`), one], { T: F }, `${name}/grad`);
  return { loss, grad };
}
