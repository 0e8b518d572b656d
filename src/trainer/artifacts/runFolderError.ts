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

/**
 * Any file-system error of a run's own files (it carries an errno code) as a RunFolderError
 * naming `folder`: a write that failed lost data whatever the reason, so it is told, never
 * swallowed (EISDIR: a folder put where metrics.jsonl was; EFBIG: the file size limit).
 * Anything else (a bug) unchanged.
 */
export function asRunFileFault(err: unknown, folder: string): unknown {
  if (err instanceof RunFolderError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const fromFileSystem = typeof code === 'string' && typeof (err as NodeJS.ErrnoException).syscall === 'string';
  return fromFileSystem ? new RunFolderError(writeFaultMessage(displayFolder(folder), code), code) : asRunFolderError(err, folder);
}

/** The run folder is gone or another folder took its place: nothing more may be written (it would be recreated half). */
export function runFolderGone(folder: string): RunFolderError {
  return new RunFolderError(`the run folder ${displayFolder(folder)} was removed or replaced while the run was writing it; its earlier files are gone, so the run cannot be completed`, 'ENOENT');
}

/**
 * The study folder is gone or another folder took its place between two of its writes: the study
 * stops, since going on would make the folder again holding only the later runs.
 */
export function studyFolderGone(folder: string): RunFolderError {
  return new RunFolderError(`the study folder ${displayFolder(folder)} was removed or replaced while the study ran; its earlier runs are gone, so the study cannot be completed (start it again)`, 'ENOENT');
}
