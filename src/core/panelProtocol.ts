// Messages between the host and the training panel / shared-weight diagram webviews
// (postMessage). A webview that is hidden or reloading drops what it is sent, so the
// training panel is fed from a session stream: every event has a sequence number, the
// webview says `ready` whenever it (re)loads, and the host replays the whole stream.
// Each webview talks over one core/channel: notes both ways, and requests that get one reply.
import type { NoRequests, Side } from './channel';
import type { UnitReliance } from './explain';
import type { TrainingPhase } from './phase';
import type { FromTrainer, GateMeans, RunStatus } from './protocol';
import type { SharingDiagram } from './sharingBlocks';
import type { TaskAffinitySummary } from './taskAffinity';
import type { TaskKind, TrainMetricsMode } from './spec';

// ---------------------------------------------------------------- training panel

export interface PanelTask {
  id: string;
  kind: TaskKind;
  /** Evaluation metrics in the document's order; the first is the task's main metric. */
  metrics: string[];
}

/** What the panel knows before the trainer says anything. */
export interface SessionHeader {
  experiment: string;
  /** The *.mtl.json the run came from (undefined for a run folder without one). */
  specPath?: string;
  tasks: PanelTask[];
  /** Shared model first, then one single-task baseline per task when the experiment has them. */
  phases: TrainingPhase[];
  totalEpochs: number;
  weighting: string;
  /** How the train metrics were measured (evaluation.trainMetrics): the legend says it. Absent: not known. */
  trainMetrics?: TrainMetricsMode;
  /** True for a training this window runs (it can be stopped); false for a run read from its folder. */
  live: boolean;
  runDir?: string;
}

/** Final state of a session; 'invalid' = the trainer refused the document (problems event). */
export type SessionEndStatus = RunStatus | 'invalid';

export type SessionEvent =
  | { kind: 'header'; header: SessionHeader }
  | { kind: 'trainer'; msg: FromTrainer }
  | { kind: 'stopping' }
  | { kind: 'ended'; status: SessionEndStatus; message?: string };

export interface SequencedEvent { seq: number; event: SessionEvent }

export type TrainingToWebview =
  /** The whole stream so far: the webview resets to it. */
  | { type: 'replay'; events: SequencedEvent[] }
  /** One more event; the webview ignores sequence numbers it has already applied. */
  | { type: 'event'; item: SequencedEvent };

export type TrainingFromWebview =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'openReport' }
  | { type: 'revealRun' }
  | { type: 'showDiagram' }
  | { type: 'openExperiment' };

/** The training panel only sends notes: its one question (`ready`) is answered by the stream. */
export interface TrainingSides {
  host: Side<TrainingToWebview, NoRequests>;
  webview: Side<TrainingFromWebview, NoRequests>;
}

/** Saved by the training webview (setState) so a reloaded window can rebuild the panel from the run folder. */
export interface TrainingViewState { runDir?: string }

// ---------------------------------------------------------------- shared-weight diagram

export interface WeightTensorStats {
  /** Name in the weights manifest, e.g. trunk1/kernel. */
  name: string;
  shape: number[];
  count: number;
  l2: number;
  /** l2 / sqrt(count): comparable between layers of different sizes. */
  rms: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface LayerWeightStats {
  /** Layer name in model.json (the experiment's layer id). */
  layer: string;
  /** L2 norm of all the layer's weights together. */
  l2: number;
  count: number;
  weights: WeightTensorStats[];
}

export interface WeightsOverview {
  layers: LayerWeightStats[];
  /** Files the numbers came from, for the panel's caption. */
  source: string;
}

export interface Histogram {
  /** Bin i covers [min + i·width, min + (i+1)·width); the last bin includes max. */
  min: number;
  width: number;
  counts: number[];
}

export interface Heatmap {
  /** Cells, row-major; each the mean of the block of weights it stands for. */
  rows: number;
  cols: number;
  values: number[];
  /** The kernel as a matrix (conv kernels are flattened to [kh·kw·cin, filters]). */
  sourceRows: number;
  sourceCols: number;
  /** Largest |cell|: the colour scale is symmetric around 0 and reaches it. */
  maxAbs: number;
}

export interface WeightDetail {
  name: string;
  stats: WeightTensorStats;
  histogram: Histogram;
  /** Present for tensors with two or more dimensions. */
  heatmap?: Heatmap;
}

export interface DiagramSource {
  kind: 'design' | 'run';
  /** What the panel's caption says: the file name, or the experiment and run id. */
  label: string;
  runDir?: string;
  specPath?: string;
}

export type DiagramToWebview =
  | { type: 'diagram'; source: DiagramSource; diagram?: SharingDiagram; problem?: string;
      weights?: WeightsOverview; weightsProblem?: string;
      /** A run's mean gate weights per task per expert (summary.json), for gated sharing blocks. */
      gates?: GateMeans[];
      /** A run's reliance of each task on each shared unit (summary.json unitReliance), drawn on the shared layers. */
      reliance?: UnitReliance[];
      /** A run's task affinity matrix and best groupings (summary.json taskAffinity). */
      affinity?: TaskAffinitySummary }
  /** What "Try this grouping" did: the new experiment's file name, or why nothing was written. */
  | { type: 'groupingWritten'; file?: string; problem?: string };

export type DiagramFromWebview =
  | { type: 'ready' }
  | { type: 'openReport' }
  | { type: 'revealRun' }
  /** "Try this grouping": write the run's experiment with these groups of tasks as a new *.mtl.json (core/taskGrouping) and open it. */
  | { type: 'tryGrouping'; groups: string[][] };

/** Diagram -> host requests (core/channel). */
export interface DiagramRequests {
  /** The heatmap and histogram of one weight tensor of the run's saved model (kept in the host). */
  weightDetail: { params: { name: string }; reply: { detail: WeightDetail } | { problem: string } };
}

export interface DiagramSides {
  host: Side<DiagramToWebview, NoRequests>;
  webview: Side<DiagramFromWebview, DiagramRequests>;
}

export interface DiagramViewState { source?: DiagramSource; selected?: string }
