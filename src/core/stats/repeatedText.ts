// How the results of a run are worded wherever they are shown (report.md, the CLI, the
// panel's Δm row, the completion notification): per task metric "mean ± sd (95 % CI low…high)"
// over the repeats, and the one sentence on sharing, which comes from the interval of Δm
// (verdictOf) and never from one number: a single run says it is one run.
import type { RunSummary } from '../protocol';
import { formatInterval, SHARING_VERDICT_TEXT, type IntervalSummary } from './interval';
import type { RepeatedSummary } from './repeated';

/** "0.8480 ± 0.0120 (95 % CI 0.8331…0.8629)"; one value alone: "0.8480 (one run)". */
export function formatMetricInterval(s: IntervalSummary): string {
  const f = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4));
  if (s.n === 0) return '—';
  if (s.low === undefined || s.high === undefined) return `${f(s.mean)} (one run)`;
  return `${f(s.mean)} ± ${f(s.sd)} (95 % CI ${f(s.low)}…${f(s.high)})`;
}

export interface RepeatedRow { task: string; metric: string; shared: string; baseline?: string }

/** One row per task metric, in the order the shared model's results list them. */
export function repeatedRows(r: RepeatedSummary): RepeatedRow[] {
  return Object.entries(r.test).flatMap(([task, metrics]) => Object.entries(metrics).map(([metric, s]) => {
    const b = r.baselines?.[task]?.[metric];
    return { task, metric, shared: formatMetricInterval(s), ...(b ? { baseline: formatMetricInterval(b) } : {}) };
  }));
}

/** What the repeats are: "3 seeds (42, 43, 44) × 5 folds". */
export function repeatsDescription(r: RepeatedSummary): string {
  const seeds = [...new Set(r.units.map((u) => u.seed))];
  const folds = r.units.find((u) => u.fold)?.fold?.of;
  return `${seeds.length} seed${seeds.length === 1 ? '' : 's'} (${seeds.join(', ')})${folds ? ` × ${folds} folds` : ''}`;
}

/**
 * The sentence on sharing: "sharing helped: Δm +1.23 % ± 0.45 (95 % CI …, n = 5)"; for one run
 * "Δm +0.34 %, one run: repeat it …". Undefined without baselines (nothing was compared).
 */
export function sharingVerdict(summary: Pick<RunSummary, 'baselines' | 'repeated'>): string | undefined {
  const d = summary.repeated?.deltaM;
  if (d) return `${SHARING_VERDICT_TEXT[d.verdict]}: Δm ${formatInterval(d)}`;
  if (!summary.baselines || !Number.isFinite(summary.baselines.deltaM)) return undefined;
  const one = summary.baselines.deltaM * 100;
  return `Δm ${one >= 0 ? '+' : '−'}${Math.abs(one).toFixed(2)} %, ${SHARING_VERDICT_TEXT.unknown}`;
}
