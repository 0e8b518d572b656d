// GradDrop (core/weighting/graddrop.ts: Chen et al. 2020, Algorithm 1) in the fused graph's
// second call (taskGradients.ts), on the tasks' gradients kept from the first: the direction is
// a mask per coordinate, not a combination of whole gradients, so it is built in the graph
// where a rule method's MatMul by its coefficients would be. The arithmetic is the eager raw
// ops' (weighting/tensor/graddrop.ts gradDropNative): with S = sum_i g_i, A = sum_i |g_i| and
// V = 1 - 2U, P > U exactly when S + V A > 0, s = sign(S + V A) and
// d = (1 - l) s (A + s S) / 2 + l S. The uniforms U come from StatelessRandomUniform (Philox) on
// a seed pair the step feeds from the run's weighting stream (as graph/dropout.ts draws its
// masks), one pair per block offset by the block's number: they are not the eager step's
// JavaScript draws, but a function of the pair alone, and `uniform` names them so that a test
// can read them back and give them to the eager rule.
import type { Attr, GraphBuilder } from './graphDef';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

export interface GraphGradDrop {
  /** [1, P]: the direction sum_i kept_i. */
  direction: string;
  /** [k]: <masked_i, g_i> = ||relu(s g_i)||^2, each task's kept part without the leak (only fetched on reported steps). */
  keptDots: string;
}

/** [1, P] uniforms in [0, 1) for block `block`, from the fed seed pair `seed` (int32 [2]); `like`: a [1, P] node (graphGradDrop's sum). */
export function gradDropUniform(g: GraphBuilder, name: string, like: string, seed: string, block: number): string {
  const offset = g.constant(`${name}/seed_offset`, { dtype: 'int32', shape: [2], values: [0, block] });
  const pair = g.op('AddV2', [seed, offset], { T: I32 }, `${name}/seed`);
  const shape = g.op('Shape', [like], { T: F, out_type: I32 }, `${name}/shape`);
  return g.op('StatelessRandomUniform', [shape, pair], { dtype: F, T: I32, Tseed: I32 }, `${name}/uniform`);
}

/** GradDrop on `jacobian` [k, P] with leak `leak`; `draw` gives the uniforms [1, P] from a [1, P] node (gradDropUniform, or a test's placeholder). */
export function graphGradDrop(g: GraphBuilder, name: string, jacobian: string, draw: (like: string) => string, leak: number): GraphGradDrop {
  const scalar = (n: string, v: number) => g.constant(`${name}/${n}`, { dtype: 'float', shape: [], values: [v] });
  const axis0 = g.constant(`${name}/task_axis`, { dtype: 'int32', shape: [1], values: [0] });
  const overTasks = (x: string, n: string) => g.op('Sum', [x, axis0], { T: F, Tidx: I32, keep_dims: { b: true } }, `${name}/${n}`);
  const op = (type: string, inputs: string[], n: string) => g.op(type, inputs, { T: F }, `${name}/${n}`);
  const sum = overTasks(jacobian, 'sum');
  const total = overTasks(op('Abs', [jacobian], 'abs'), 'total');
  const v = op('Sub', [scalar('one', 1), op('Mul', [scalar('two', 2), draw(sum)], 'twice_u')], 'v');
  const s = op('Sign', [op('AddV2', [sum, op('Mul', [v, total], 'vt')], 'purity_test')], 'sign');
  const kept = op('Mul', [scalar('half', 0.5), op('Mul', [s, op('AddV2', [total, op('Mul', [s, sum], 'ss')], 'w')], 'sw')], 'kept');
  const direction = leak === 0 ? kept
    : op('AddV2', [op('Mul', [scalar('rest', 1 - leak), kept], 'kept_rest'), op('Mul', [scalar('leak', leak), sum], 'leaked')], 'direction');
  const masked = op('Relu', [op('Mul', [s, jacobian], 'signed')], 'masked');
  const axis1 = g.constant(`${name}/coordinate_axis`, { dtype: 'int32', shape: [1], values: [1] });
  const keptDots = g.op('Sum', [op('Square', [masked], 'masked_squared'), axis1], { T: F, Tidx: I32, keep_dims: { b: false } }, `${name}/kept_dots`);
  return { direction, keptDots };
}
