// Intervals over cross-validation folds. k-fold estimates are correlated: two folds' training
// sets share most of their rows, so Student's t over folds, which takes them as independent,
// gives an interval that is too narrow. Nadeau and Bengio (2003, "Inference for the
// generalization error", Machine Learning 52, eq. 8, the "corrected resampled t") widen the
// variance of the mean of J resampled estimates:
//   variance of the mean = (1/J + n_test/n_train) · s²,   s² the sample variance (J − 1),
// with Student's t(0.975, J − 1); Bouckaert and Frank (2004) use it for r seeds × k folds,
// J = r·k. Student's plain interval has 1/J alone. With a fixed test split (crossValidation test
// "fixed") the folds also share their test rows, a correlation the correction does not model:
// the interval is then still on the optimistic side, but far less than the plain one.
import { summarize, tQuantile975, type IntervalSummary } from './interval';

/** How the measurements were resampled: the folds, the seeds per fold, and n_test / n_train. */
export interface Resampling {
  folds: number;
  seeds: number;
  /** Test rows over training rows of one unit (the mean over the units). */
  testToTrain: number;
}

/** One measurement unit as runs record it: its seed, its fold, and the rows it trained and tested on. */
export interface ResampledUnit {
  seed: number;
  fold?: { index: number; of: number };
  rows?: { train: number; test: number };
}

/**
 * The resampling behind the units, or undefined when none of them is a fold (seeds on one
 * split: Student's t). Units recorded without their rows (none are, since the runs write them)
 * count as a k-fold split of the whole, n_test / n_train = 1 / (k − 1).
 */
export function resamplingOf(units: readonly ResampledUnit[]): Resampling | undefined {
  const folds = units.find((u) => u.fold)?.fold?.of;
  if (!folds) return undefined;
  const ratios = units.flatMap((u) => (u.rows && u.rows.train > 0 ? [u.rows.test / u.rows.train] : []));
  const testToTrain = ratios.length ? ratios.reduce((a, v) => a + v, 0) / ratios.length : 1 / (folds - 1);
  return { folds, seeds: new Set(units.map((u) => u.seed)).size, testToTrain };
}

/** Mean, sd and the corrected resampled 95 % t interval of the finite values (NaN and ±Infinity left out). */
export function correctedSummarize(values: readonly number[], testToTrain: number): IntervalSummary {
  const plain = summarize(values);
  if (plain.low === undefined) return plain;
  const half = tQuantile975(plain.n - 1) * plain.sd * Math.sqrt(1 / plain.n + testToTrain);
  return { ...plain, low: plain.mean - half, high: plain.mean + half };
}

/** The interval the units call for: corrected resampled t over folds, Student's t over seeds alone. */
export function intervalOver(values: readonly number[], resampling: Resampling | undefined): IntervalSummary {
  return resampling ? correctedSummarize(values, resampling.testToTrain) : summarize(values);
}

/** How the interval was computed, as reports name it: "95 % corrected resampled t interval (Nadeau and Bengio 2003), 5 folds × 2 seeds: …". */
export function resampledMethod(r: Pick<Resampling, 'folds' | 'seeds'>): string {
  return `95 % corrected resampled t interval (Nadeau and Bengio 2003), ${r.folds} folds × ${r.seeds} seed${r.seeds === 1 ? '' : 's'}: `
    + 'the variance of the mean × (1/J + test rows / training rows) over the J folds and seeds, as folds share their training rows';
}
