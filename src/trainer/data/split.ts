// Hold-out train / validation / test split, deterministic for a seed. Stratified splits keep
// each class's share the same in all three parts (within one example per class).
import { SeededRandom, deriveSeed } from '../../core/random';
import type { Dataset, SplitDataset } from './dataset';
import { featureSize } from './dataset';
import { DataError } from './errors';

/**
 * Typed arrays: a million row indices take 4 MB, where number[] takes 8 MB plus its growth.
 * The three parts are views of one array, `rows`: arranging a data set by its split
 * (arrangeBySplit) reads that order as it is, with no second array of every row.
 */
export interface SplitIndices {
  /** Every row: the training rows, then validation, then test. */
  rows: Int32Array;
  train: Int32Array;
  validation: Int32Array;
  test: Int32Array;
}

export interface SplitFractions {
  validation: number;
  test: number;
  seed: number;
}

/**
 * Row indices of each part. `strata` (one class id per row; NaN, an unlabelled row, is its own
 * stratum) makes the split stratified.
 * Sizes: round(n * validation) and round(n * test) overall; each part is in random order.
 */
export function splitIndices(n: number, split: SplitFractions, strata?: ArrayLike<number>): SplitIndices {
  const { validation, test } = split;
  if (!(validation >= 0 && test >= 0 && validation + test < 1)) {
    throw new DataError(`data.split: validation (${validation}) and test (${test}) must be at least 0 and add up to less than 1.`, ['data', 'split']);
  }
  const rng = new SeededRandom(deriveSeed(split.seed, 'split'));
  const nTest = Math.round(n * test);
  const nValidation = Math.round(n * validation);
  if (n - nTest - nValidation < 1) throw new DataError(`data.split leaves no training examples out of ${n}.`, ['data', 'split']);

  const groups = groupRows(n, strata);
  for (const rows of groups) rng.shuffle(rows);
  const testCounts = allocate(groups.map((g) => g.length), nTest);
  const validationCounts = allocate(groups.map((g, k) => g.length - (testCounts[k] as number)), nValidation);

  const rowsOut = new Int32Array(n);
  const nTrain = n - nTest - nValidation;
  const out: SplitIndices = {
    rows: rowsOut, train: rowsOut.subarray(0, nTrain), validation: rowsOut.subarray(nTrain, nTrain + nValidation), test: rowsOut.subarray(nTrain + nValidation),
  };
  let [train, val, tst] = [0, 0, 0];
  groups.forEach((rows, k) => {
    const t = testCounts[k] as number;
    const v = validationCounts[k] as number;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      if (i < t) out.test[tst++] = row;
      else if (i < t + v) out.validation[val++] = row;
      else out.train[train++] = row;
    }
  });
  // Interleave the classes: a part must not arrive sorted by class.
  rng.shuffle(out.train);
  rng.shuffle(out.validation);
  rng.shuffle(out.test);
  return out;
}

/** Each stratum's rows, in row order: views of one array of every row (a counting sort). */
function groupRows(n: number, strata?: ArrayLike<number>): Int32Array[] {
  const all = new Int32Array(n);
  if (!strata) {
    for (let i = 0; i < n; i++) all[i] = i;
    return [all];
  }
  // Counted first, so each class's rows go straight into their place.
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) counts.set(strata[i] as number, (counts.get(strata[i] as number) ?? 0) + 1);
  // Sorted by class id so the result does not depend on the order classes first appear.
  // NaN (a task's unlabelled rows; the Map groups NaN keys together) is a stratum of its own, last.
  const order = (k: number) => (Number.isNaN(k) ? Infinity : k);
  const keys = [...counts.keys()].sort((a, b) => order(a) - order(b));
  const next = new Map<number, number>();
  const groups: Int32Array[] = [];
  let start = 0;
  for (const key of keys) {
    const count = counts.get(key) as number;
    next.set(key, start);
    groups.push(all.subarray(start, start + count));
    start += count;
  }
  for (let i = 0; i < n; i++) {
    const at = next.get(strata[i] as number) as number;
    all[at] = i;
    next.set(strata[i] as number, at + 1);
  }
  return groups;
}

/**
 * Splits `total` over groups in proportion to their sizes (largest remainder), never more
 * than a group holds, so the overall count is exact and every share is within one of ideal.
 */
export function allocate(sizes: readonly number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum === 0 || total === 0) return sizes.map(() => 0);
  const ideal = sizes.map((s) => (s * total) / sum);
  const counts = ideal.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = ideal.map((x, k) => [x - Math.floor(x), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left === 0) break;
    if ((counts[k] as number) < (sizes[k] as number)) { counts[k] = (counts[k] as number) + 1; left--; }
  }
  return counts;
}

/**
 * The three parts as views of the data set's own arrays, its rows reordered in place into
 * train, validation, test order: no second copy of a large data set. `ds` is consumed (its
 * row order changes); use takeRows for copies when it is still needed as it was.
 */
export function arrangeBySplit(ds: Dataset, parts: SplitIndices): SplitDataset {
  const order = parts.rows;
  if (order.length !== ds.n) throw new Error(`arrangeBySplit: the parts hold ${order.length} rows, the data ${ds.n}`);
  const d = featureSize(ds);
  const done = new Uint8Array(ds.n);
  permuteRows(ds.features, d, order, done);
  for (const values of Object.values(ds.targets)) permuteRows(values, 1, order, done.fill(0));
  const view = (from: number, to: number): Dataset => ({
    ...ds,
    n: to - from,
    features: ds.features.subarray(from * d, to * d),
    targets: Object.fromEntries(Object.entries(ds.targets).map(([name, values]) => [name, values.subarray(from, to)])),
    report: [...ds.report],
  });
  const a = parts.train.length;
  const b = a + parts.validation.length;
  return { train: view(0, a), validation: view(a, b), test: view(b, ds.n) };
}

/** Row i of the result is row order[i] of the input, in place (follows each cycle once; `done`: zeros, one per row). */
function permuteRows(values: Float32Array, width: number, order: Int32Array, done: Uint8Array): void {
  const held = new Float32Array(width);
  for (let start = 0; start < order.length; start++) {
    if (done[start] || order[start] === start) continue;
    held.set(values.subarray(start * width, start * width + width));
    let to = start;
    for (;;) {
      done[to] = 1;
      const from = order[to] as number;
      if (from === start) { values.set(held, to * width); break; }
      values.copyWithin(to * width, from * width, from * width + width);
      to = from;
    }
  }
}
