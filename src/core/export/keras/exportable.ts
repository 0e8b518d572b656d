// What the Keras export's train.py cannot carry over yet. Each is a problem located at the
// setting, and the export refuses while any remains: a train.py that trained differently from
// the product, without saying so, would be worse than no export. What it carries over in part
// (one training of a repeated one) is exported with a note that says so.
import { repeatCount } from '../../repeats';
import type { ExperimentSpec, Problem } from '../../spec';
import { repeatedWeightsNote } from '../repeatedWeightsNote';

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

/**
 * What train.py does differently from the product without refusing, each led by its JSON path:
 * evaluation.repeats and evaluation.crossValidation train several times; train.py trains once,
 * with training.seed on data.split's hold-out split (data/dataset.npz), and a run's exported
 * weights are its first training's (the only model a repeated run saves).
 */
export function kerasExportNotes(spec: ExperimentSpec, fromRun: boolean): string[] {
  const notes: string[] = [];
  const seed = spec.training.seed;
  const repeats = repeatCount(spec);
  if (repeats > 1) {
    notes.push(`evaluation.repeats: Multi-Task Studio trains this experiment with ${repeats} seeds (${seed} to ${seed + repeats - 1}) and reports their mean and spread; train.py trains once, with training.seed ${seed}. Change training.seed in experiment.json and run it again to repeat.`);
  }
  const cv = spec.evaluation?.crossValidation;
  if (cv) {
    const folds = cv.fold === undefined ? `each of its ${cv.folds} folds` : `fold ${cv.fold} of ${cv.folds}`;
    notes.push(`evaluation.crossValidation: Multi-Task Studio trains ${folds}; train.py trains once, on the hold-out split of data.split saved in data/dataset.npz, not on the folds.`);
  }
  const weights = fromRun ? repeatedWeightsNote(spec) : undefined;
  if (weights) notes.push(weights);
  return notes;
}
