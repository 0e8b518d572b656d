// From the records of a repeated run (one per seed and fold) to what summary.json says about
// them: each task metric's mean, sd and 95 % interval for the shared model and the baselines,
// and the interval of the per-repeat Δm with the verdict it allows (interval.ts). Over folds the
// interval is the corrected resampled t (correctedResampledT.ts): folds share training rows.
import { intervalOver, resampledMethod, resamplingOf, type Resampling } from './correctedResampledT';
import { INTERVAL_METHOD, verdictOf } from './interval';
import type { MetricIntervals, RepeatRecord, RepeatedSummary, TaskMetrics } from './repeated';

/** Per task and metric, the interval of the values the records hold (a metric missing from a record is left out of its interval). */
export function metricIntervals(records: readonly TaskMetrics[], resampling?: Resampling): MetricIntervals {
  const out: MetricIntervals = {};
  for (const record of records) {
    for (const [task, metrics] of Object.entries(record)) {
      for (const metric of Object.keys(metrics)) {
        const byTask = (out[task] ??= {});
        if (byTask[metric]) continue;
        byTask[metric] = intervalOver(records.map((r) => r[task]?.[metric] ?? Number.NaN), resampling);
      }
    }
  }
  return out;
}

/** Δm's interval is over the records' own Δm (a paired difference per seed and fold), never Δm of the means. */
export function summarizeRepeats(units: readonly RepeatRecord[]): RepeatedSummary {
  const resampling = resamplingOf(units);
  const summary: RepeatedSummary = {
    method: resampling ? resampledMethod(resampling) : INTERVAL_METHOD,
    units: [...units], test: metricIntervals(units.map((u) => u.test), resampling),
  };
  const withBaselines = units.filter((u) => u.baselines);
  if (withBaselines.length) summary.baselines = metricIntervals(withBaselines.map((u) => u.baselines!), resampling);
  const deltas = units.flatMap((u) => (u.deltaM === undefined ? [] : [u.deltaM]));
  if (deltas.length) {
    const d = intervalOver(deltas, resampling);
    summary.deltaM = { ...d, verdict: verdictOf(d) };
  }
  return summary;
}
