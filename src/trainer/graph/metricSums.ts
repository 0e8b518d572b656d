// Running train metrics in the fused graph's session (evaluation.trainMetrics "running"): each
// step adds its predictions' sufficient statistics to session variables, and the loop reads
// them once at the epoch's end (`take`, which zeroes them): no fetch per step. Per head:
// - a class head: the confusion counts [classes * classes] (row = true class), the predicted
//   class as evaluation takes it (argmax of the softmax; a sigmoid's >= 0.5); every class
//   head's counts in one Bincount and one variable (per-step ops cost more than their work:
//   at batch 256 on the dense reference, a OneHot-MatMul count per head cost about as much as
//   the epoch-end evaluation it replaces);
// - with rocAuc: each training row's positive-class score, written at its row (every row is
//   stepped on once an epoch: the read is the epoch's scores; labels are the host's);
// - a value head: the errors' absolute and squared sums, accumulated in float64 (a float32
//   sum over an epoch's thousands of steps would drift by more than the 1e-5 we check); the
//   truths' own statistics are the host's (every training row once an epoch).
// core/metricStats.ts turns them into the metrics, as it does for the eager steps.
import { classCount, hasAuc } from '../../core/metricStats';
import type { TaskHead } from '../heads';
import type { Attr, GraphBuilder } from './graphDef';

const F: Attr = { type: 'float' };
const D: Attr = { type: 'double' };
const I32: Attr = { type: 'int32' };

/** Where a head's statistics are among `take`'s fetches. */
export interface HeadSums { confusion?: { take: number; offset: number }; errors?: number; scores?: number }

export interface MetricSumNodes {
  heads: HeadSums[];
  /** Ops each step runs (the step's fetch waits on them). */
  accumulate: string[];
  /** Fetches (float32): the statistics since the last take; taking zeroes the sums. */
  take: string[];
  /** Zeroes the sums (the `set` run, at a phase's start). */
  reset: string[];
  /** int32 scalar placeholder: the bound split's rows; feeding it to `init` sizes the score variables. */
  splitRows: string;
  /** Fetch after binding a split (with `splitRows` fed): score variables of that many rows. */
  init?: string;
}

/**
 * `outputs`: each head's output in the training forward (logits where the head's loss takes
 * them); `labels`: each head's batch labels as the step gathers them (a value [n, 1] float32,
 * a class number [n] int32); `rows`: the batch's rows of the split. Undefined when no head has
 * a metric.
 */
