// GradDrop (core/weighting/graddrop.ts: Chen et al. 2020, Algorithm 1) in the fused graph's
// second call (taskGradients.ts), on the tasks' gradients kept from the first: the direction is
// a mask per coordinate, not a combination of whole gradients, so it is built in the graph
// where a rule method's MatMul by its coefficients would be. The arithmetic is the eager raw
// ops' (weighting/tensor/graddrop.ts gradDropNative) written with fewer passes: with
// S = sum_i g_i and A = sum_i |g_i|, the direction keeps R+ = (S + A) / 2 where P > U, R- = (S - A) / 2
// where P < U, and a leak l adds l times the dropped parts: d = (1 - l) kept + l S. The uniforms U come from StatelessRandomUniform (Philox) on
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
  // Fewer passes than the eager raw ops' s (A + s S) / 2: the kept parts are the positive ones,
  // R+ = sum_i relu(g_i) = (S + A) / 2, or the negative ones, R- = S - R+; P > U is
  // (S + A) / 2 > U A, i.e. R+ > U (R+ - R-), and P < U is R+ < U A. A Select between R+ and R-
  // (and 0 where P = U, as the eager rule keeps neither there): 9 ops over [1, P] and [k, P]
  // against 12 for the signs' products (no difference the loaded machine could measure: the
  // step's GradDrop cost is mostly StatelessRandomUniform, 0.75 ms of CPU for 10^5 numbers).
  const sum = overTasks(jacobian, 'sum');
  const positive = overTasks(op('Relu', [jacobian], 'relu'), 'positive');
  const negative = op('Sub', [sum, positive], 'negative');
  const scaledTotal = op('Mul', [draw(sum), op('Sub', [positive, negative], 'total')], 'u_total');
  const cmp = (type: string, n: string) => g.op(type, [positive, scaledTotal], { T: F }, `${name}/${n}`);
  const zeros = g.op('ZerosLike', [sum], { T: F }, `${name}/zeros`);
  const select = (cond: string, a: string, b: string, n: string) => g.op('Select', [cond, a, b], { T: F }, `${name}/${n}`);
  const kept = select(cmp('Greater', 'keeps_positive'), positive, select(cmp('Less', 'keeps_negative'), negative, zeros, 'negative_or_none'), 'kept');
  const direction = leak === 0 ? kept
    : op('AddV2', [op('Mul', [scalar('rest', 1 - leak), kept], 'kept_rest'), op('Mul', [scalar('leak', leak), sum], 'leaked')], 'direction');
  // Shares (reported steps only): s = sign(R+ - U A); relu(s g_i)^2 summed is <masked_i, g_i>.
  const s = op('Sign', [op('Sub', [positive, scaledTotal], 'purity_test')], 'sign');
  const masked = op('Relu', [op('Mul', [s, jacobian], 'signed')], 'masked');
  const axis1 = g.constant(`${name}/coordinate_axis`, { dtype: 'int32', shape: [1], values: [1] });
  const keptDots = g.op('Sum', [op('Square', [masked], 'masked_squared'), axis1], { T: F, Tidx: I32, keep_dims: { b: false } }, `${name}/kept_dots`);
  return { direction, keptDots };
}
