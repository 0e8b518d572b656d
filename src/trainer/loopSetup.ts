// What the training loop is given and what a step is: shared by the loop and the steps it
// picks (gradientStep.ts, native/denseStep.ts) without their importing the loop back.
import type * as TF from '@tensorflow/tfjs';
import type { TrainingPhase } from '../core/phase';
import type { BackendName, MetricPoint } from '../core/protocol';
import type { ExperimentSpec } from '../core/spec';
import type { WeightingMethod } from '../core/weighting/method';
import type { Tf } from './backend';
import type { DeviceSplit } from './deviceData';
import type { TaskHead } from './heads';
import type { BatchMask } from './labelMask';
import type { BuiltModel } from './model/build';
import type { ForwardFn } from './model/forward';

export interface LoopEvents {
  /** Train-loss points, a few per epoch (batched: one call per report). */
  progress(points: MetricPoint[]): void;
  /** Values measured at the end of an epoch: validation (and train-subset) loss and metrics, task weights. */
  epochEnd(epoch: number, points: MetricPoint[]): void;
  /** Polled between steps. */
  cancelled(): boolean;
  /** Once, when the first training step has run (the run's start-up line, startupTimes.ts). */
  firstStep?(): void;
}

export interface LoopSetup {
  tf: Tf;
  backend: BackendName;
  spec: ExperimentSpec;
  built: BuiltModel;
  forward: ForwardFn;
  heads: TaskHead[];
  /** Topological order of the model's nodes. */
  topo: string[];
  train: DeviceSplit;
  validation: DeviceSplit;
  epochs: number;
  phase: TrainingPhase;
  events: LoopEvents;
  /** A weighting method outside the registry (tests); by default the spec's. */
  method?: WeightingMethod;
  /**
   * false: the eager compiled step (native/denseStep.ts) runs where the fused graph step
   * (graph/graphStep.ts) would, so tests and the bench can compare the two. Default true.
   */
  fusedGraph?: boolean;
  /**
   * The steps the run takes with this loop's step, where more than this loop's (a bench reusing
   * one graph over many short loops); by default epochs x steps an epoch (graph/gradDropJit.ts reads it).
   */
  plannedSteps?: number;
  /**
   * TensorFlow loaded for a step in halves (backend.ts `stepHalves`): the fused graph step splits
   * each batch in two where its graph can (graph/graphStep.ts).
   */
  stepHalves?: boolean;
}

/**
 * Each head's output by task id in a step's training forward (before its update), for the
 * running train metrics (trainMetrics.ts); called once a step, inside the step's scope: the
 * callee keeps what it needs.
 */
export type StepOutputs = (outputs: ReadonlyMap<string, TF.Tensor>) => void;

/** One step; `masks` holds the tasks with unlabelled rows in the training split; `seen` is handed the step's outputs. */
export type StepFn = (xb: ReadonlyMap<string, TF.Tensor>, yb: ReadonlyMap<string, TF.Tensor>, lr: number,
  masks: ReadonlyMap<string, BatchMask>, seen?: StepOutputs) => TF.Tensor[];
