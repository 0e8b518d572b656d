// A repeated run (evaluation.repeats, evaluation.crossValidation) saves one model, its first
// training's: every export of a run's weights (Keras, ONNX) says so.
import { repeatLabel, repeatUnits } from '../repeats';
import type { ExperimentSpec } from '../spec';

/** The note for an export of a run's weights, or undefined for a run that trained once. */
export function repeatedWeightsNote(spec: ExperimentSpec): string | undefined {
  const units = repeatUnits(spec);
  if (units.length <= 1) return undefined;
  return `The exported weights are the run's first training's (${repeatLabel({ ...units[0]!, of: units.length })}): the only model a repeated run saves.`;
}
