// k-fold cross-validation (evaluation.crossValidation) over data loaded once: the folds are
// stratified, so each fold holds each class's rows within one of its share (k-fold as in
// scikit-learn's StratifiedKFold: shuffled within each class, then dealt out in turn), and
// they depend only on data.split.seed, so every seed and every phase sees the same folds.
// "fixed": the hold-out test split stays and the folds rotate the validation part of the other
// rows; "nested": each fold is the test split in turn and data.split.validation of the other
// rows validates.
import type { CrossValidationSpec, SplitSpec } from '../../core/spec';
import { SeededRandom, deriveSeed } from '../../core/random';
import type { LoadedData, SplitPlan } from './load';
import { splitIndices, type SplitIndices } from './split';

/**
 * `rows` dealt into k folds: shuffled within each stratum (seeded), then dealt out in turn with
 * one count running through all strata, so fold sizes differ by at most one and so does each
 * class's count between folds.
 */
export function foldParts(rows: ArrayLike<number>, k: number, seed: number, strata?: ArrayLike<number>): Int32Array[] {
  const rng = new SeededRandom(deriveSeed(seed, 'folds'));
  const byStratum = new Map<number, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    // NaN (unlabelled) is a stratum of its own: the Map keeps NaN keys together.
    const key = strata ? strata[row]! : 0;
    let list = byStratum.get(key);
    if (!list) byStratum.set(key, (list = []));
    list.push(row);
  }
  // Sorted by class id so the folds do not depend on the order classes first appear.
  const order = (key: number) => (Number.isNaN(key) ? Infinity : key);
  const keys = [...byStratum.keys()].sort((a, b) => order(a) - order(b));
  const folds: number[][] = Array.from({ length: k }, () => []);
  let dealt = 0;
  for (const key of keys) {
    const group = Int32Array.from(byStratum.get(key)!);
    rng.shuffle(group);
    for (const row of group) folds[dealt++ % k]!.push(row);
  }
  return folds.map((f) => {
    const out = Int32Array.from(f);
    rng.shuffle(out);
    return out;
  });
}

/** One fold's train / validation / test rows as a split plan over the loaded data. */
export function crossValidationPlans(split: SplitSpec, cv: CrossValidationSpec, loaded: LoadedData, fixedParts?: SplitIndices): SplitPlan[] {
  const { all, strata } = loaded;
  const nested = cv.test === 'nested';
  let pool: Int32Array;
  let test: Int32Array | undefined;
  if (nested) {
    pool = Int32Array.from({ length: all.n }, (_, i) => i);
  } else {
    if (!fixedParts) throw new Error('crossValidationPlans: the fixed test split needs the hold-out split');
    pool = Int32Array.from([...fixedParts.train, ...fixedParts.validation]);
    test = fixedParts.test;
  }
  const folds = foldParts(pool, cv.folds, split.seed, strata);
  return folds.map((fold, f) => {
    const rest = Int32Array.from(folds.flatMap((other, g) => (g === f ? [] : [...other])));
    let parts: { train: Int32Array; validation: Int32Array; test: Int32Array };
    if (nested) {
      // The other folds' rows split by data.split.validation, stratified and seeded as a hold-out split.
      const inner = splitIndices(rest.length, { validation: split.validation, test: 0, seed: split.seed }, strata ? Array.from(rest, (r) => strata[r]!) : undefined);
      parts = { train: inner.train.map((i) => rest[i]!), validation: inner.validation.map((i) => rest[i]!), test: fold };
    } else {
      parts = { train: rest, validation: fold, test: test! };
    }
    const rows = Int32Array.from([...parts.train, ...parts.validation, ...parts.test]);
    const a = parts.train.length;
    const b = a + parts.validation.length;
    const indices: SplitIndices = { rows, train: rows.subarray(0, a), validation: rows.subarray(a, b), test: rows.subarray(b) };
    const report = [...loaded.report, `Fold ${f + 1} of ${cv.folds} (${nested ? 'nested: the fold is the test split' : 'the fold is the validation split, the test split is fixed'}${strata ? `, stratified by '${loaded.stratifiedBy}'` : ''}): ` +
      `${a.toLocaleString('en-US')} train, ${parts.validation.length.toLocaleString('en-US')} validation, ${parts.test.length.toLocaleString('en-US')} test.`];
    return { all, parts: indices, report, ...(loaded.stratifiedBy !== undefined ? { stratifiedBy: loaded.stratifiedBy } : {}) };
  });
}
