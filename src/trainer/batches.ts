// An epoch's batches for the training loop. The rows' shuffled order is one Int32Array for
// the whole run, shuffled in place each epoch (a million rows: 4 MB off the JS heap, where a
// number[] takes 8 MB of heap each epoch). Batches are gathered on the device a block of
// rows at a time, two ops per tensor for the whole block (gather, split): a large training
// set is never copied whole on the device. Labels are made per block from the host's targets
// (deviceData.ts labelTensor), never held for the whole split on the device.
import type * as TF from '@tensorflow/tfjs';
import type { SeededRandom } from '../core/random';
import type { Tf } from './backend';
import { inputRows, type InputSource } from './deviceData';
import { hostRowBatches } from './wasm/hostRows';

/**
 * Bytes of a block of batches on the device (inputs, labels, row weights; at least one batch).
 * Small next to the data, so a block and the allocator's leftovers from it add little to a
 * run's memory; large enough that the two ops per block cost nothing next to the steps.
 */
const BLOCK_BYTES = 1 << 20;

/**
 * Refills `rows` with 0..n-1 and shuffles it in place: the same order as
 * `rng.shuffle([0, 1, ..., n - 1])`, so a seed gives the batches it always gave.
 */
export function shuffleRows(rows: Int32Array, rng: SeededRandom): Int32Array {
  for (let i = 0; i < rows.length; i++) rows[i] = i;
  return rng.shuffle(rows);
}

/** Sizes of an epoch's batches: `batchSize` each, the last one what is left. */
export function batchSizes(n: number, batchSize: number): number[] {
  return Array.from({ length: Math.ceil(n / batchSize) }, (_, i) => Math.min(batchSize, n - i * batchSize));
}

/** What batches are cut from. */
export interface BatchSource {
  /** The split's inputs on the device. */
  x: ReadonlyMap<string, TF.Tensor>;
  /** Its inputs held as byte codes (deviceData.ts), read through inputRows. */
  coded?: InputSource['coded'];
  /** The label tensors of these rows, in their order, as the step takes them (keyed by task). */
  labels(rows: Int32Array): Map<string, TF.Tensor>;
  /** Values per row of all the label tensors together (one-hot: the classes; a value: 1). */
  labelWidth: number;
  /** Row weights of the partially labelled tasks, already in the epoch's order (labelMask.ts). */
  weights: ReadonlyMap<string, Float32Array>;
}

/** One batch's tensors; the caller disposes them once its step is done. */
export interface Batch {
  x: Map<string, TF.Tensor>;
  y: Map<string, TF.Tensor>;
  weights: Map<string, TF.Tensor>;
}

/** The batches of one epoch, taken in order: batch(0), batch(1), ... */
export class EpochBatches {
  private readonly perBlock: number;
  private block: Batch[] = [];

  constructor(private readonly tf: Tf, private readonly source: BatchSource, private readonly order: Int32Array,
    private readonly sizes: readonly number[], private readonly batchSize: number) {
    const inputWidth = [...source.x.values()].reduce((a, x) => a + x.size / Math.max(1, x.shape[0]!), 0);
    const rowBytes = 4 * (inputWidth + source.labelWidth + source.weights.size);
    this.perBlock = Math.max(1, Math.floor(BLOCK_BYTES / (batchSize * Math.max(1, rowBytes))));
  }

  batch(b: number): Batch {
    if (b % this.perBlock === 0) {
      this.dispose();
      this.block = this.gather(b);
    }
    return this.block[b % this.perBlock]!;
  }

  /** Frees what is left of the current block (all of it after a cancel). */
  dispose(): void {
    this.tf.dispose(this.block.flatMap((batch) => [...batch.x.values(), ...batch.y.values(), ...batch.weights.values()]));
    this.block = [];
  }

  private gather(first: number): Batch[] {
    const { tf, source } = this;
    const sizes = this.sizes.slice(first, first + this.perBlock);
    const start = first * this.batchSize;
    const rows = sizes.reduce((a, v) => a + v, 0);
    const order = this.order.subarray(start, start + rows);
    const split = (t: TF.Tensor): TF.Tensor[] => (sizes.length === 1 ? [t] : tf.split(t, sizes));
    const xKeys = [...source.x.keys()];
    const wKeys = [...source.weights.keys()];
    let yKeys: string[] = [];
    // tidy keeps tensors in arrays, not in Maps: split inside, index by key outside.
    const parts = tf.tidy(() => {
      const idx = tf.tensor1d(order, 'int32');
      const labels = source.labels(order);
      yKeys = [...labels.keys()];
      return [
        // On wasm the rows are copied on the host (wasm/hostRows.ts says why).
        ...xKeys.map((k) => hostRowBatches(tf, source.x.get(k)!, order, sizes) ?? split(inputRows(tf, source, k, idx))),
        ...yKeys.map((k) => split(labels.get(k)!)),
        // The weights are in epoch order already: the block's rows, split only.
        ...wKeys.map((k) => split(tf.tensor2d(source.weights.get(k)!.subarray(start, start + rows), [rows, 1]))),
      ];
    });
    const byKey = (keys: string[], offset: number, j: number) => new Map(keys.map((k, i) => [k, parts[offset + i]![j]!]));
    return sizes.map((_, j) => ({
      x: byKey(xKeys, 0, j),
      y: byKey(yKeys, xKeys.length, j),
      weights: byKey(wKeys, xKeys.length + yKeys.length, j),
    }));
  }
}
