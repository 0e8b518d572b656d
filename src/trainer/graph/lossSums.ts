// The running train loss of the fused graph step, kept in the session: each step adds its
// tasks' summed per-example losses and its row count to two variables, and the loop's report
// (a few times an epoch) reads their mean and zeroes them in one run. Returning each step's
// per-example losses as tfjs tensors instead cost, measured in the loop (bench/graphLoopProbe.ts,
// 2026-11-30): two output tensors per step, and at each report a reshape of every step's losses,
// a concat and a mean per task as eager ops (about 30 µs each): 40-350 µs per step at batch 32-256.
import { GraphBuilder, type Attr } from './graphDef';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

export interface LossSums {
  /** The step's accumulate op: the step's fetch waits on it. */
  accumulate: string;
  /** Fetch: [tasks] mean per-example loss of each task since the last fetch; fetching zeroes the sums. */
  take: string;
  /** Ops that zero the sums: the `set` run (start of a phase) includes them. */
  reset: string[];
}

/** `losses`: each task's per-example losses of the step ([rows] or [rows, 1]). */
export function addLossSums(g: GraphBuilder, losses: string[]): LossSums {
  const tasks = losses.length;
  const variable = (name: string, shape: number[]) =>
    g.op('VarHandleOp', [], { dtype: F, shape: { shape }, container: { s: '' }, shared_name: { s: name } }, `var/${name}`);
  const sums = variable('loss_sums', [tasks]);
  const count = variable('loss_rows', []);
  const flat = g.constant('loss_sums/flat', { dtype: 'int32', shape: [1], values: [-1] });
  const axis = g.constant('loss_sums/axis', { dtype: 'int32', shape: [1], values: [0] });
  const total = (loss: string, k: number) => g.op('Sum', [g.op('Reshape', [loss, flat], { T: F, Tshape: I32 }, `loss_sums/flat_${k}`), axis],
    { T: F, Tidx: I32, keep_dims: { b: false } }, `loss_sums/sum_${k}`);
  const step = g.op('Pack', losses.map(total), { T: F, N: { i: tasks }, axis: { i: 0 } }, 'loss_sums/step');
  // Every task's losses have one value a row: the first one's size is the batch's row count.
  const rows = g.op('Cast', [g.op('Size', [losses[0]!], { T: F, out_type: I32 }, 'loss_sums/size')], { SrcT: I32, DstT: F, Truncate: { b: false } }, 'loss_sums/rows');
  const added = [
    g.op('AssignAddVariableOp', [sums, step], { dtype: F }, 'loss_sums/add'),
    g.op('AssignAddVariableOp', [count, rows], { dtype: F }, 'loss_sums/count'),
  ];
  const accumulate = g.op('NoOp', added.map((a) => `^${a}`), {}, 'loss_sums/accumulated');

  // take: read both, then zero both; the value fetched is the read (a resource variable's
  // assignment gives it a new buffer, so the read keeps the old sums).
  const readSums = g.op('ReadVariableOp', [sums], { dtype: F }, 'loss_sums/read');
  const readCount = g.op('ReadVariableOp', [count], { dtype: F }, 'loss_sums/read_rows');
  const zeros = (name: string, shape: number[]) => (shape.length
    ? g.op('Fill', [g.constant(`${name}/shape`, { dtype: 'int32', shape: [shape.length], values: shape }), g.constant(`${name}/zero`, { dtype: 'float', shape: [], values: [0] })], { T: F, index_type: I32 }, name)
    : g.constant(name, { dtype: 'float', shape: [], values: [0] }));
  const zeroSums = (after: string[]) => [
    g.op('AssignVariableOp', [sums, zeros(`loss_sums/zeros${after.length ? '' : '_set'}`, [tasks]), ...after], { dtype: F }, 'loss_sums/zero'),
    g.op('AssignVariableOp', [count, zeros(`loss_sums/zero_rows${after.length ? '' : '_set'}`, []), ...after], { dtype: F }, 'loss_sums/zero_rows'),
  ];
  const zeroed = zeroSums([`^${readSums}`, `^${readCount}`]);
  const one = g.constant('loss_sums/one', { dtype: 'float', shape: [], values: [1] });
  const mean = g.op('RealDiv', [readSums, g.op('Maximum', [readCount, one], { T: F }, 'loss_sums/rows_at_least_1')], { T: F }, 'loss_sums/mean');
  const take = g.op('Identity', [mean, ...zeroed.map((z) => `^${z}`)], { T: F }, 'loss_sums/take');
  return { accumulate, take, reset: zeroSums([]) };
}
