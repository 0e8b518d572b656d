// What the training panel's one polite live region says: the phase and its epoch, and how the
// run ended. The text changes only when one of those does, so a screen reader hears "shared
// model: epoch 3 of 10" once an epoch, never each curve point (the panel's other text is not live).
import { phaseLabel } from '../../src/core/phase';
import { repeatLabel } from '../../src/core/repeats';
import type { RunView } from './runState';

export function progressAnnouncement(view: RunView): string {
  switch (view.status) {
    case 'waiting': return view.runDir ? 'Data loaded: building the model' : 'Loading the data';
    case 'stopping': return 'Stopping after the current step';
    case 'completed': return 'Training completed: the result is under the header';
    case 'failed': return 'Training failed';
    case 'cancelled': return 'Training stopped';
    case 'invalid': return 'Not started: the experiment has problems';
    case 'running': {
      if (!view.phase) return 'Training';
      const e = view.currentEpoch();
      const epoch = e ? `: epoch ${Math.min(e.epoch + 1, e.total)} of ${e.total}` : '';
      return `${view.repeat ? `${repeatLabel(view.repeat)}, ` : ''}${phaseLabel(view.phase)}${epoch}`;
    }
  }
}
