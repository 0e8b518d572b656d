// A run repeated over seeds and/or cross-validation folds (`evaluation.repeats`,
// `evaluation.crossValidation`): what each repeat measured and what the repeats say together.
// Written into summary.json as `repeated`; a study reads the same records.
import type { IntervalSummary, Verdict } from './interval';

/** Metric values by task, then metric name (a model's test results). */
export type TaskMetrics = Record<string, Record<string, number>>;

/** One repeat: its seed, and with cross-validation the fold held out for validation/test. */
export interface RepeatUnit {
  index: number;
  seed: number;
  fold?: { index: number; of: number };
}

export interface RepeatRecord extends RepeatUnit {
  /** Test metrics of the shared model in this repeat. */
  test: TaskMetrics;
  /** Test metrics of the single-task baselines trained on the same seed and fold. */
  baselines?: TaskMetrics;
  /** Δm of this repeat (shared vs its own baselines: a paired difference). */
  deltaM?: number;
  trainSeconds: number;
  /** Rows trained on and tested on: their ratio corrects the interval over folds (correctedResampledT.ts). */
  rows?: { train: number; test: number };
}

/** Per task and metric: the repeats' mean, sd and 95 % interval. */
export type MetricIntervals = Record<string, Record<string, IntervalSummary>>;

export interface RepeatedSummary {
  /** How the intervals were computed (INTERVAL_METHOD of interval.ts, or resampledMethod over folds). */
  method: string;
  units: RepeatRecord[];
  test: MetricIntervals;
  baselines?: MetricIntervals;
  /** Interval of the per-repeat Δm, and what it lets the report say. */
  deltaM?: IntervalSummary & { verdict: Verdict };
}
