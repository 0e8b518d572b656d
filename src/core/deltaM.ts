// Multi-task performance Δm: how much the shared model gains (or loses) over the single-task
// baselines, averaged over every (task, metric) pair measured on both. Definition of
// Maninis et al. 2019 (Attentive Single-Tasking of Multiple Tasks) and Vandenhende et al.
// 2021 (Multi-Task Learning for Dense Prediction Tasks: A Survey), with the mean taken
// over all K task-metric pairs as in later work (e.g. Navon et al. 2022, Nash-MTL).
import type { BaselineComparison } from './protocol';

/** The formula as the report prints it. */
export const DELTA_M_FORMULA =
  'Δm = (1/K) · Σₖ (−1)^lₖ · (M_shared,k − M_baseline,k) / |M_baseline,k|, ' +
  'over the K task-metric pairs; lₖ = 1 when lower is better (loss, mae, rmse, …), else 0. ' +
  'Positive = sharing helped. When M_baseline,k = 0 the denominator is |M_shared,k| (a change from 0 counts as ±100 %).';

const LOWER_IS_BETTER_SUFFIX = /(loss|error|crossentropy|huber|perplexity)$/i;
const LOWER_IS_BETTER_ABBREVIATION = /(^|[^a-z])(mae|mse|rmse|mape)$/i;

/** Whether a larger value of this metric is better: false for losses and errors. */
export function higherIsBetter(metric: string): boolean {
  return !LOWER_IS_BETTER_SUFFIX.test(metric) && !LOWER_IS_BETTER_ABBREVIATION.test(metric);
}

/** Signed relative improvement of `shared` over `baseline` for one metric (0.05 = 5 % better). */
export function relativeImprovement(shared: number, baseline: number, metricHigherIsBetter: boolean): number {
  if (shared === baseline) return 0;
  const denominator = baseline !== 0 ? Math.abs(baseline) : Math.abs(shared);
  const sign = metricHigherIsBetter ? 1 : -1;
  return (sign * (shared - baseline)) / denominator;
}

export type TaskMetrics = Record<string, Record<string, number>>;

export interface DeltaMResult {
  comparisons: BaselineComparison[];
  /** Mean relative improvement over all comparisons; NaN when nothing could be compared. */
  deltaM: number;
  /** Pairs present in both but not comparable (a non-finite value, e.g. a diverged loss). */
  skipped: Array<{ task: string; metric: string; reason: string }>;
}

/**
 * Compares the shared model's metrics with the single-task baselines, task by task, on the
 * metrics both have (in the shared model's order). `include` narrows the pairs (e.g. leave out
 * `loss` when the task metrics already say it all).
 */
export function computeDeltaM(
  shared: TaskMetrics,
  baseline: TaskMetrics,
  include: (task: string, metric: string) => boolean = () => true,
): DeltaMResult {
  const comparisons: BaselineComparison[] = [];
  const skipped: DeltaMResult['skipped'] = [];
  for (const [task, metrics] of Object.entries(shared)) {
    const base = baseline[task];
    if (!base) continue;
    for (const [metric, s] of Object.entries(metrics)) {
      const b = base[metric];
      if (b === undefined || !include(task, metric)) continue;
      if (!Number.isFinite(s) || !Number.isFinite(b)) {
        skipped.push({ task, metric, reason: `not a finite number (shared ${s}, baseline ${b})` });
        continue;
      }
      const hib = higherIsBetter(metric);
      comparisons.push({ task, metric, higherIsBetter: hib, shared: s, baseline: b, relativeImprovement: relativeImprovement(s, b, hib) });
    }
  }
  const deltaM = comparisons.length === 0
    ? Number.NaN
    : comparisons.reduce((sum, c) => sum + c.relativeImprovement, 0) / comparisons.length;
  return { comparisons, deltaM, skipped };
}
