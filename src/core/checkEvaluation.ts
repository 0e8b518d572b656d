// Semantic checks of repeated evaluation (evaluation.repeats, evaluation.crossValidation) that
// the schema's bounds cannot show: the cost of many repeats, folds too small to measure, and
// split fractions that cross-validation replaces.
import { problemList } from './checkHelpers';
import { REPEAT_COST_WARNING, repeatCount, foldCount } from './repeats';
import type { ExperimentSpec, Problem } from './spec';

/** A fold that validates or tests on fewer rows than this measures noise: refused. */
export const MIN_FOLD_ROWS = 5;

/** `rows`: examples in the whole data set, when the caller knows them (the trainer counts them). */
export function checkEvaluation(spec: ExperimentSpec, rows?: number): Problem[] {
  const { problems, error, warning } = problemList();
  const evaluation = spec.evaluation;
  if (!evaluation) return problems;
  const repeats = repeatCount(spec);
  const folds = foldCount(spec);
  const phases = (evaluation.baselines ?? 'single-task') === 'single-task' && spec.tasks.length > 1 ? spec.tasks.length + 1 : 1;
  if (repeats > REPEAT_COST_WARNING) {
    warning(['evaluation', 'repeats'], `${repeats} repeats${folds > 1 ? ` of ${folds} folds` : ''} train ${repeats * folds * phases} models (${phases} per repeat): the run takes about ${repeats * folds} times as long as one. 3 to 10 repeats usually show whether a difference is more than noise.`);
  }
  const cv = evaluation.crossValidation;
  if (!cv || !Number.isInteger(cv.folds) || cv.folds < 2) return problems;
  if (cv.fold !== undefined && cv.fold > cv.folds) {
    error(['evaluation', 'crossValidation', 'fold'], `fold ${cv.fold} does not exist: there are ${cv.folds} folds (1 to ${cv.folds}).`);
  }
  const { split } = spec.data;
  const nested = cv.test === 'nested';
  if (rows !== undefined) {
    // Fixed: the folds share the rows outside the test split; nested: all rows.
    const pool = nested ? rows : rows - Math.round(rows * split.test);
    const perFold = Math.floor(pool / cv.folds);
    if (perFold < MIN_FOLD_ROWS) {
      error(['evaluation', 'crossValidation', 'folds'], `${cv.folds} folds of ${pool} rows${nested ? '' : ' (the rows outside the test split)'} hold ${perFold} row${perFold === 1 ? '' : 's'} each; a fold needs at least ${MIN_FOLD_ROWS} to measure anything: use fewer folds or more data.`);
    }
  }
  if (nested && split.test > 0) {
    warning(['data', 'split', 'test'], `With evaluation.crossValidation (test "nested") each fold in turn is the test split, so data.split.test (${split.test}) is not used.`);
  }
  if (!nested && split.validation > 0) {
    warning(['data', 'split', 'validation'], `With evaluation.crossValidation (test "fixed") each fold in turn is the validation part, so data.split.validation (${split.validation}) is not used.`);
  }
  return problems;
}