export function addMetricSums(g: GraphBuilder, heads: TaskHead[], outputs: string[], labels: string[], rows: string): MetricSumNodes | undefined {
  if (!heads.some((h) => h.metrics.length)) return undefined;
  const int = (name: string, shape: number[], values: number[]) => g.constant(name, { dtype: 'int32', shape, values });
  const variable = (name: string, dtype: Attr, shape: number[]) => g.op('VarHandleOp', [], { dtype, shape: { shape }, container: { s: '' }, shared_name: { s: name } }, `var/${name}`);
  const accumulate: string[] = [];
  const take: string[] = [];
  const reset: string[] = [];
  const inits: string[] = [];
  const splitRows = g.placeholder('metric_sums/split_rows', [], 'int32');
  /** A sum variable: added to by the step, read and zeroed by `take`, zeroed by `reset`. */
  const sums = (name: string, dtype: Attr, size: number, step: string) => {
    const v = variable(name, dtype, [size]);
    accumulate.push(g.op('AssignAddVariableOp', [v, step], { dtype }, `${name}/add`));
    const zeros = g.op('Fill', [int(`${name}/size`, [1], [size]), g.op('Cast', [g.constant(`${name}/zero_f`, { dtype: 'float', shape: [], values: [0] })], { SrcT: F, DstT: dtype, Truncate: { b: false } }, `${name}/zero`)],
      { T: dtype, index_type: I32 }, `${name}/zeros`);
    const read = g.op('ReadVariableOp', [v], { dtype }, `${name}/read`);
    const zeroed = g.op('AssignVariableOp', [v, zeros, `^${read}`], { dtype }, `${name}/zero_after_read`);
    const value = dtype === D ? g.op('Cast', [read], { SrcT: D, DstT: F, Truncate: { b: false } }, `${name}/as_float`) : read;
    take.push(g.op('Identity', [value, `^${zeroed}`], { T: F }, `${name}/take`));
    reset.push(g.op('AssignVariableOp', [v, zeros], { dtype }, `${name}/reset`));
    return take.length - 1;
  };
  const flat = int('metric_sums/flat', [1], [-1]);
  const cells: string[] = [];
  let cellCount = 0;
  const placed = heads.map((h, i): HeadSums => {
    if (!h.metrics.length) return {};
    const name = `metric_sums/${h.task.id}`;
    const out = outputs[i]!;
    if (h.encoding === 'value') {
      const error = g.op('Cast', [g.op('Sub', [out, labels[i]!], { T: F }, `${name}/error`)], { SrcT: F, DstT: D, Truncate: { b: false } }, `${name}/error64`);
      const axes = int(`${name}/axes`, [2], [0, 1]);
      const sum = (x: string, what: string) => g.op('Sum', [x, axes], { T: D, Tidx: I32, keep_dims: { b: false } }, `${name}/${what}`);
      const step = g.op('Pack', [sum(g.op('Abs', [error], { T: D }, `${name}/abs`), 'absolute'), sum(g.op('Square', [error], { T: D }, `${name}/square`), 'squared')],
        { T: D, N: { i: 2 }, axis: { i: 0 } }, `${name}/step`);
      return { errors: sums(`${name}/errors`, D, 2, step) };
    }
    const k = classCount(h);
    // The predicted class as evaluation takes it from the probabilities, read off the logits
    // (one op fewer a head each step): the softmax keeps the order of the logits, so the
    // largest is the same but where two probabilities round to one float32 value; a sigmoid
    // is >= 0.5 where its logit is >= 0, but for logits within about 3e-8 below 0.
    const predicted = h.encoding === 'onehot'
      ? g.op('ArgMax', [out, int(`${name}/class_axis`, [], [1])], { T: F, Tidx: I32, output_type: I32 }, `${name}/class`)
      : g.op('Reshape', [g.op('Cast', [g.op('GreaterEqual', [out, g.constant(`${name}/threshold`, { dtype: 'float', shape: [], values: [h.logits ? 0 : 0.5] })], { T: F }, `${name}/positive`)],
        { SrcT: { type: 'bool' }, DstT: I32, Truncate: { b: false } }, `${name}/class_1`), flat], { T: I32, Tshape: I32 }, `${name}/class`);
    // The head's confusion cells start at `offset` of the class heads' one count: offset + true * classes + predicted.
    const at: HeadSums = { confusion: { take: -1, offset: cellCount } };
    cells.push(g.op('AddV2', [g.op('Mul', [labels[i]!, int(`${name}/classes`, [], [k])], { T: I32 }, `${name}/row_start`),
      cellCount ? g.op('AddV2', [predicted, int(`${name}/offset`, [], [cellCount])], { T: I32 }, `${name}/column`) : predicted], { T: I32 }, `${name}/cell`));
    cellCount += k * k;
    if (hasAuc(h)) {
      const p = !h.logits ? out : g.op(h.encoding === 'onehot' ? 'Softmax' : 'Sigmoid', [out], { T: F }, `${name}/probability`);
      const positive = h.encoding === 'binary' ? p : g.op('Slice', [p, int(`${name}/score_begin`, [2], [0, 1]), int(`${name}/score_size`, [2], [-1, 1])], { T: F, Index: I32 }, `${name}/positive_column`);
      const scores = g.op('Reshape', [positive, flat], { T: F, Tshape: I32 }, `${name}/score`);
      const v = variable(`${name}/scores`, F, [-1]);
      accumulate.push(g.op('ResourceScatterUpdate', [v, rows, scores], { dtype: F, Tindices: I32 }, `${name}/scores_at_rows`));
      inits.push(g.op('AssignVariableOp', [v, g.op('Fill', [g.op('Reshape', [splitRows, flat], { T: I32, Tshape: I32 }, `${name}/scores_shape`), g.constant(`${name}/no_score`, { dtype: 'float', shape: [], values: [0] })],
        { T: F, index_type: I32 }, `${name}/scores_zeros`)], { dtype: F }, `${name}/scores_init`));
      take.push(g.op('ReadVariableOp', [v], { dtype: F }, `${name}/scores_read`));
      at.scores = take.length - 1;
    }
    return at;
  });
  if (cells.length) {
    // Every class head's confusion in one count a step (one Bincount, no weights: each row counts 1).
    const all = cells.length === 1 ? cells[0]! : g.op('ConcatV2', [...cells, int('metric_sums/cells_axis', [], [0])], { T: I32, N: { i: cells.length }, Tidx: I32 }, 'metric_sums/cells');
    const counts = g.op('Bincount', [all, int('metric_sums/cell_count', [], [cellCount]), g.constant('metric_sums/unweighted', { dtype: 'float', shape: [0], values: [] })], { T: F }, 'metric_sums/confusion_step');
    const taken = sums('metric_sums/confusion', F, cellCount, counts);
    for (const at of placed) if (at.confusion) at.confusion.take = taken;
  }
  const init = inits.length ? g.op('Identity', [splitRows, ...inits.map((x) => `^${x}`)], { T: I32 }, 'metric_sums/init') : undefined;
  return { heads: placed, accumulate, take, reset, splitRows, ...(init ? { init } : {}) };
}
