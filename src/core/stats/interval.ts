// Mean, spread and a 95 % confidence interval of repeated measurements (seeds, folds), and the
// verdict a comparison may draw from it. The interval is Student's t on the mean:
//   mean ± t(0.975, n−1) · sd / √n,  sd with n−1 in the denominator,
// which assumes the repeats are independent and roughly normal; with the 3-10 repeats a study
// can afford, a bootstrap interval would be too narrow (it cannot see beyond the values drawn).
// Paired comparisons (Δm of the shared model against the single-task baselines of the same seed
// or fold) are one value per repeat, so their interval is this one on those values. Folds are
// not independent (they share training rows): over folds, correctedResampledT.ts widens it.

/** How an interval was computed, as reports name it. */
export const INTERVAL_METHOD = "95 % Student's t interval of the mean over repeats";

export interface IntervalSummary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  sd: number;
  /** The 95 % confidence interval of the mean; undefined for fewer than two values (no spread to go on). */
  low?: number;
  high?: number;
}

/** t(0.975, df) for df = 1..30 (scipy.stats.t.ppf, 6 decimals). */
const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
  2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
  2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
];

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom: the table up to 30, then the
 * Cornish-Fisher expansion around the normal quantile (within 2e-6 of the exact value for df > 30).
 */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a positive integer, got ${df}`);
  if (df <= T975.length) return T975[df - 1]!;
  const z = 1.959963984540054;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2)
    + (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / (384 * df ** 3);
}

/** Mean, sd and 95 % t interval of the finite values given (NaN and ±Infinity are not measurements). */
export function summarize(values: readonly number[]): IntervalSummary {
  const xs = values.filter(Number.isFinite);
  const n = xs.length;
  if (n === 0) return { n, mean: Number.NaN, sd: Number.NaN };
  const mean = xs.reduce((a, v) => a + v, 0) / n;
  if (n === 1) return { n, mean, sd: 0 };
  const sd = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = tQuantile975(n - 1) * sd / Math.sqrt(n);
  return { n, mean, sd, low: mean - half, high: mean + half };
}

/**
 * What a comparison may say from the interval of a signed improvement (positive = better, as Δm):
 * 'helped' when the whole interval is above 0, 'hurt' when below, 'no-difference' when it holds 0,
 * 'unknown' with fewer than two repeats (one number says nothing about the noise).
 */
export type Verdict = 'helped' | 'hurt' | 'no-difference' | 'unknown';

export function verdictOf(s: IntervalSummary): Verdict {
  if (s.low === undefined || s.high === undefined || !Number.isFinite(s.low) || !Number.isFinite(s.high)) return 'unknown';
  if (s.low > 0) return 'helped';
  if (s.high < 0) return 'hurt';
  return 'no-difference';
}

/** The verdict on sharing in the words the report, the panel and the notification use. */
export const SHARING_VERDICT_TEXT: Record<Verdict, string> = {
  helped: 'sharing helped',
  hurt: 'sharing hurt',
  'no-difference': 'no difference that these runs can show',
  unknown: 'one run: repeat it (evaluation.repeats) to know whether the difference is more than noise',
};

/** "+1.23 % ± 0.45 (95 % CI +0.78 … +1.68, n = 5)" for a fraction such as Δm; `unit` 100 → percent. */
export function formatInterval(s: IntervalSummary, percent = true): string {
  const k = percent ? 100 : 1;
  const u = percent ? ' %' : '';
  const f = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * k).toFixed(2)}`;
  if (s.n === 0) return 'no value';
  if (s.low === undefined || s.high === undefined) return `${f(s.mean)}${u} (one run, no interval)`;
  return `${f(s.mean)}${u} ± ${(s.sd * k).toFixed(2)} (95 % CI ${f(s.low)} … ${f(s.high)}${u}, n = ${s.n})`;
}
