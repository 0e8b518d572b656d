// Gradient clipping by global norm (training.clipNorm) in the fused graph step, as the tape
// clips (loop.ts clipByGlobalNorm): the norm is over every gradient the optimizer gets (weight
// decay and uncertainty's log-variances included), and each is scaled by c / max(norm, c),
// which is min(1, c / norm) with no division by a zero norm.
import type { Attr, GraphBuilder } from './graphDef';
import { sumInOrder } from './orderedSum';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

/** The clipped gradient node of each weight key, from their unclipped nodes and ranks. */
export function clipByGlobalNorm(g: GraphBuilder, grads: ReadonlyMap<string, { grad: string; rank: number }>, clipNorm: number): Map<string, string> {
  const squares = [...grads].map(([key, { grad, rank }]) => {
    const square = g.op('Square', [grad], { T: F }, `clip/${key}/square`);
    return rank === 0 ? square : g.op('Sum', [square, g.constant(`clip/${key}/axes`, { dtype: 'int32', shape: [rank], values: Array.from({ length: rank }, (_, k) => k) })],
      { T: F, Tidx: I32, keep_dims: { b: false } }, `clip/${key}/sum`);
  });
  const norm = g.op('Sqrt', [sumInOrder(g, squares, 'clip/sum')], { T: F }, 'clip/norm');
  const c = g.constant('clip/max_norm', { dtype: 'float', shape: [], values: [clipNorm] });
  const scale = g.op('RealDiv', [c, g.op('Maximum', [norm, c], { T: F }, 'clip/max')], { T: F }, 'clip/scale');
  return new Map([...grads].map(([key, { grad }]) => [key, g.op('Mul', [grad, scale], { T: F }, `clip/${key}`)]));
}
