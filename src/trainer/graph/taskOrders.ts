// The task orders PCGrad and GradVac visit the other tasks in, as their graph rules take them
// (pcGradRule.ts, gradVacRule.ts). Both rules walk, for every task i, the other tasks j in a
// random order drawn each step, and change i's combination by a multiple of g_j; task i's walk
// reads only its own combination, so the graph takes the k walks side by side, one round per
// visited task: round t visits, for every i, the t-th task of i's order. The orders come from
// JavaScript, drawn from the stream the core rule draws from (weighting/index.ts graphRule
// `orders`), so the graph's step is the rule's step; with two tasks each walk has one task to
// visit, so nothing is drawn and nothing fed.
import type { Attr } from './graphDef';
import type { RuleIo, RuleOps } from './ruleState';

const D: Attr = { type: 'double' };
const I32: Attr = { type: 'int32' };

/**
 * The task orders as rows: int32 [k, k - 1] (row i: the other tasks in i's order; column t:
 * round t's visits); undefined with fewer than two tasks. With more than two tasks, the orders
 * placeholder (int32 [k (k - 1)]) is set in `io.orders`.
 */
export function visitRows(r: RuleOps, io: RuleIo): string | undefined {
  const k = r.k;
  if (k < 2) return undefined;
  if (k === 2) return r.g.constant(`${r.at}/orders_rows`, { dtype: 'int32', shape: [2, 1], values: [1, 0] });
  return r.g.op('Reshape', [orderInput(r, io), r.ints([k, k - 1])], { T: I32, Tshape: I32 }, `${r.at}/orders_rows`);
}

/**
 * The task orders as one int32 [k (k - 1)] (row i of visitRows, one after another), as the native
 * rule ops take them: with more than two tasks the placeholder (set in `io.orders`), with two a constant.
 */
export function orderInput(r: RuleOps, io: RuleIo): string {
  const k = r.k;
  if (k === 2) return r.g.constant(`${r.at}/orders_fixed`, { dtype: 'int32', shape: [2], values: [1, 0] });
  io.orders = r.g.placeholder(`${r.at}/orders`, [k * (k - 1)], 'int32');
  return io.orders;
}

/** The rounds' visited tasks: per round an int32 [k] (entry i: the task i visits), the columns of visitRows. */
export function visitRounds(r: RuleOps, io: RuleIo): string[] {
  const rows = visitRows(r, io);
  if (!rows) return [];
  const rounds = r.g.op('Unpack', [rows], { T: I32, num: { i: r.k - 1 }, axis: { i: 1 } }, `${r.at}/rounds`);
  return Array.from({ length: r.k - 1 }, (_, t) => (t === 0 ? rounds : `${rounds}:${t}`));
}

/** Entries `at` [k] (int32) of the float64 vector `v`, or rows of the float64 matrix `v`. */
export function gather(r: RuleOps, v: string, at: string): string {
  const axis = r.g.constant(`${r.at}/axis`, { dtype: 'int32', shape: [], values: [0] });
  return r.g.op('GatherV2', [v, at, axis], { Tparams: D, Tindices: I32, Taxis: I32, batch_dims: { i: 0 } }, `${r.at}/gather`);
}

/** Row i: the float64 unit vector of entry `at[i]` in `depth` entries (a zero row for -1). */
export function unitRows(r: RuleOps, at: string, depth: number): string {
  const depthNode = r.g.constant(`${r.at}/depth`, { dtype: 'int32', shape: [], values: [depth] });
  return r.g.op('OneHot', [at, depthNode, float64(r, 1), float64(r, 0)], { T: D, TI: I32, axis: { i: -1 } }, `${r.at}/unit_rows`);
}

/** A float64 constant, exact (a rule's parameter: a float32 one cast would round it). */
export function float64(r: RuleOps, value: number | number[], shape: number[] = []): string {
  return r.g.constant(`${r.at}/const64`, { dtype: 'double', shape, values: typeof value === 'number' ? [value] : value });
}

/** The k x k identity (each task's walk starts from its own gradient). */
export function identity(r: RuleOps): string {
  return float64(r, Array.from({ length: r.k * r.k }, (_, x) => (x % (r.k + 1) === 0 ? 1 : 0)), [r.k, r.k]);
}

/** a and b (bool). */
export function and(r: RuleOps, a: string, b: string): string {
  return r.g.op('LogicalAnd', [a, b], {}, `${r.at}/and`);
}
