// What a study's runs say together (pure): per variant, the 95 % interval of each test metric
// over its repeats and of its per-repeat Δm, with the verdict drawn from that interval
// (core/stats/interval.ts). Δm of a run is paired: against the single-task models trained on the
// same seed (and fold), never against an average of other seeds' baselines. Over folds the
// interval is the corrected resampled t (core/stats/correctedResampledT.ts): folds share rows.
import { computeDeltaM, DEFAULT_DELTA_M } from '../deltaM';
import type { DeltaMConvention } from '../spec';
import { intervalOver, resampledMethod, resamplingOf, type Resampling } from '../stats/correctedResampledT';
import { INTERVAL_METHOD, summarize, verdictOf } from '../stats/interval';
import type { MetricIntervals, TaskMetrics } from '../stats/repeated';
import type { StudyResult, StudyRunRecord, StudyRunStatus, StudySpec, StudyVariant, StudyVariantResult } from './studyTypes';

/** Δm of one run's test metrics against the single-task metrics of its seed; the loss is left out (its scale differs by kind of task), as in a single run. */
export function pairedDeltaM(test: TaskMetrics, singleTask: TaskMetrics, convention: DeltaMConvention = DEFAULT_DELTA_M): number | undefined {
  const d = computeDeltaM(test, singleTask, (_task, metric) => metric !== 'loss', convention);
  return d.comparisons.length ? d.deltaM : undefined;
}

/** Intervals of every task metric over the completed runs (corrected resampled t when they are folds). */
export function metricIntervals(runs: readonly StudyRunRecord[], resampling?: Resampling): MetricIntervals {
  const values = new Map<string, Map<string, number[]>>();
  for (const r of runs) {
    if (r.status !== 'completed' || !r.test) continue;
    for (const [task, metrics] of Object.entries(r.test)) {
      const byMetric = values.get(task) ?? new Map<string, number[]>();
      values.set(task, byMetric);
      for (const [metric, v] of Object.entries(metrics)) byMetric.set(metric, [...(byMetric.get(metric) ?? []), v]);
    }
  }
  return Object.fromEntries([...values].map(([task, m]) => [task, Object.fromEntries([...m].map(([metric, vs]) => [metric, intervalOver(vs, resampling)]))]));
}

export function variantResult(variant: StudyVariant, runs: StudyRunRecord[]): StudyVariantResult {
  const done = runs.filter((r) => r.status === 'completed');
  const deltas = done.map((r) => r.deltaM).filter((d): d is number => d !== undefined);
  const seconds = done.map((r) => r.trainSeconds).filter((s): s is number => s !== undefined);
  // Paired units: one Δm per seed and fold; over folds the interval is corrected for their overlap.
  const resampling = resamplingOf(done);
  const deltaM = intervalOver(deltas, resampling);
  const parameters = done.find((r) => r.parameters !== undefined)?.parameters;
  return {
    variant, runs, test: metricIntervals(runs, resampling),
    ...(deltas.length ? { deltaM: { ...deltaM, verdict: verdictOf(deltaM) } } : {}),
    ...(parameters !== undefined ? { parameters } : {}),
    ...(seconds.length ? { trainSeconds: summarize(seconds) } : {}),
  };
}

/** The study's status from its runs': running while any is pending or running (unless stopped), failed if any failed. */
export function studyStatus(runs: readonly StudyRunRecord[], stopped?: 'cancelled'): StudyRunStatus {
  if (stopped) return stopped;
  if (runs.some((r) => r.status === 'pending' || r.status === 'running')) return 'running';
  if (runs.some((r) => r.status === 'failed' || r.status === 'cancelled')) return 'failed';
  return 'completed';
}

export interface StudyState {
  study: StudySpec;
  studyFile: string;
  experiment: string;
  startedAt: string;
  endedAt?: string;
  variants: StudyVariant[];
  runs: StudyRunRecord[];
  stopped?: 'cancelled';
}

/** study.json from the plan and its run records. */
export function studyResult(s: StudyState): StudyResult {
  const status = studyStatus(s.runs, s.stopped);
  const repeats = s.study.repeats ?? DEFAULT_STUDY_REPEATS;
  const cv = s.study.crossValidation;
  return {
    name: s.study.name, studyFile: s.studyFile, experiment: s.experiment, status, startedAt: s.startedAt,
    ...(s.endedAt && status !== 'running' ? { endedAt: s.endedAt } : {}),
    method: cv ? resampledMethod({ folds: cv.folds, seeds: repeats }) : INTERVAL_METHOD, repeats,
    ...(s.study.crossValidation ? { crossValidation: s.study.crossValidation } : {}),
    variants: s.variants.map((v) => variantResult(v, s.runs.filter((r) => r.variant === v.id))),
  };
}

export const DEFAULT_STUDY_REPEATS = 3;
