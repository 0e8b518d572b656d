// What a chart's curves say, in words, for a screen reader (the canvas's description): each
// curve's newest value and its step, and its best so far where the chart has a better
// direction (a loss: lower), else the range it spans. Not a live region: it is read when the
// user comes to the chart, so a new point changes the text without announcing it. Pure: no DOM.
import { formatMetric } from '../../src/core/runsIndex';

export interface SummarySeries { label: string; x: readonly number[]; y: readonly number[] }

function curveText(s: SummarySeries, better: 'lower' | 'higher' | undefined): string {
  let last = -1, best = -1, min = Infinity, max = -Infinity;
  for (let i = 0; i < s.y.length; i++) {
    const v = s.y[i]!;
    if (!Number.isFinite(v)) continue;
    last = i;
    min = Math.min(min, v);
    max = Math.max(max, v);
    // The first step that reached the best value.
    if (best < 0 || (better === 'lower' ? v < s.y[best]! : v > s.y[best]!)) best = i;
  }
  if (last < 0) return `${s.label}: no value yet`;
  const latest = `${s.label}: ${formatMetric(s.y[last]!)} at step ${s.x[last]}`;
  if (!better) return min === max ? latest : `${latest}, from ${formatMetric(min)} to ${formatMetric(max)}`;
  return best === last ? `${latest}, its best so far` : `${latest}, best ${formatMetric(s.y[best]!)} at step ${s.x[best]}`;
}

/** One sentence per curve, joined by "; ". */
export function chartSummary(series: readonly SummarySeries[], better?: 'lower' | 'higher'): string {
  return series.map((s) => curveText(s, better)).join('; ');
}
