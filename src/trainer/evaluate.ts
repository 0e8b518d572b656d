// Evaluation of a model on a device split: per-task loss and metrics, predictions read
// back once per split (in large batches), metrics computed on the host.
import type * as TF from '@tensorflow/tfjs';
import { EVAL_BATCH } from '../core/budget';
import { MetricStats, type MetricHead } from '../core/metricStats';
import type { Tf } from './backend';
import { inputRange, labelTensor, type DeviceSplit } from './deviceData';
import type { TaskHead } from './heads';
import { batchWeights, countLabelled, hasUnlabelled } from './labelMask';
import { hostRowRange } from './wasm/hostRows';
import { setOwn } from '../core/own';

export type TaskValues = Record<string, Record<string, number>>;

/** The model's outputs by task id from its inputs by input id (`training` false here): the eager forward (model/forward.ts) or the fused graph's (graph/graphStep.ts). */
export type EvalForward = (inputs: ReadonlyMap<string, TF.Tensor>, training: boolean) => Map<string, TF.Tensor>;

/**
 * The model's per-head mean loss and flattened predictions on these inputs, given each head's
 * labels (one value a row, all labelled), read back: the fused graph computes them in its session
 * (graph/evalScores.ts) where the eager path runs each head's loss and prediction as ops.
 */
export type EvalScores = (inputs: ReadonlyMap<string, TF.Tensor>, truths: readonly Float32Array[]) => { losses: Float32Array; predictions: Float32Array[] };


/**
 * Per-task loss and metrics over the first `limit` examples. A task with unlabelled rows
 * (partial labels) is measured on its labelled rows only; with none, it has no values.
 */
export function evaluate(tf: Tf, forward: EvalForward, heads: TaskHead[], split: DeviceSplit, limit = Infinity, scores?: EvalScores): TaskValues {
  const n = Math.min(split.n, limit);
  const lossSums = new Float64Array(heads.length);
  const truths = heads.map((h) => split.targets.get(h.task.id)!.subarray(0, n));
  const partial = truths.map((t) => hasUnlabelled(t));
  const labelledCounts = truths.map((t, i) => (partial[i] ? countLabelled(t) : n));
  const preds: Float32Array[] = heads.map((h) => new Float32Array(n * (h.encoding === 'onehot' ? h.units : 1)));
  for (let start = 0; start < n; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, n - start);
    const masks = heads.map((_, i) => (partial[i] ? batchWeights(truths[i]!, rangeOf(start, size), [size]) : undefined));
    if (scores && !masks.some(Boolean)) {
      for (const [from, count] of decodeParts(split, start, size)) {
        const xb = new Map([...split.x.keys()].map((k) => [k, inputRange(tf, split, k, from, count)]));
        const scored = scores(xb, truths.map((t) => t.subarray(from, from + count)));
        tf.dispose([...xb.values()]);
        heads.forEach((h, i) => {
          lossSums[i]! += scored.losses[i]! * count;
          preds[i]!.set(scored.predictions[i]!, from * (h.encoding === 'onehot' ? h.units : 1));
        });
      }
      continue;
    }
    const read = tf.tidy(() => {
      const outs = blockOutputs(tf, forward, heads, split, start, size);
      const losses: TF.Tensor[] = [];
      const ps: TF.Tensor[] = [];
      heads.forEach((h, i) => {
        const o = outs.get(h.task.id)!;
        const w = masks[i] && tf.tensor2d(masks[i]!.weights, [size, 1]);
        losses.push(h.lossFn(labelTensor(tf, h, truths[i]!.subarray(start, start + size)), o, w));
        ps.push(h.predict(o).reshape([-1]));
      });
      return { losses: tf.stack(losses), preds: ps };
    });
    const lossValues = read.losses.dataSync();
    heads.forEach((h, i) => {
      // A masked loss is the batch's labelled rows' mean: weighted by their count.
      lossSums[i]! += (lossValues[i] ?? 0) * (masks[i] ? masks[i]!.labelled[0]! : size);
      const width = h.encoding === 'onehot' ? h.units : 1;
      preds[i]!.set(read.preds[i]!.dataSync(), start * width);
    });
    tf.dispose([read.losses, ...read.preds]);
  }
  const out: TaskValues = {};
  heads.forEach((h, i) => {
    const count = labelledCounts[i]!;
    if (partial[i] && count === 0) { out[h.task.id] = {}; return; }
    // Unlabelled rows (NaN truths) are left out by the statistics (core/metricStats.ts).
    const stats = new MetricStats(metricHead(h));
    stats.addPredictions(preds[i]!, truths[i]!);
    const values: Record<string, number> = { loss: count ? lossSums[i]! / count : NaN, ...stats.values() };
    setOwn(out, h.task.id, values);
  });
  return out;
}

/** What core/metricStats.ts needs of a head. */
export const metricHead = (h: TaskHead): MetricHead => ({ taskId: h.task.id, encoding: h.encoding, units: h.units, metrics: h.metrics });

/**
 * Rows of a byte-coded input (deviceData.ts) are decoded this many at a time: a block's decoded
 * float32 values and the int32 indices that pick them from the table (2,000 digits: 6.3 MB
 * each) would otherwise be the largest allocations of a run's training, and the C allocator
 * keeps such memory once freed (digits-parity: 12-17 MB more resident after the first
 * evaluation). The model's outputs of the parts are joined: each row's outputs are computed
 * by the same kernels on the same values, and the block's loss and metrics as before.
 */
export const DECODE_ROWS = 256;

/** The model's outputs (by task id) on rows start .. start + size - 1 of the split. */
function blockOutputs(tf: Tf, forward: EvalForward, heads: TaskHead[], split: DeviceSplit, start: number, size: number): Map<string, TF.Tensor> {
  // On wasm a slice copies the whole split out of the heap: the rows are cut on the host (wasm/hostRows.ts).
  const rows = (from: number, count: number) => new Map([...split.x].map(([k, v]) => [k, hostRowRange(tf, v, from, count) ?? inputRange(tf, split, k, from, count)]));
  const ranges = decodeParts(split, start, size);
  if (ranges.length <= 1) return forward(rows(start, size), false);
  // Each part's decoded rows are freed before the next part is decoded.
  const parts = ranges.map(([from, count]) => tf.tidy(() => { const outs = forward(rows(from, count), false); return heads.map((h) => outs.get(h.task.id)!); }));
  return new Map(heads.map((h, i) => [h.task.id, tf.concat(parts.map((p) => p[i]!))]));
}

/** Rows start .. start + size - 1 as [from, count] parts: DECODE_ROWS at a time for a byte-coded split, else one. */
function decodeParts(split: DeviceSplit, start: number, size: number): Array<[number, number]> {
  const part = split.coded?.size ? DECODE_ROWS : size;
  const parts: Array<[number, number]> = [];
  for (let from = start; from < start + size; from += part) parts.push([from, Math.min(part, start + size - from)]);
  return parts;
}

const rangeOf = (start: number, size: number): Int32Array => Int32Array.from({ length: size }, (_, k) => start + k);
