// A run folder that cannot be written (disk full, read-only, no permission) is the user's
// situation, not a bug: one message that names the folder and the reason, never a stack trace.
import * as path from 'node:path';
import { isWriteFault, writeFaultMessage } from '../../core/runFaults';

/** A run folder that cannot be written: its message names the folder and the reason, no stack needed. */
export class RunFolderError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/** A folder as the user will look for it: relative to the working folder when inside it. */
function displayFolder(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : dir;
}

/** A write fault (ENOSPC, EROFS, EACCES, ...) as a RunFolderError naming `folder`; anything else unchanged. */
export function asRunFolderError(err: unknown, folder: string): unknown {
  if (err instanceof RunFolderError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return isWriteFault(code) ? new RunFolderError(writeFaultMessage(displayFolder(folder), code!), code!) : err;
}
