// A dense layer's Gramian of the tasks' gradients from its input and their gradients at its
// pre-activation, without forming any task's weight gradient: with the input X [n, in] and task
// t's gradient at the pre-activation D_t [n, out], the kernel's gradient is Xᵀ D_t and the bias's
// 1ᵀ D_t, so G_st = <Xᵀ D_s, Xᵀ D_t> + <1ᵀ D_s, 1ᵀ D_t> = <D_s, (X Xᵀ + 1) D_t>, where X Xᵀ is
// n x n. Used by the conflict measurement (conflictGramians.ts) and by a gradient method's step
// on the shared parameters (taskGradients.ts), which then forms one weight gradient,
// Xᵀ (sum_t c_t D_t), instead of one per task.
import type { Attr, GraphBuilder } from './graphDef';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

/**
 * Multiply-adds of a dense layer's Gramian over `tasks` tasks for a batch of `n` rows, from its
 * input and the tasks' gradients at its pre-activation (X Xᵀ + 1: n·n·in; (X Xᵀ + 1) D_t for each
 * task: tasks·n·n·out; the tasks' products: tasks²·n·out) and from its weight gradients (forming
 * them: tasks·n·in·out; their products: tasks²·(in·out + out)). The graph takes the cheaper.
 */
export function denseGramianCosts(n: number, inputs: number, units: number, tasks: number): { fromActivations: number; fromWeights: number } {
  return {
    fromActivations: n * n * inputs + tasks * n * n * units + tasks * tasks * n * units,
    fromWeights: tasks * n * inputs * units + tasks * tasks * (inputs * units + units),
  };
}

/**
 * Multiply-adds of a dense layer's Gramian and its combined gradient sum_t c_t g_t (a gradient
 * method's step): from activations, the Gramian, sum_t c_t D_t (tasks·n·out) and the one kernel
 * gradient Xᵀ(...) (n·in·out); from weight gradients, the Gramian and sum_t c_t g_t
 * (tasks·(in·out + out)). The step takes the cheaper.
 */
export function denseDirectionCosts(n: number, inputs: number, units: number, tasks: number): { fromActivations: number; fromWeights: number } {
  const gramian = denseGramianCosts(n, inputs, units, tasks);
  return {
    fromActivations: gramian.fromActivations + tasks * n * units + n * inputs * units,
    fromWeights: gramian.fromWeights + tasks * (inputs * units + units),
  };
}

/** The Gramian [k, k] of a dense layer's weights from its input `x` [n, in] and the tasks' stacked pre-activation gradients `d` [k, n, out], as ops under `at`. */
export function denseActivationGramian(g: GraphBuilder, at: string, x: string, d: string, k: number): string {
  const shape = g.constant(`${at}/rows_shape`, { dtype: 'int32', shape: [2], values: [k, -1] });
  const one = g.constant(`${at}/one`, { dtype: 'float', shape: [], values: [1] });
  const rowProducts = g.op('AddV2', [g.op('MatMul', [x, x], { T: F, transpose_a: { b: false }, transpose_b: { b: true } }, `${at}/input_products`), one], { T: F }, `${at}/row_products`);
  // [n, n] x [tasks, n, out]: the batch dimension broadcasts.
  const weighed = g.op('BatchMatMulV2', [rowProducts, d], { T: F, adj_x: { b: false }, adj_y: { b: false } }, `${at}/weighed`);
  const flat = (t: string, name: string) => g.op('Reshape', [t, shape], { T: F, Tshape: I32 }, `${at}/${name}`);
  return g.op('MatMul', [flat(d, 'grads_flat'), flat(weighed, 'weighed_flat')], { T: F, transpose_a: { b: false }, transpose_b: { b: true } }, `${at}/gramian`);
}
