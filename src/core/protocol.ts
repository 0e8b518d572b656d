// Typed messages between the host and the trainer child process (IPC), and between the
// host and the webview (postMessage). Discriminated unions: switch on `type`.
import type { ConflictSummary } from './conflict';
import type { TaskAffinitySummary } from './taskAffinity';
import type { UnitReliance } from './explain';
import type { DataSummaryResult } from './dataSummary';
import type { TrainingPhase } from './phase';
import type { RepeatPosition } from './repeats';
import type { DeltaMConvention, Problem } from './spec';
import type { RobustnessRecord } from './robustness';
import type { RepeatedSummary } from './stats/repeated';
import type { StudyResult } from './study/studyTypes';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

/**
 * The `task` of a MetricPoint that belongs to no task but to the whole model (the total loss,
 * the learning rate). Written as is into metrics.jsonl, so its value never changes. Not a
 * phase: the shared model's phase has its own key (phase.ts).
 */
export const WHOLE_MODEL = '*';

/** One logged value: step is the global optimizer step, epoch is 1-based. */
export interface MetricPoint {
  step: number;
  epoch: number;
  split: 'train' | 'validation' | 'test';
  /** Task id, or WHOLE_MODEL for values of the whole model (total loss, learning rate). */
  task: string;
  metric: string;
  value: number;
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface BaselineComparison {
  task: string;
  metric: string;
  higherIsBetter: boolean;
  shared: number;
  baseline: number;
  /** Signed relative improvement of shared over baseline (positive = sharing helped). */
  relativeImprovement: number;
}

/** A task-metric pair measured on both models but left out of Δm, and why. */
export interface DeltaMExclusion { task: string; metric: string; reason: string }

export interface SplitCounts { train: number; validation: number; test: number }

export interface RunSummary {
  runDir: string;
  status: RunStatus;
  backend: BackendName;
  /** Final test metrics of the shared model: task -> metric -> value. */
  test: Record<string, Record<string, number>>;
  /** With early stopping: the shared model was tested and saved with the weights of bestEpoch (best validation loss). */
  earlyStopping?: { bestEpoch: number; epochsRun: number };
  parameters: { total: number; shared: number; perTask: Record<string, number>; singleTaskTotal: number };
  baselines?: {
    test: Record<string, Record<string, number>>; comparisons: BaselineComparison[]; deltaM: number; parameters: number;
    /** How deltaM averages (absent in runs written before it was a choice: 'pairs'). */
    convention?: DeltaMConvention;
    /** Pairs left out of deltaM (a baseline of 0, a non-finite value). */
    excluded?: DeltaMExclusion[];
  };
  timings: { startedAt: string; endedAt: string; trainSeconds: number };
  /** Rows per split, and those with each task's target (partial labels: a task's metrics count only these). */
  labelled?: { rows: SplitCounts; tasks: Record<string, SplitCounts> };
  /** Gated sharing blocks (mmoe, ple): each task's mean gate weight per expert on the test rows. */
  gates?: GateMeans[];
  /** evaluation.robustness: every task's metrics under each attack, for the shared model and each baseline. */
  robustness?: RobustnessRecord[];
  /**
   * With evaluation.repeats or crossValidation: every repeat's test metrics and Δm, their intervals
   * and the verdict. `test` and `baselines` above are then the first repeat's (the saved model's).
   */
  repeated?: RepeatedSummary;
  /** Gradient conflict between the tasks during the shared model's training (core/conflict.ts). */
  conflict?: ConflictSummary;
  /** Inter-task affinity during the shared model's training (core/taskAffinity.ts). */
  taskAffinity?: TaskAffinitySummary;
  /** Each task's reliance on each unit of the shared dense layers, on a sample of the test split (drawn on the diagram). */
  unitReliance?: UnitReliance[];
}

/** Mean gate weights of one gated block: weights[column][expert], each row summing to 1. */
export interface GateMeans {
  layer: string;
  /** Per column: the task that reads it (core/blockLayers columnOwners), or "column i". */
  columns: string[];
  experts: string[];
  weights: number[][];
  /** Test rows averaged over. */
  rows: number;
}

/**
 * Host -> trainer. `workspaceDir` is the folder relative data paths start from (the experiment
 * file's folder); `allowedRoots` the folders data may be read from (the experiment's workspace
 * folder and multiTaskStudio.allowedDataFolders), default workspaceDir alone.
 */
export type ToTrainer =
  /** `doc` is the parsed document; the trainer validates it again (it may come from anywhere). */
  | { type: 'start'; doc: unknown; specPath: string; workspaceDir: string; runsDir: string;
      backend: BackendPreference; epochs?: number; threads?: number; allowedRoots?: string[];
      /** The user's memory budget in bytes (multiTaskStudio.maxMemory); default half the machine's memory. */
      maxMemory?: number }
  | { type: 'cancel' }
  /** Load a backend and report it (the "Show environment" command), then exit. */
  | { type: 'info'; backend: BackendPreference; threads?: number }
  /** Load the data of `doc` as a run would and summarize it (no TensorFlow), then exit. */
  | { type: 'dataSummary'; doc: unknown; workspaceDir: string; allowedRoots?: string[]; maxMemory?: number }
  /**
   * Run (or resume) a study (core/study/studyTypes.ts): `doc` is the parsed study file, `experimentDoc`
   * the parsed experiment it names. `resumeDir`: a study folder whose finished runs are kept.
   */
  | { type: 'study'; doc: unknown; studyPath: string; experimentDoc: unknown; experimentPath: string; workspaceDir: string;
      runsDir: string; resumeDir?: string; backend: BackendPreference; threads?: number; allowedRoots?: string[]; maxMemory?: number };

/** Trainer -> host. */
export type FromTrainer =
  /** A phase starts; `repeat` places it in a repeated run (evaluation.repeats, crossValidation). */
  | { type: 'started'; runDir: string; backend: BackendName; versions: Record<string, string>; totalEpochs: number; phase: TrainingPhase; repeat?: RepeatPosition }
  | { type: 'progress'; phase: TrainingPhase; points: MetricPoint[] }
  | { type: 'epochEnd'; phase: TrainingPhase; epoch: number; totalEpochs: number; values: MetricPoint[] }
  | { type: 'log'; level: 'info' | 'warning'; message: string }
  | { type: 'problems'; problems: Problem[] }
  | { type: 'error'; message: string; detail?: string; /** The spec field the failure is traced to; the message already names it. */ path?: (string | number)[] }
  | { type: 'done'; summary: RunSummary }
  | { type: 'info'; backend: BackendName; lines: string[] }
  | { type: 'dataSummary'; result: DataSummaryResult }
  /** A study's state after each of its runs starts or ends (and once when it starts). The run's own messages come between. */
  | { type: 'studyProgress'; studyDir: string; result: StudyResult };
