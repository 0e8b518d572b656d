// What a task-weighting method is, as data and as a rule. Each method is one file in this
// folder exporting a `WeightingMethod`; registry.ts lists them, and that one table drives
// the spec type, the JSON schema, the designer's picker, the compiled step's support and
// weight reporting. A method whose weights follow from numbers (losses, their history, the
// Gramian of the task gradients) is a pure `rule` here; the few that need tensors inside
// the gradient tape (learned variables, per-coordinate masks) say `engine: 'tensor'` and
// have their tensor part in src/trainer/weighting/tensor/.
import type { NumberSchema, StringSchema } from '../docSchema';
import type { TaskKind } from '../taskKind';

export type WeightingFamily = 'loss' | 'gradient';

export interface WeightingDescription<P extends Record<string, number | string> = Record<string, number | string>, I extends string = string> {
  /** The value of `training.weighting.method`. */
  id: I;
  /** Short name shown in the picker, e.g. "DWA". */
  title: string;
  /** One line: what the method does. */
  summary: string;
  /** The paper: authors, year, title, venue. */
  paper: string;
  /**
   * 'loss': the update follows the gradient of a weighted sum of the task losses.
   * 'gradient': the per-task gradients on the shared part are combined into one direction.
   */
  family: WeightingFamily;
  /** The method's own settings in `training.weighting`, with their defaults. */
  params: { [K in keyof P]: NumberSchema | StringSchema };
  defaults: P;
  /** What the method reads at each step (the trainer computes only what is asked for). */
  needs: {
    /** The batch's task losses, before the update. */
    losses?: boolean;
    /** The batch's task losses again after the update, on the same batch (FAMO). */
    lossesAfter?: boolean;
  };
  /** 'rule': `create` gives a pure rule; 'tensor': the trainer implements it on tensors. */
  engine: 'rule' | 'tensor';
  /**
   * Gradient family: the coefficients are loss weights (GradNorm), so each task's own layers
   * get its gradient times its coefficient too, as from the gradient of sum_i w_i L_i.
   * Otherwise a task's own layers get its gradient with weight 1 (LibMTL, TorchJD).
   */
  weightsOwnLayers?: boolean;
}

/** Every number a rule may read at one step. Task lists hold only the tasks in this step. */
export interface WeightingContext {
  /** Optimizer steps before this one (0 at the first step). */
  step: number;
  /** 1-based epoch. */
  epoch: number;
  /**
   * Indices (into the experiment's tasks) of the tasks taking part in this step: a task
   * without a labelled row in the batch (partial labels) is left out; weights are returned
   * for these tasks, in this order.
   */
  active: readonly number[];
  /** The active tasks' batch losses before the update (when `needs.losses`). */
  losses?: readonly number[];
  /**
   * Gradient family: the Gramian G[i][j] = <g_i, g_j> of the active tasks' gradients (on the
   * shared parameters, or on the shared representation: the trainer's mode).
   */
  gramian?: readonly (readonly number[])[];
  /** Mean training loss of every task (all tasks, experiment order) in each finished epoch, oldest first. */
  epochLosses: readonly (readonly number[])[];
  /** Uniform in [0, 1), seeded from the training seed: runs repeat. */
  random(): number;
}

export interface WeightingRule {
  /**
   * Loss family: the weight of each active task's loss. Gradient family: the coefficient of
   * each active task's gradient in the update direction (sum_i w_i g_i).
   */
  weights(ctx: WeightingContext): number[];
  /** Called after the update when `needs.lossesAfter`, with the same batch's losses again. */
  afterStep?(ctx: WeightingContext, lossesAfter: readonly number[]): void;
}

export interface TaskInfo { id: string; kind: TaskKind; /** Static weight from the task (default 1). */ weight: number }

export interface WeightingMethod<P extends Record<string, number | string> = Record<string, number | string>, I extends string = string> {
  description: WeightingDescription<P, I>;
  /** Rule engine only: the rule for one training phase (its state lives in the closure). */
  create?(params: P, tasks: readonly TaskInfo[]): WeightingRule;
}

/** Typed identity: keeps each method's parameter names and types for the spec type. */
export const defineMethod = <P extends Record<string, number | string>, I extends string>(m: WeightingMethod<P, I>): WeightingMethod<P, I> => m;

/** Gradient methods' common setting: where the task gradients are taken. */
export type GradientMode = 'parameters' | 'representation';
export const GRADIENT_MODES: readonly GradientMode[] = ['parameters', 'representation'];
