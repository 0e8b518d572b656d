// What a repeated run trains (evaluation.repeats, evaluation.crossValidation): one unit per
// fold and seed, folds outermost so that a fold's data goes onto the device once and every seed
// and phase of that fold trains on it. The trainer, the host's progress and the CLI read the
// units and their names from here.
import type { ExperimentSpec } from './spec';
import type { RepeatUnit } from './stats/repeated';

/** Above this many repeats the checks warn of the cost (each repeat trains every phase again). */
export const REPEAT_COST_WARNING = 10;

/** How a repeat is placed in the run, as the started message carries it. */
export interface RepeatPosition extends RepeatUnit {
  /** Units in the whole run (repeats × folds). */
  of: number;
}

type EvaluationPart = Pick<ExperimentSpec, 'training' | 'evaluation'>;

export const repeatCount = (spec: EvaluationPart): number => spec.evaluation?.repeats ?? 1;
/** Folds trained: all k, or one with crossValidation.fold. */
export const foldCount = (spec: EvaluationPart): number => {
  const cv = spec.evaluation?.crossValidation;
  return !cv ? 1 : cv.fold !== undefined ? 1 : cv.folds;
};

/** Whether the run trains more than once (a single training keeps its plain summary and report). */
export const isRepeated = (spec: EvaluationPart): boolean => repeatCount(spec) * foldCount(spec) > 1;

/** The units in training order: fold by fold (or the one fold of crossValidation.fold), and within a fold the seeds training.seed, +1, +2, … */
export function repeatUnits(spec: EvaluationPart): RepeatUnit[] {
  const seeds = repeatCount(spec);
  const cv = spec.evaluation?.crossValidation;
  const units: RepeatUnit[] = [];
  for (let f = 0; f < (cv ? cv.folds : 1); f++) {
    if (cv?.fold !== undefined && f !== cv.fold - 1) continue;
    for (let r = 0; r < seeds; r++) {
      units.push({ index: units.length, seed: spec.training.seed + r, ...(cv ? { fold: { index: f, of: cv.folds } } : {}) });
    }
  }
  return units;
}

/** "repeat 2 of 6 (seed 43, fold 1 of 3)": the unit's place, 1-based, as the panel, notification and CLI say it. */
export function repeatLabel(p: RepeatPosition): string {
  const fold = p.fold ? `, fold ${p.fold.index + 1} of ${p.fold.of}` : '';
  return `repeat ${p.index + 1} of ${p.of} (seed ${p.seed}${fold})`;
}
