// What the Keras export's train.py cannot carry over yet. Each is a problem located at the
// setting, and the export refuses while any remains: a train.py that trained differently from
// the product, without saying so, would be worse than no export.
import type { ExperimentSpec, Problem } from '../../spec';

/** The task-weighting methods weighting.py implements (its LOSS_METHODS and GRADIENT_METHODS). */
export const KERAS_WEIGHTING_METHODS: readonly string[] = ['equal', 'static', 'uncertainty', 'dwa', 'pcgrad', 'mgda'];

/** The settings of `spec` that train.py would not reproduce, each with its JSON path. */
export function kerasExportRefusals(spec: ExperimentSpec): Problem[] {
  const method = spec.training.weighting?.method ?? 'equal';
  if (KERAS_WEIGHTING_METHODS.includes(method)) return [];
  return [{
    path: ['training', 'weighting', 'method'], severity: 'error',
    message: `"${method}" is not exported to Keras yet: train.py trains with ${KERAS_WEIGHTING_METHODS.join(', ')}. Choose one of those to export, or train this experiment in Multi-Task Studio.`,
  }];
}
