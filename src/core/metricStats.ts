// A task's metrics from sufficient statistics gathered a batch at a time: confusion counts
// (accuracy, macroF1), error sums (mae, rmse, r2) and, for the AUC, which needs the ranks of
// all rows, each row's positive-class score and label (one float each: 8 bytes a row, at most
// the rows counted, e.g. the epoch's training rows). Evaluation counts a split's predictions
// into it once; the training loop counts each step's predictions as the step made them
// (evaluation.trainMetrics "running", the Keras / LibMTL / PyTorch-loop convention), or the
// fused graph's session counts them and hands over its sums. Either way the numbers come from
// the same functions of core/metrics.ts.
import { accuracyOf, addErrors, addTruths, argmaxRows, emptyClassCounts, emptyErrorSums, macroF1Of, maeOf, r2Of, rmseOf, rocAuc, type ClassCounts, type ErrorSums } from './metrics';
import { DEFAULT_TRAIN_METRICS, type ExperimentSpec, type MetricName } from './spec';

/** Train metrics at epoch end (evaluation.trainMetrics "epochEnd") are measured on at most this many training examples. */
export const TRAIN_EVAL_LIMIT = 2000;

/** Whether the train metrics are counted during the steps (evaluation.trainMetrics "running", the default). */
export const runningTrainMetrics = (spec: ExperimentSpec): boolean => (spec.evaluation?.trainMetrics ?? DEFAULT_TRAIN_METRICS) === 'running';

/** What the statistics need to know of a task's head. */
export interface MetricHead {
  taskId: string;
  /** onehot: softmax over `units` classes; binary: one sigmoid unit; value: a regression. */
  encoding: 'onehot' | 'binary' | 'value';
  units: number;
  metrics: readonly MetricName[];
}

/** Classes counted for a head: a binary head's 2, a softmax head's units (at least 2). */
export const classCount = (h: Pick<MetricHead, 'encoding' | 'units'>): number => (h.encoding === 'value' ? 0 : Math.max(h.units, 2));

/** Whether the head's AUC is measured: a binary score (one sigmoid unit or a two-class softmax). */
export const hasAuc = (h: Pick<MetricHead, 'encoding' | 'units' | 'metrics'>): boolean => h.metrics.includes('rocAuc') && (h.encoding === 'binary' || (h.encoding === 'onehot' && h.units === 2));

/** One head's statistics over the rows counted since `reset`. */
export class MetricStats {
  readonly counts?: ClassCounts;
  readonly errors?: ErrorSums;
  private scores = new Float32Array(0);
  private labels = new Float32Array(0);
  private scored = 0;

  constructor(readonly head: MetricHead) {
    if (head.encoding === 'value') this.errors = emptyErrorSums();
    else this.counts = emptyClassCounts(classCount(head));
  }

  /** Rows counted (labelled ones only). */
  get rows(): number {
    return this.errors ? this.errors.n : this.counts!.confusion.reduce((a, v) => a + v, 0);
  }

  reset(): void {
    if (this.errors) Object.assign(this.errors, emptyErrorSums());
    this.counts?.confusion.fill(0);
    this.scored = 0;
  }

  /**
   * Counts predictions as the head's `predict` gives them (probabilities, or values; row-major,
   * `units` a row for a softmax head, one otherwise) against one truth a row; a NaN truth
   * (an unlabelled row) is left out, as evaluation leaves it out.
   */
  addPredictions(predictions: ArrayLike<number>, truths: ArrayLike<number>): void {
    const h = this.head;
    const width = h.encoding === 'onehot' ? h.units : 1;
    let keep: number[] | undefined;
    for (let r = 0; r < truths.length; r++) if (Number.isNaN(truths[r] as number)) { keep = []; break; }
    if (keep) for (let r = 0; r < truths.length; r++) if (!Number.isNaN(truths[r] as number)) keep.push(r);
    const truth = keep ? Float32Array.from(keep, (r) => truths[r] as number) : truths;
    const p = keep ? pickRows(predictions, keep, width) : predictions;
    if (this.errors) { addErrors(p, truth, this.errors); return; }
    const cls = h.encoding === 'onehot' ? argmaxRows(p, h.units) : Int32Array.from({ length: truth.length }, (_, r) => ((p[r] as number) >= 0.5 ? 1 : 0));
    const counts = this.counts!;
    for (let r = 0; r < truth.length; r++) counts.confusion[(truth[r] as number) * counts.classes + cls[r]!]! += 1;
    if (hasAuc(h)) this.addScores(h.encoding === 'binary' ? p : Float32Array.from({ length: truth.length }, (_, r) => p[r * 2 + 1] as number), truth);
  }

  /** Adds confusion counts counted elsewhere (the fused graph's session), row = true class. */
  addCounts(confusion: ArrayLike<number>): void {
    const c = this.counts!.confusion;
    for (let k = 0; k < c.length; k++) c[k]! += confusion[k] as number;
  }

  /** Adds error sums counted elsewhere (the fused graph's session) over rows with these truths. */
  addErrorSums(absolute: number, squared: number, truths: ArrayLike<number>): void {
    const e = this.errors!;
    e.absolute += absolute;
    e.squared += squared;
    addTruths(truths, e);
  }

  /** Adds positive-class scores and their labels (the AUC's ranks need every row). */
  addScores(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
    const need = this.scored + labels.length;
    if (need > this.scores.length) {
      const cap = Math.max(need, this.scores.length * 2, 1024);
      const s = new Float32Array(cap), l = new Float32Array(cap);
      s.set(this.scores.subarray(0, this.scored));
      l.set(this.labels.subarray(0, this.scored));
      this.scores = s;
      this.labels = l;
    }
    this.scores.set(scores as ArrayLike<number>, this.scored);
    this.labels.set(labels as ArrayLike<number>, this.scored);
    this.scored = need;
  }

  /** The head's metrics over the rows counted; none without a labelled row. */
  values(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.rows === 0) return out;
    for (const m of this.head.metrics) {
      switch (m) {
        case 'accuracy': if (this.counts) out.accuracy = accuracyOf(this.counts); break;
        case 'macroF1': if (this.counts) out.macroF1 = macroF1Of(this.counts); break;
        case 'rocAuc': if (hasAuc(this.head)) out.rocAuc = rocAuc(this.scores.subarray(0, this.scored), this.labels.subarray(0, this.scored)); break;
        case 'mae': if (this.errors) out.mae = maeOf(this.errors); break;
        case 'rmse': if (this.errors) out.rmse = rmseOf(this.errors); break;
        case 'r2': if (this.errors) out.r2 = r2Of(this.errors); break;
      }
    }
    return out;
  }
}

/** The given rows of a row-major [n, width] array. */
function pickRows(values: ArrayLike<number>, rows: readonly number[], width: number): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, k) => { for (let j = 0; j < width; j++) out[k * width + j] = values[r * width + j] as number; });
  return out;
}
