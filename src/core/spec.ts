// The experiment document (`*.mtl.json`): one JSON file is the whole experiment.
// These types are the contract between the designer, the host and the trainer.
// Sharing is never declared: it follows from the graph (see graph.ts).
import type { EditOp } from './editOps';
import type { TaskKind } from './taskKind';
import type { ConflictSpec } from './conflict';
import type { ExplainSpec } from './explain';
import type { TaskAffinitySpec } from './taskAffinity';
import type { RobustnessSpec } from './robustness';
import type { WeightingSpec } from './weighting/registry';

export type Activation =
  | 'linear' | 'relu' | 'elu' | 'selu' | 'gelu' | 'sigmoid' | 'tanh'
  | 'softmax' | 'softplus' | 'softsign' | 'swish';

export interface LayerBase {
  /** Unique among inputs and layers; referenced by `from`, `outputs` and `layout`. */
  id: string;
  /** Ids of the inputs or layers that feed this layer, in order. */
  from: string[];
  /** Optional human label shown in the designer. */
  label?: string;
}

export interface DenseLayer extends LayerBase { type: 'dense'; units: number; activation?: Activation; useBias?: boolean; l2?: number }
export interface Conv2dLayer extends LayerBase {
  type: 'conv2d'; filters: number; kernelSize: number | [number, number];
  strides?: number | [number, number]; padding?: 'valid' | 'same'; activation?: Activation; useBias?: boolean; l2?: number;
}
export interface Pool2dLayer extends LayerBase {
  type: 'maxPooling2d' | 'averagePooling2d'; poolSize?: number | [number, number];
  strides?: number | [number, number]; padding?: 'valid' | 'same';
}
export interface FlattenLayer extends LayerBase { type: 'flatten' }
export interface ReshapeLayer extends LayerBase { type: 'reshape'; targetShape: number[] }
export interface DropoutLayer extends LayerBase { type: 'dropout'; rate: number }
export interface BatchNormLayer extends LayerBase { type: 'batchNormalization'; momentum?: number; epsilon?: number }
export interface RecurrentLayer extends LayerBase { type: 'lstm' | 'gru'; units: number; returnSequences?: boolean; activation?: Activation }
export interface EmbeddingLayer extends LayerBase { type: 'embedding'; inputDim: number; outputDim: number }
export interface ConcatenateLayer extends LayerBase { type: 'concatenate'; axis?: number }
export interface AddLayer extends LayerBase { type: 'add' }

// Sharing blocks (see blockLayers.ts): each holds one column per task and passes the columns
// on stacked as [columns, ...features]; a `select` layer hands one column to a task's head.
/**
 * One dense layer per column, side by side: [d] (read by every column) or [columns, d] ->
 * [columns, units]. `tieL2` ties the columns' kernels by an L2 penalty on their pairwise
 * differences (soft parameter sharing, Duong et al. 2015); 0 leaves them independent.
 */
export interface ParallelDenseLayer extends LayerBase { type: 'parallelDense'; columns: number; units: number; activation?: Activation; useBias?: boolean; tieL2?: number }
/** Cross-stitch unit (Misra et al. 2016): [n, ...] -> [n, ...], column i = sum_j alpha_ij column j, alpha learned. */
export interface CrossStitchLayer extends LayerBase { type: 'crossStitch'; /** Initial alpha_ii (default 0.9); the rest of each row shares 1 - selfWeight. */ selfWeight?: number }
/** Multi-gate mixture of experts (Ma et al. 2018): [d] -> [tasks, units]; experts shared, one softmax gate per task. */
export interface MmoeLayer extends LayerBase { type: 'mmoe'; experts: number; units: number; tasks: number; activation?: Activation }
/**
 * Progressive layered extraction (Tang et al. 2020): [d] -> [tasks, units]. Each level has
 * shared experts and each task's own experts, a softmax gate per task over its own and the
 * shared experts, and (below the top level) a shared gate over all experts. One level is CGC.
 */
export interface PleLayer extends LayerBase { type: 'ple'; sharedExperts: number; taskExperts: number; units: number; tasks: number; levels?: number; activation?: Activation }
/** Column `index` of a block's output [columns, ...features] -> [...features]. */
export interface SelectLayer extends LayerBase { type: 'select'; index: number }

