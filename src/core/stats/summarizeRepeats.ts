// From the records of a repeated run (one per seed and fold) to what summary.json says about
// them: each task metric's mean, sd and 95 % interval for the shared model and the baselines,
// and the interval of the per-repeat Δm with the verdict it allows (interval.ts).
import { INTERVAL_METHOD, summarize, verdictOf } from './interval';
import type { MetricIntervals, RepeatRecord, RepeatedSummary, TaskMetrics } from './repeated';

/** Per task and metric, the interval of the values the records hold (a metric missing from a record is left out of its interval). */
export function metricIntervals(records: readonly TaskMetrics[]): MetricIntervals {
  const out: MetricIntervals = {};
  for (const record of records) {
    for (const [task, metrics] of Object.entries(record)) {
      for (const metric of Object.keys(metrics)) {
        const byTask = (out[task] ??= {});
        if (byTask[metric]) continue;
        byTask[metric] = summarize(records.map((r) => r[task]?.[metric] ?? Number.NaN));
      }
    }
  }
  return out;
}

/** Δm's interval is over the records' own Δm (a paired difference per seed and fold), never Δm of the means. */
export function summarizeRepeats(units: readonly RepeatRecord[]): RepeatedSummary {
  const summary: RepeatedSummary = { method: INTERVAL_METHOD, units: [...units], test: metricIntervals(units.map((u) => u.test)) };
  const withBaselines = units.filter((u) => u.baselines);
  if (withBaselines.length) summary.baselines = metricIntervals(withBaselines.map((u) => u.baselines!));
  const deltas = units.flatMap((u) => (u.deltaM === undefined ? [] : [u.deltaM]));
  if (deltas.length) {
    const d = summarize(deltas);
    summary.deltaM = { ...d, verdict: verdictOf(d) };
  }
  return summary;
}
