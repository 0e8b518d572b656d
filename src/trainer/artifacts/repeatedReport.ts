// The report's section on a repeated run (evaluation.repeats, crossValidation): each task
// metric's mean ± sd and 95 % interval for the shared model and the single-task baselines,
// every repeat's Δm, the interval of Δm and the sentence it allows (core/stats/repeatedText.ts).
import { SHARING_VERDICT_TEXT, formatInterval } from '../../core/stats/interval';
import type { RepeatedSummary } from '../../core/stats/repeated';
import { repeatedRows, repeatsDescription } from '../../core/stats/repeatedText';
import { escapeMarkdown as md, formatPercent, markdownTable as table } from '../../core/markup';

export function repeatedSection(r: RepeatedSummary): string[] {
  const lines: string[] = ['## Repeated runs', ''];
  lines.push(`${r.units.length} trainings of every model: ${md(repeatsDescription(r))}. Every phase (the shared model and each single-task baseline) ` +
    `trained on the same seeds and folds. Intervals: ${md(r.method)}.`, '');
  const rows = repeatedRows(r);
  const withBaselines = rows.some((x) => x.baseline !== undefined);
  lines.push(table(['Task', 'Metric', 'Shared model', ...(withBaselines ? ['Single-task baseline'] : [])],
    // The intervals are our own digits and signs: escaping would only put a backslash after a leading number.
    rows.map((x) => [md(x.task), md(x.metric), x.shared, ...(withBaselines ? [x.baseline ?? '—'] : [])])), '');
  if (r.deltaM) {
    const fold = (u: RepeatedSummary['units'][number]) => (u.fold ? `${u.fold.index + 1} of ${u.fold.of}` : '—');
    lines.push('Δm of each repeat: the shared model against the single-task models of the same seed and fold (a paired difference).', '');
    lines.push(table(['Repeat', 'Seed', 'Fold', 'Δm', 'Training time'],
      r.units.map((u) => [String(u.index + 1), String(u.seed), fold(u), u.deltaM === undefined ? '—' : formatPercent(u.deltaM), `${u.trainSeconds.toFixed(1)} s`])), '');
    // Our own digits and signs: nothing to escape (a leading "+" is not at the start of a line).
    lines.push(`**Δm = ${formatInterval(r.deltaM)}: ${SHARING_VERDICT_TEXT[r.deltaM.verdict]}.**`, '');
  } else {
    lines.push('No single-task baselines were trained, so the repeats say nothing about sharing.', '');
  }
  return lines;
}
