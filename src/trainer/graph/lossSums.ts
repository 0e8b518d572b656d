// The running train loss of the fused graph step, kept in the session: each step adds its
// tasks' summed per-example losses to a variable, and the loop's report (a few times an epoch)
// reads the sums and zeroes them in one run; the host counts the rows (graphStep.ts). Returning
// each step's per-example losses as tfjs tensors instead cost, measured in the loop
// (bench/graphLoopProbe.ts, 2026-11-30): two output tensors per step, and at each report a
// reshape of every step's losses, a concat and a mean per task as eager ops (about 30 µs each):
// 40-350 µs per step at batch 32-256.
// The one-call step also fetches the sums as they stand after it (`running`), and feeds
// `keep` 0 on the step after a report (1 else): the report reads the last step's output instead
// of a `take` call of its own (a session signature less: its Grappler pass and about 80 calls a
// run on the dense reference workload). A gradient method's steps leave `keep` at its default 1
// and read with `take`.
import { GraphBuilder, type Attr } from './graphDef';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

export interface LossSums {
  /** The step's accumulate op: the step's fetch waits on it. */
  accumulate: string;
  /** Fetch: [tasks] sum of each task's per-example losses since the last fetch; fetching zeroes them. */
  take: string;
  /** The op that zeroes the sums: the `set` run (start of a phase) includes it. */
  reset: string;
  /** Float scalar placeholder, 1 by default: 0 makes this step's losses the sums (the last report read them). */
  keep: string;
  /** Fetch: [tasks] the sums after this step's `accumulate`. */
  running: string;
}

/** `losses`: each task's per-example losses of the step, of rank `ranks[k]` ([rows] or [rows, 1]). */
export function addLossSums(g: GraphBuilder, losses: string[], ranks: number[]): LossSums {
  const tasks = losses.length;
  const sums = g.op('VarHandleOp', [], { dtype: F, shape: { shape: [tasks] }, container: { s: '' }, shared_name: { s: 'loss_sums' } }, 'var/loss_sums');
  const axes = (rank: number) => g.constant(`loss_sums/axes_${rank}`, { dtype: 'int32', shape: [rank], values: Array.from({ length: rank }, (_, k) => k) });
  const axesByRank = new Map([...new Set(ranks)].map((r) => [r, axes(r)]));
  const step = g.op('Pack', losses.map((loss, k) => g.op('Sum', [loss, axesByRank.get(ranks[k]!)!], { T: F, Tidx: I32, keep_dims: { b: false } }, `loss_sums/sum_${k}`)),
    { T: F, N: { i: tasks }, axis: { i: 0 } }, 'loss_sums/step');
  // keep 1: the sums go on; 0: this step's losses are the sums (0 * sums + step is step exactly).
  // A sum that is not finite ends the run at the report that reads it (TrainingDiverged), so it is never restarted.
  const keep = g.op('PlaceholderWithDefault', [g.constant('loss_sums/keep_default', { dtype: 'float', shape: [], values: [1] })], { dtype: F, shape: { shape: [] } }, 'loss_sums/keep');
  const before = g.op('ReadVariableOp', [sums], { dtype: F }, 'loss_sums/before');
  const after = g.op('AddV2', [g.op('Mul', [before, keep], { T: F }, 'loss_sums/kept'), step], { T: F }, 'loss_sums/after');
  const accumulate = g.op('AssignVariableOp', [sums, after], { dtype: F }, 'loss_sums/add');
  const running = g.op('Identity', [after, `^${accumulate}`], { T: F }, 'loss_sums/running');

  // take: read, then zero; the value fetched is the read (a resource variable's assignment
  // gives it a new buffer, so the read keeps the old sums).
  const zeros = g.op('Fill', [g.constant('loss_sums/shape', { dtype: 'int32', shape: [1], values: [tasks] }), g.constant('loss_sums/zero', { dtype: 'float', shape: [], values: [0] })],
    { T: F, index_type: I32 }, 'loss_sums/zeros');
  const read = g.op('ReadVariableOp', [sums], { dtype: F }, 'loss_sums/read');
  const zeroed = g.op('AssignVariableOp', [sums, zeros, `^${read}`], { dtype: F }, 'loss_sums/zero_after_read');
  const take = g.op('Identity', [read, `^${zeroed}`], { T: F }, 'loss_sums/take');
  const reset = g.op('AssignVariableOp', [sums, zeros], { dtype: F }, 'loss_sums/reset');
  return { accumulate, take, reset, keep, running };
}
