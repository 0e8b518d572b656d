// Partial labels: a task's target is NaN in the rows that lack it (data/table.ts). Those rows
// still train the other tasks; for this task each batch's loss is the mean over its labelled
// rows only. The mask is carried as one weight per row, 1/(labelled rows of the batch) or 0,
// computed here on the host (the targets are host arrays, the batch order is known), so the
// masked mean is one multiply-and-sum on the device, the same in the tape path, the compiled
// step and evaluation, and a batch with no labelled rows gives 0, never 0/0.
import type * as TF from '@tensorflow/tfjs';

/** A partially labelled task's rows in one training batch: loss weights ([n, 1]) and how many are labelled. */
export interface BatchMask { weights: TF.Tensor; labelled: number }

export const isLabelled = (v: number): boolean => !Number.isNaN(v);

/** Whether some row lacks this target. */
export function hasUnlabelled(targets: ArrayLike<number>): boolean {
  for (let i = 0; i < targets.length; i++) if (Number.isNaN(targets[i])) return true;
  return false;
}

/** Indices of the labelled rows. */
export function labelledRows(targets: ArrayLike<number>): number[] {
  const rows: number[] = [];
  for (let i = 0; i < targets.length; i++) if (!Number.isNaN(targets[i])) rows.push(i);
  return rows;
}

export function countLabelled(targets: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < targets.length; i++) if (!Number.isNaN(targets[i])) n++;
  return n;
}

export interface BatchWeights {
  /** One weight per row, in `order`: 1/(labelled rows of its batch) when labelled, else 0. */
  weights: Float32Array;
  /** Labelled rows per batch. */
  labelled: number[];
}

/**
 * Row weights for the masked mean of each batch. `order` lists the rows (e.g. an epoch's
 * shuffled permutation), cut into consecutive batches of `sizes`.
 */
export function batchWeights(targets: ArrayLike<number>, order: ArrayLike<number>, sizes: readonly number[]): BatchWeights {
  const weights = new Float32Array(order.length);
  const labelled: number[] = [];
  let start = 0;
  for (const size of sizes) {
    let count = 0;
    for (let k = start; k < start + size; k++) if (!Number.isNaN(targets[order[k] as number])) count++;
    for (let k = start; k < start + size; k++) weights[k] = count > 0 && !Number.isNaN(targets[order[k] as number]) ? 1 / count : 0;
    labelled.push(count);
    start += size;
  }
  return { weights, labelled };
}

/** Targets with NaN replaced by 0, for label tensors: a masked row's loss must be finite (0 * NaN is NaN). */
export function fillUnlabelled(targets: Float32Array): Float32Array {
  return hasUnlabelled(targets) ? targets.map((v) => (Number.isNaN(v) ? 0 : v)) : targets;
}
