// A sum of same-shaped float tensors in a training graph, whose rounding does not depend on how
// TensorFlow schedules the run. TensorFlow's AddN (its CPU kernel) writes its result into the
// first input whose buffer no other op still holds, and puts that input first in its sum: with
// three or more inputs, an input another op also reads (a block's Gramian that the conflict
// measurement packs, a task's gradient GradDrop's masks read again) moves the others in the order
// of the sum, by whichever of the two ops ran first. A gradient method's Gramian on the shared
// parameters, summed over the weights' ones, then differed in its last bits between identical
// trainings, and the weights from the 7th digit (UPGrad, GradVac, IMTL-G, GradDrop; Nash-MTL with
// Grappler on: graphGradientDeterminism.test.ts; orderedSum.test.ts shows AddN's two orders on
// three numbers). Two inputs: AddV2 (a + b is b + a,
// whichever buffer it writes into). More: Sum over their stack's first axis, in an order its
// shapes and TensorFlow's threads set, whatever ran first; not a chain of adds, which Grappler's
// arithmetic optimizer would join back into an AddN.
import type { Attr, GraphBuilder } from './graphDef';

const F: Attr = { type: 'float' };

/** The sum of `inputs`, as node `name` (the input itself when there is one), its rounding the same in every run. */
export function sumInOrder(g: GraphBuilder, inputs: readonly string[], name: string): string {
  if (inputs.length === 0) throw new Error(`sumInOrder ${name}: nothing to sum`);
  if (inputs.length === 1) return inputs[0]!;
  if (inputs.length === 2) return g.op('AddV2', [...inputs], { T: F }, name);
  const stack = g.op('Pack', [...inputs], { T: F, N: { i: inputs.length }, axis: { i: 0 } }, `${name}/stack`);
  const first = g.constant(`${name}/axis`, { dtype: 'int32', shape: [1], values: [0] });
  return g.op('Sum', [stack, first], { T: F, Tidx: { type: 'int32' }, keep_dims: { b: false } }, name);
}
