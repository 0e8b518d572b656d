// The one error for a run whose numbers became NaN or infinite, wherever that is seen: a task's
// loss at a report or its validation loss at an epoch's end (loop.ts), or a gradient method's Gramian where it is read, or a graph rule's
// coefficients made NaN by it on a reported step (weighting/index.ts).
// Its own file because the weighting cannot import the loop that imports it.
import { SpecError } from './specError';

/** What to change is the learning rate (or the clipping), so that is where the message points. */
const ADVICE = 'Lower the learning rate, or clip gradients with training.clipNorm.';

/** The loss became NaN or infinite: at the learning rate, or at the task's target when seen on the first step. */
export class TrainingDiverged extends SpecError {
  constructor(message: string, path: (string | number)[] = ['training', 'optimizer', 'learningRate']) { super(message, path); }
}

/**
 * `what` (e.g. 'the loss of task "a"', task index `task`) became `value` at this epoch and step.
 * Seen on a model's first step alone (`step` 1), it was computed before any update: the learning
 * rate cannot have caused it, the scale of the task's targets or of the inputs did.
 */
export function diverged(what: string, value: number, epoch: number, step: number, task: number, afterUpdate = false): TrainingDiverged {
  // `afterUpdate`: `what` was measured on the weights after the step's update (an epoch's validation),
  // its losses finite: the first update overflowed, from the data's scale or the learning rate.
  if (step === 1 && afterUpdate) {
    return new TrainingDiverged(`Training diverged: ${what} became ${value} after the first step's update, whose losses were finite: ` +
      'look at the scale of the task\'s targets and of the inputs (float32 overflows above 3.4e38) and rescale them, e.g. with data.preprocess, or lower the learning rate.', ['tasks', task, 'target']);
  }
  if (step === 1) {
    return new TrainingDiverged(`Training diverged: ${what} was ${value} on the first step, before any update, so the learning rate is not the cause: ` +
      'look at the scale of the task\'s targets and of the inputs (float32 overflows above 3.4e38; a squared error does for errors above 1.8e19). Rescale them, e.g. with data.preprocess.', ['tasks', task, 'target']);
  }
  return new TrainingDiverged(`Training diverged: ${what} became ${value} at epoch ${epoch}, step ${step}. ${ADVICE}`);
}

/**
 * The located error when a task's `loss` in `values`, measured after the updates (an epoch's
 * validation, the test split), is not finite: an update that overflowed with finite step losses.
 */
export function divergedAfterUpdate(taskIds: readonly string[], values: Readonly<Record<string, Readonly<Record<string, number>>>>, what: string, epoch: number, step: number): TrainingDiverged | undefined {
  const bad = taskIds.findIndex((id) => { const v = values[id]?.loss; return v !== undefined && !Number.isFinite(v); });
  return bad >= 0 ? diverged(`${what} of task "${taskIds[bad]!}"`, values[taskIds[bad]!]!.loss!, epoch, step, bad, true) : undefined;
}