export type LayerSpec =
  | DenseLayer | Conv2dLayer | Pool2dLayer | FlattenLayer | ReshapeLayer | DropoutLayer
  | BatchNormLayer | RecurrentLayer | EmbeddingLayer | ConcatenateLayer | AddLayer
  | ParallelDenseLayer | CrossStitchLayer | MmoeLayer | PleLayer | SelectLayer;
export type LayerType = LayerSpec['type'];

export interface InputSpec {
  id: string;
  /** Shape of one example, without the batch dimension: [784], [28, 28, 1], [20] ... */
  shape: number[];
  /** Which data columns/fields feed this input; default: all features of the data source. */
  features?: string[];
  dtype?: 'float32' | 'int32';
}

export interface ModelSpec {
  inputs: InputSpec[];
  layers: LayerSpec[];
  /** task id -> id of the layer whose output is that task's prediction. */
  outputs: Record<string, string>;
}

export type { TaskKind } from './taskKind';
export type LossName =
  | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'binaryCrossentropy'
  | 'meanSquaredError' | 'meanAbsoluteError' | 'huber';
export type MetricName = 'accuracy' | 'macroF1' | 'rocAuc' | 'mae' | 'rmse' | 'r2';

export interface TaskSpec {
  id: string;
  kind: TaskKind;
  /** Name of the target column/field in the data source. */
  target: string;
  /** Number of classes for multiclass tasks (binary tasks have 2). */
  classes?: number;
  /** Default by kind: multiclass categoricalCrossentropy, binary binaryCrossentropy, regression meanSquaredError. */
  loss?: LossName;
  /** Static loss weight (used by weighting method "static"); default 1. */
  weight?: number;
  /** Default by kind: classification accuracy (+ macroF1 / rocAuc), regression mae, rmse, r2. */
  metrics?: MetricName[];
}

export type DataSource =
  | { type: 'mnist'; limit?: number }
  | { type: 'multimnist'; samples?: number; seed?: number }
  | { type: 'synthetic-correlated'; samples?: number; correlation: number; inputDim?: number; seed?: number }
  /** Noisy sinusoids of `steps` values ([steps, 1] per example): targets `frequency` (class) and `amplitude`. */
  | { type: 'synthetic-sequence'; samples?: number; steps?: number; classes?: number; noise?: number; seed?: number }
  | { type: 'csv' | 'jsonl'; path: string; features?: string[]; categorical?: string[]; missing?: 'drop' | 'impute';
      /** Text encoding of the file; default UTF-8, checked. */
      encoding?: TextEncoding;
      /** Cells read as missing besides an empty cell; replaces the default markers (NA, N/A, n/a, NaN, nan, null, NULL, None, -, ?). */
      missingValues?: string[];
      /** How a column is read: 'numeric' reads its text cells as missing; 'categorical' one-hot encodes it. */
      columnTypes?: Record<string, ColumnType> }
  /** An Apache Parquet file, read into the same table as a CSV (categorical and missing values alike). */
  | { type: 'parquet'; path: string; features?: string[]; categorical?: string[]; missing?: 'drop' | 'impute'; missingValues?: string[]; columnTypes?: Record<string, ColumnType> }
  /**
   * A folder with one subfolder per class of PNG/JPEG images; the class (the subfolder's name,
   * classes sorted by name) is the target `label`. Images are resized to `size` (default: the
   * model input's [height, width, channels]); `pixels` "unit" scales them to [0, 1] (default),
   * "byte" keeps 0..255.
   */
  | { type: 'imageFolder'; path: string; size?: [number, number]; channels?: 1 | 3 | 4; pixels?: 'unit' | 'byte' }
  /**
   * NumPy arrays. A .npz archive: `features` and the values of `targets` name arrays in it. A .npy
   * file (the features): the values of `targets` are paths of .npy files. Targets map a target
   * name (what tasks use as `target`) to its array.
   */
  | { type: 'numpy'; path: string; features?: string; targets: Record<string, string> };

