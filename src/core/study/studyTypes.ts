// A study (`*.mtl-study.json`): variants of one experiment trained under the same repeats, so
// that "which sharing works" is answered with intervals, not single numbers. This file is the
// contract between the study runner (src/trainer/study/), which writes `study.json`, and
// everything that reads it (the study view, study-report.md, the Runs view, `mts study`).
import type { ExperimentSpec, WeightingSpec } from '../spec';
import type { IntervalSummary, Verdict } from '../stats/interval';
import type { MetricIntervals, TaskMetrics } from '../stats/repeated';

/** Sharing architectures a study can try in place of the designed trunk. */
export type StudyArchitecture = 'crossStitch' | 'mmoe' | 'ple';

/** The `*.mtl-study.json` document. */
export interface StudySpec {
  $schema?: string;
  name: string;
  description?: string;
  /** The experiment the variants are made from, relative to the study file. */
  experiment: string;
  /** Seeds per variant (default 3). Every variant runs on the same seeds and folds. */
  repeats?: number;
  /** k-fold cross-validation in place of the experiment's fixed split (same meaning as evaluation.crossValidation). */
  crossValidation?: { folds: number; test?: 'fixed' | 'nested' };
  variants: {
    /** One model per task, nothing shared (default true). */
    singleTask?: boolean;
    /** The experiment as designed (default true). */
    asDesigned?: boolean;
    /** Hard sharing split after each trunk depth (true: every depth), or the depths listed. */
    branchDepths?: boolean | number[];
    /** Each weighting method to try on the designed network. */
    weighting?: WeightingSpec[];
    /** Each sharing architecture to try in place of the trunk. */
    architectures?: StudyArchitecture[];
    /** Each grouping of the tasks to try: one trunk per group (core/taskGrouping.ts; "Try this grouping" of task affinity). */
    groupings?: string[][][];
  };
}

export type StudyVariantKind = 'single-task' | 'as-designed' | 'branch' | 'weighting' | 'architecture' | 'grouping';

export interface StudyVariant {
  /** Stable, file-name safe: "single-task", "as-designed", "branch-1", "weighting-pcgrad", "arch-mmoe", "grouping-digit-parity_big". */
  id: string;
  /** As tables print it: "Split after trunk1 (depth 1)", "PCGrad (parameters)". */
  label: string;
  kind: StudyVariantKind;
  /** The experiment this variant trains ("Use this variant" writes it back); absent for single-task. */
  spec?: ExperimentSpec;
}

export type StudyRunStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

/** One variant trained on one seed (and fold). */
export interface StudyRunRecord {
  variant: string;
  repeat: number;
  seed: number;
  fold?: { index: number; of: number };
  /** Run folder, relative to the study folder ("<variant>-r<repeat>", with folds "<variant>-r<repeat>-f<fold>"). */
  runDir: string;
  status: StudyRunStatus;
  test?: TaskMetrics;
  /** Against the single-task models of the same seed and fold (positive = better than single-task). */
  deltaM?: number;
  parameters?: number;
  trainSeconds?: number;
  /** Rows the run trained and tested on: over folds their ratio widens the interval (core/stats/correctedResampledT.ts). */
  rows?: { train: number; test: number };
  error?: string;
}

export interface StudyVariantResult {
  variant: StudyVariant;
  runs: StudyRunRecord[];
  test: MetricIntervals;
  deltaM?: IntervalSummary & { verdict: Verdict };
  parameters?: number;
  trainSeconds?: IntervalSummary;
}

/** `study.json` in the study folder, rewritten (atomically) after every run. */
export interface StudyResult {
  name: string;
  /**
   * The study file relative to the study folder ("../../../digits.mtl-study.json"), so that the
   * folder keeps finding it when the workspace moves; folders written before hold an absolute path.
   */
  studyFile: string;
  /** The experiment as the study file names it (relative to the study file). */
  experiment: string;
  status: StudyRunStatus;
  startedAt: string;
  endedAt?: string;
  /** How the intervals were computed: INTERVAL_METHOD of core/stats/interval.ts, or over folds resampledMethod (correctedResampledT.ts). */
  method: string;
  repeats: number;
  crossValidation?: { folds: number; test?: 'fixed' | 'nested' };
  variants: StudyVariantResult[];
}

/** Files of a study folder: `runs/<experiment>/study-<YYYYMMDD-HHMMSS>-<id>/`. */
export const STUDY_FILES = {
  result: 'study.json',
  report: 'study-report.md',
  spec: 'study.mtl-study.json',
} as const;

export const STUDY_FOLDER_PREFIX = 'study-';
