// The study's variants x tasks table as `mts study` prints it: each task's first metric as
// mean ± sd over the repeats, then Δm with its 95 % interval and the verdict that interval
// allows (never one number's sign).
import { formatInterval, SHARING_VERDICT_TEXT, type IntervalSummary } from '../../core/stats/interval';
import type { StudyResult } from '../../core/study/studyTypes';

const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));
const meanSd = (s: IntervalSummary | undefined): string => (!s || s.n === 0 ? '–' : s.n === 1 ? fmt(s.mean) : `${fmt(s.mean)} ± ${fmt(s.sd)}`);

/** Per task, the metric shown: the first one measured that is not the loss. */
export function tableMetrics(result: StudyResult): { task: string; metric: string }[] {
  const out = new Map<string, string>();
  for (const v of result.variants) {
    for (const [task, metrics] of Object.entries(v.test)) {
      if (!out.has(task)) {
        const metric = Object.keys(metrics).find((m) => m !== 'loss') ?? Object.keys(metrics)[0];
        if (metric) out.set(task, metric);
      }
    }
  }
  return [...out].map(([task, metric]) => ({ task, metric }));
}

export function studyTableLines(result: StudyResult): string[] {
  const columns = tableMetrics(result);
  const header = ['variant', ...columns.map((c) => `${c.task} ${c.metric}`), 'runs', 'Δm vs single-task (95 % CI)', 'verdict'];
  const rows = result.variants.map((v) => {
    const done = v.runs.filter((r) => r.status === 'completed').length;
    return [
      v.variant.label,
      ...columns.map((c) => meanSd(v.test[c.task]?.[c.metric])),
      `${done}/${v.runs.length}`,
      v.variant.kind === 'single-task' ? 'reference' : v.deltaM ? formatInterval(v.deltaM) : '–',
      v.variant.kind === 'single-task' ? '' : v.deltaM ? SHARING_VERDICT_TEXT[v.deltaM.verdict] : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line),
    `mean ± sd over ${result.crossValidation ? `${result.repeats} seed${result.repeats === 1 ? '' : 's'} × ${result.crossValidation.folds} folds` : 'repeats (seeds)'}; intervals: ${result.method}`];
}
