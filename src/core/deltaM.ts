// Multi-task performance Δm: how much the shared model gains (or loses) over the single-task
// baselines. Per (task, metric) pair the signed relative change of Maninis et al. 2019
// (Attentive Single-Tasking of Multiple Tasks) and Vandenhende et al. 2021 (Multi-Task
// Learning for Dense Prediction Tasks: A Survey), averaged by one of two conventions found in
// the literature, chosen with `evaluation.deltaM`:
// - "pairs": the mean over all K task-metric pairs (e.g. Navon et al. 2022, Nash-MTL);
// - "tasks": the mean over tasks of each task's mean over its metrics (LibMTL's Δp,
//   `count_improvement`), so a task with many metrics weighs as much as a task with one.
// A pair whose baseline is 0 has no relative change (division by 0): it is left out of both
// means and listed with the reason, never counted as ±100 %.
import type { BaselineComparison, DeltaMExclusion } from './protocol';
import type { DeltaMConvention } from './spec';
import type { TaskMetrics } from './stats/repeated';

export const DEFAULT_DELTA_M: DeltaMConvention = 'pairs';

const SIGN_AND_EXCLUSIONS = 'lₖ = 1 when lower is better (loss, mae, rmse, …), else 0. Positive = sharing helped. ' +
  'A pair whose baseline is 0 has no relative change: it is left out.';

/** Each convention's name as the report and panel print it, and its formula. */
export const DELTA_M_CONVENTIONS: Record<DeltaMConvention, { label: string; formula: string }> = {
  pairs: {
    label: 'mean over task-metric pairs (Nash-MTL)',
    formula: 'Δm = (1/K) · Σₖ (−1)^lₖ · (M_shared,k − M_baseline,k) / |M_baseline,k|, over the K task-metric pairs; ' + SIGN_AND_EXCLUSIONS,
  },
  tasks: {
    label: "mean over tasks of each task's mean (LibMTL's Δp)",
    formula: 'Δm = (1/T) · Σₜ (1/Mₜ) · Σₖ∈t (−1)^lₖ · (M_shared,k − M_baseline,k) / |M_baseline,k|, over the T tasks, ' +
      'each with its Mₜ metric pairs; ' + SIGN_AND_EXCLUSIONS,
  },
};

const LOWER_IS_BETTER_SUFFIX = /(loss|error|crossentropy|huber|perplexity)$/i;
const LOWER_IS_BETTER_ABBREVIATION = /(^|[^a-z])(mae|mse|rmse|mape)$/i;

/** Whether a larger value of this metric is better: false for losses and errors. */
export function higherIsBetter(metric: string): boolean {
  return !LOWER_IS_BETTER_SUFFIX.test(metric) && !LOWER_IS_BETTER_ABBREVIATION.test(metric);
}

/**
 * Signed relative improvement of `shared` over `baseline` for one metric (0.05 = 5 % better);
 * undefined when the baseline is 0 (a relative change from 0 has no value).
 */
export function relativeImprovement(shared: number, baseline: number, metricHigherIsBetter: boolean): number | undefined {
  if (baseline === 0) return undefined;
  const sign = metricHigherIsBetter ? 1 : -1;
  return (sign * (shared - baseline)) / Math.abs(baseline);
}

export type { TaskMetrics } from './stats/repeated';

export interface DeltaMResult {
  comparisons: BaselineComparison[];
  /** By `convention` over the comparisons; NaN when nothing could be compared. */
  deltaM: number;
  convention: DeltaMConvention;
  /** Pairs present in both but left out of Δm, and why (a baseline of 0, a non-finite value). */
  excluded: DeltaMExclusion[];
}

/**
 * Why a pair is left out when a value is not finite, in words ("NaN" reads as our bug): an AUC
 * is undefined when the test split's labelled rows hold one class.
 */
function notFinite(metric: string, shared: number, baseline: number): string {
  const word = (v: number) => (Number.isNaN(v) ? 'not defined' : 'infinite');
  const parts = [...(Number.isFinite(shared) ? [] : [`the shared model's is ${word(shared)}`]), ...(Number.isFinite(baseline) ? [] : [`the baseline's is ${word(baseline)}`])];
  const auc = metric === 'rocAuc' && (Number.isNaN(shared) || Number.isNaN(baseline)) ? ' (an AUC needs both classes among the test split\'s labelled rows)' : '';
  return `${parts.join(' and ')}${auc}`;
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
  convention: DeltaMConvention = DEFAULT_DELTA_M,
): DeltaMResult {
  const comparisons: BaselineComparison[] = [];
  const excluded: DeltaMExclusion[] = [];
  for (const [task, metrics] of Object.entries(shared)) {
    const base = baseline[task];
    if (!base) continue;
    for (const [metric, s] of Object.entries(metrics)) {
      const b = base[metric];
      if (b === undefined || !include(task, metric)) continue;
      if (!Number.isFinite(s) || !Number.isFinite(b)) {
        excluded.push({ task, metric, reason: notFinite(metric, s, b) });
        continue;
      }
      const hib = higherIsBetter(metric);
      const change = relativeImprovement(s, b, hib);
      if (change === undefined) {
        excluded.push({ task, metric, reason: `the baseline is 0, so the relative change is undefined (shared ${s})` });
        continue;
      }
      comparisons.push({ task, metric, higherIsBetter: hib, shared: s, baseline: b, relativeImprovement: change });
    }
  }
  return { comparisons, deltaM: average(comparisons, convention), convention, excluded };
}

function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, v) => a + v, 0) / values.length;
}

function average(comparisons: BaselineComparison[], convention: DeltaMConvention): number {
  if (convention === 'pairs') return mean(comparisons.map((c) => c.relativeImprovement));
  const byTask = new Map<string, number[]>();
  for (const c of comparisons) (byTask.get(c.task) ?? byTask.set(c.task, []).get(c.task)!).push(c.relativeImprovement);
  return mean([...byTask.values()].map(mean));
}
