// Train metrics counted during the epoch's steps (evaluation.trainMetrics "running"), as Keras'
// fit, LibMTL's trainer (its meter's update after each batch's forward, scored at the epoch's
// end) and the usual PyTorch loop count them: every training row once, as its step predicted
// it (training mode: dropout on, before that step's update), at almost no cost, where
// "epochEnd" evaluates up to TRAIN_EVAL_LIMIT rows again with the epoch's final weights.
// The eager steps hand each step's head outputs to `sink`: their predictions stay on the
// device and are read back FLUSH_STEPS steps at a time (one read per head, never one per
// step); the fused graph counts in its session (graph/metricSums.ts) and `addGraphSums` takes
// its statistics at the epoch's end. core/metricStats.ts turns both into the metrics.
// Memory: the statistics, plus for an AUC one score and one label a training row (8 bytes).
import type * as TF from '@tensorflow/tfjs';
import { MetricStats } from '../core/metricStats';
import { setOwn } from '../core/own';
import type { Tf } from './backend';
import { metricHead, type TaskValues } from './evaluate';
import { targetsOf } from './deviceData';
import type { TaskHead } from './heads';
import type { StepOutputs } from './loopSetup';
import type { MetricSumNodes } from './graph/metricSums';

/** Steps whose predictions are read back together (a few reads an epoch, bounded device memory). */
const FLUSH_STEPS = 64;

export class RunningTrainMetrics {
  private readonly stats: MetricStats[];
  private pending: TF.Tensor[][];
  private pendingRows: Int32Array[] = [];

  /** `targets`: each task's training targets by row, as the host holds them (NaN: unlabelled). */
  constructor(private readonly tf: Tf, private readonly heads: readonly TaskHead[], private readonly targets: ReadonlyMap<string, Float32Array>) {
    this.stats = heads.map((h) => new MetricStats(metricHead(h)));
    this.pending = heads.map(() => []);
  }

  /** What an eager step calls with its heads' outputs on these rows of the split. */
  sink(rows: Int32Array): StepOutputs {
    return (outputs) => {
      const { tf } = this;
      this.heads.forEach((h, i) => {
        if (h.metrics.length) this.pending[i]!.push(tf.keep(tf.tidy(() => h.predict(outputs.get(h.task.id)!).reshape([-1]))));
      });
      this.pendingRows.push(rows.slice());
      if (this.pendingRows.length >= FLUSH_STEPS) this.flush();
    };
  }

  /** Reads back the pending steps' predictions and counts them. */
  private flush(): void {
    if (!this.pendingRows.length) return;
    const rowCount = this.pendingRows.reduce((a, r) => a + r.length, 0);
    const rows = new Int32Array(rowCount);
    let at = 0;
    for (const r of this.pendingRows) { rows.set(r, at); at += r.length; }
    this.heads.forEach((h, i) => {
      const parts = this.pending[i]!;
      if (!parts.length) return;
      const joined = parts.length === 1 ? parts[0]! : this.tf.concat(parts);
      const values = joined.dataSync() as Float32Array;
      this.tf.dispose(joined === parts[0] ? parts : [joined, ...parts]);
      this.stats[i]!.addPredictions(values, targetsOf(this.targets.get(h.task.id)!, rows));
    });
    this.pending = this.heads.map(() => []);
    this.pendingRows = [];
  }

  /**
   * The fused graph's statistics of the epoch (graph/metricSums.ts `take`): the session counted
   * every training row once, so the truths' own statistics (and the AUC's labels, in row
   * order as the scores are) are the whole split's.
   */
  addGraphSums(nodes: MetricSumNodes, taken: readonly Float32Array[]): void {
    nodes.heads.forEach((at, i) => {
      const s = this.stats[i]!;
      const truths = this.targets.get(this.heads[i]!.task.id)!;
      if (at.confusion) s.addCounts(taken[at.confusion.take]!.subarray(at.confusion.offset, at.confusion.offset + s.counts!.confusion.length));
      if (at.errors !== undefined) s.addErrorSums(taken[at.errors]![0]!, taken[at.errors]![1]!, truths);
      if (at.scores !== undefined) s.addScores(taken[at.scores]!, truths);
    });
  }

  /** The epoch's metrics by task (no loss: the loop's running mean is the train loss); the count starts again. */
  take(): TaskValues {
    this.flush();
    const out: TaskValues = {};
    this.heads.forEach((h, i) => { setOwn(out, h.task.id, this.stats[i]!.values()); this.stats[i]!.reset(); });
    return out;
  }

  /** Frees predictions not yet read (a cancelled epoch). */
  dispose(): void {
    this.tf.dispose(this.pending.flat());
    this.pending = this.heads.map(() => []);
    this.pendingRows = [];
  }
}
