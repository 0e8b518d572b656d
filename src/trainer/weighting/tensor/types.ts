// What a tensor-engine weighting method implements (uncertainty, GradDrop), apart from the
// list of them (index.ts) so that each method's file and the list do not import each other.
import type * as TF from '@tensorflow/tfjs';
import type { TaskInfo, WeightingContext } from '../../../core/weighting/method';
import type { Tf } from '../../backend';

export interface TensorWeighting {
  variables: TF.Variable[];
  /** Loss family: the combined loss inside the tape, over the tasks in `active`. */
  combine?(losses: TF.Scalar[], active: readonly number[]): TF.Scalar;
  /**
   * Gradient family: the direction from the active tasks' gradients [active, P], times `scale`
   * (default 1). `measure` (default true): this step's shares are reported (lastWeights); a
   * method whose shares cost passes over the Jacobian (GradDrop) skips them otherwise.
   */
  aggregate?(jacobian: TF.Tensor2D, active: readonly number[], ctx: WeightingContext, scale?: number, measure?: boolean): TF.Tensor1D;
  /** Gradient family: each active task's share of the last measured direction, for reports. */
  lastWeights?(): number[];
  /** Loss family: each task's effective weight now (reads variables back: reporting time only). */
  current(): Record<string, number>;
  dispose(): void;
}

export type TensorMethodFactory = (tf: Tf, tasks: readonly TaskInfo[], params: Record<string, number | string>) => TensorWeighting;
