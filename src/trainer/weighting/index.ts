// Task weighting: how per-task losses combine into the one loss that is differentiated.
// One module per method behind this interface.
import type * as TF from '@tensorflow/tfjs';
import type { TaskSpec, WeightingSpec } from '../../core/spec';
import type { Tf } from '../backend';
import { uncertaintyWeighting } from './uncertainty';

export interface TaskWeighting {
  /** Extra trainable variables (e.g. learned log-variances), trained with the model. */
  variables: TF.Variable[];
  /**
   * The combined loss, inside the gradient tape. `losses` are in task order. `labelled[i]`
   * false: task i has no labelled row in this batch (partial labels; its loss is 0), so a
   * method leaves the task out of this step altogether (e.g. uncertainty's regulariser).
   */
  combine(losses: TF.Scalar[], labelled?: readonly boolean[]): TF.Scalar;
  /** Current effective weight per task (read back; call only at reporting time). */
  current(): Record<string, number>;
  dispose(): void;
}

function fixedWeighting(tf: Tf, tasks: TaskSpec[], weights: number[]): TaskWeighting {
  const allOne = weights.every((w) => w === 1);
  return {
    variables: [],
    combine: (losses) => (allOne ? tf.addN(losses) : tf.addN(losses.map((l, i) => tf.mul(l, weights[i]!)))) as TF.Scalar,
    current: () => Object.fromEntries(tasks.map((t, i) => [t.id, weights[i]!])),
    dispose: () => undefined,
  };
}

export function makeWeighting(tf: Tf, spec: WeightingSpec | undefined, tasks: TaskSpec[]): TaskWeighting {
  switch (spec?.method ?? 'equal') {
    case 'equal': return fixedWeighting(tf, tasks, tasks.map(() => 1));
    case 'static': return fixedWeighting(tf, tasks, tasks.map((t) => t.weight ?? 1));
    case 'uncertainty': return uncertaintyWeighting(tf, tasks);
  }
}
