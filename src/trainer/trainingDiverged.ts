// The one error for a run whose numbers became NaN or infinite, wherever that is seen: a task's
// loss at a report (loop.ts), or a gradient method's Gramian where it is read, or a graph rule's
// coefficients made NaN by it on a reported step (weighting/index.ts).
// Its own file because the weighting cannot import the loop that imports it.
import { SpecError } from './specError';

/** What to change is the learning rate (or the clipping), so that is where the message points. */
const ADVICE = 'Lower the learning rate, or clip gradients with training.clipNorm.';

/** The loss became NaN or infinite; what to change is the learning rate. */
export class TrainingDiverged extends SpecError {
  constructor(message: string) { super(message, ['training', 'optimizer', 'learningRate']); }
}

/** `what` (e.g. 'the loss of task "a"') became `value` at this epoch and step. */
export function diverged(what: string, value: number, epoch: number, step: number): TrainingDiverged {
  return new TrainingDiverged(`Training diverged: ${what} became ${value} at epoch ${epoch}, step ${step}. ${ADVICE}`);
}
