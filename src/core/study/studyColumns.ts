// The columns of a study's table and charts: each task with the metric it is judged by (the
// first of its evaluation metrics), read from the variants' own specs and results.
import { higherIsBetter } from '../deltaM';
import { mainMetric, tasksOf } from '../runsIndex';
import type { IntervalSummary } from '../stats/interval';
import type { StudyResult, StudyRunRecord, StudyVariantResult } from './studyTypes';

export interface StudyColumn {
  task: string;
  metric: string;
  higherIsBetter: boolean;
}

export function studyColumns(result: StudyResult): StudyColumn[] {
  const out: StudyColumn[] = [];
  const seen = new Set<string>();
  const add = (task: string, metric: string | undefined) => {
    if (metric === undefined || seen.has(task)) return;
    seen.add(task);
    out.push({ task, metric, higherIsBetter: higherIsBetter(metric) });
  };
  // Task order and metrics of the designed experiment first (the variants that carry a spec).
  for (const v of result.variants) for (const t of tasksOf(v.variant.spec)) add(t.id, mainMetric(t));
  // Tasks only known from results (no variant carries a spec): the first metric that is not the loss.
  for (const v of result.variants) {
    for (const [task, metrics] of Object.entries(v.test)) add(task, Object.keys(metrics).find((m) => m !== 'loss') ?? Object.keys(metrics)[0]);
  }
  return out;
}

export function cellOf(v: StudyVariantResult, c: StudyColumn): IntervalSummary | undefined {
  return v.test[c.task]?.[c.metric];
}

export function runValue(r: StudyRunRecord, c: StudyColumn): number | undefined {
  const v = r.test?.[c.task]?.[c.metric];
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** "3 of 3" runs completed. */
export function completedRuns(v: StudyVariantResult): string {
  return `${v.runs.filter((r) => r.status === 'completed').length} of ${v.runs.length}`;
}
