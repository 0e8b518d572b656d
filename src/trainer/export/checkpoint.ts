// Where an export may stop when asked (Ctrl+C in `mts export`): between its stages and between
// the files it writes. An export's work is synchronous, and its awaits resolve without a turn of
// the event loop, so a SIGINT handler used to run only once the export had finished: each
// checkpoint gives the loop a turn (the handler runs, the signal aborts), then stops if asked.
// What was written by then is a temporary folder or file, removed on the way out; an earlier
// export in the folder is kept.
import { ExportError } from './exportError';

/** The export stopped when asked: nothing of it was put in place. */
export class ExportCancelled extends ExportError {
  constructor() { super('cancelled: nothing was written (an earlier export in the folder is kept)'); }
}

export async function checkpoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new ExportCancelled();
}