/** Encodings a data file may declare (WHATWG labels; 'latin1' is read as windows-1252, its superset). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252' | 'iso-8859-15';
export type ColumnType = 'numeric' | 'categorical';

export type PreprocessOp =
  | { op: 'scale'; factor: number; columns?: string[] }
  | { op: 'zscore'; columns?: string[] }
  | { op: 'minmax'; columns?: string[] };

export interface SplitSpec { validation: number; test: number; seed: number; stratifyBy?: string }

export interface DataSpec { source: DataSource; preprocess?: PreprocessOp[]; split: SplitSpec }

export type OptimizerSpec =
  | { type: 'sgd'; learningRate: number; momentum?: number; nesterov?: boolean }
  | { type: 'adam'; learningRate: number; beta1?: number; beta2?: number; epsilon?: number }
  | { type: 'rmsprop'; learningRate: number; decay?: number; momentum?: number; epsilon?: number }
  | { type: 'adagrad'; learningRate: number; initialAccumulatorValue?: number };

export type ScheduleSpec =
  | { type: 'constant'; warmupEpochs?: number }
  | { type: 'step'; stepEpochs: number; gamma: number; warmupEpochs?: number }
  | { type: 'exponential'; gamma: number; warmupEpochs?: number }
  | { type: 'cosine'; minLearningRate?: number; warmupEpochs?: number }
  /** SGDR (Loshchilov & Hutter 2017): cosine with warm restarts, first period t0 epochs, each next period tMult times longer. */
  | { type: 'sgdr'; t0: number; tMult?: number; minLearningRate?: number; warmupEpochs?: number };

export type { WeightingSpec } from './weighting/registry';

export interface TrainingSpec {
  optimizer: OptimizerSpec;
  schedule?: ScheduleSpec;
  epochs: number;
  batchSize: number;
  seed: number;
  weighting?: WeightingSpec;
  /** Global L2 added to every kernel that has none of its own. */
  l2?: number;
  /** Clip the global gradient norm to this value. */
  clipNorm?: number;
  earlyStopping?: { patience: number; monitor?: 'loss' };
}

/** How Δm averages the relative changes (core/deltaM.ts): over task-metric pairs, or over tasks. */
export type DeltaMConvention = 'pairs' | 'tasks';

/**
 * k-fold cross-validation, stratified by the split's class column (data.split.stratifyBy, else the
 * first classification task). "fixed": the test split stays and the folds rotate the validation
 * part of the rest; "nested": each fold is the test split in turn (default "fixed").
 */
export interface CrossValidationSpec {
  folds: number;
  test?: 'fixed' | 'nested';
  /** Train this fold alone (1 = the first): a study trains each fold as a run folder of its own. */
  fold?: number;
}

export type TrainMetricsMode = 'running' | 'epochEnd';
export const DEFAULT_TRAIN_METRICS: TrainMetricsMode = 'running';

export interface EvaluationSpec {
  baselines?: 'single-task' | 'none';
  deltaM?: DeltaMConvention;
  /**
   * How the train metrics are measured: "running", over every training row of the epoch as its
   * step saw it (the Keras, LibMTL and PyTorch-loop convention; default); "epochEnd", the model
   * at the epoch's end on the first TRAIN_EVAL_LIMIT training rows, evaluated again.
   */
  trainMetrics?: TrainMetricsMode;
  /** Trainings with seeds training.seed, +1, +2, … (default 1); every phase repeats on the same seeds. */
  repeats?: number;
  crossValidation?: CrossValidationSpec;
  /** Adversarial robustness after training (core/robustness.ts). */
  robustness?: RobustnessSpec;
  /** Attributions of the shared model after training (core/explain.ts). */
  explain?: ExplainSpec;
  /** Gradient conflict between tasks on the shared layers during training (core/conflict.ts); on by default. */
  conflict?: ConflictSpec;
  /** Inter-task affinity by lookahead during training and the best task groupings (core/taskAffinity.ts). */
  taskAffinity?: TaskAffinitySpec;
}

export interface LayoutEntry { x: number; y: number }

export interface ExperimentSpec {
  name: string;
  description?: string;
  data: DataSpec;
  tasks: TaskSpec[];
  model: ModelSpec;
  training: TrainingSpec;
  evaluation?: EvaluationSpec;
  /** Designer node positions by node id; view state only, never affects training. */
  layout?: Record<string, LayoutEntry>;
}

/** A problem in user input: where (JSON path into the document) and what to do about it. */
export interface Problem {
  path: (string | number)[];
  message: string;
  severity: 'error' | 'warning';
  /** A change that resolves it, offered as a quick fix (designer button, Problems panel code action). */
  fix?: ProblemFix;
}

/** One undoable edit of the document: `label` names it ("Set shape to [13]"). */
export interface ProblemFix { label: string; ops: EditOp[] }
