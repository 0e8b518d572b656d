// Whether the folder at a run folder's path is still the one the run made (runWriter.ts checks
// before each write). Device and inode, and the birth time where stat has one: a folder made
// after the run's was removed may get its inode back. Where stat has no birth time, libuv gives
// the change time in its place (Linux without statx: old kernels, seccomp filters such as
// Docker's before 18.04, some network file systems), and a folder's change time moves with every
// file renamed into it: compared there, every run failed at its second write as "removed or
// replaced". So a birth time equal to the change time is not compared. What that misses: on a
// file system with birth times, a folder put at the run folder's path that got its inode back
// and has not changed since it was made (to the clock's grain).
import { promises as fs } from 'node:fs';

export interface FolderStat { dev: bigint; ino: bigint; birthtimeNs: bigint; ctimeNs: bigint }

/** The folder's stat, or undefined when it is gone. */
export async function folderStat(dir: string): Promise<FolderStat | undefined> {
  try {
    const { dev, ino, birthtimeNs, ctimeNs } = await fs.stat(dir, { bigint: true });
    return { dev, ino, birthtimeNs, ctimeNs };
  } catch {
    return undefined;
  }
}

/** Whether `now` is the folder `made` was (undefined: gone, or never read). */
export function sameFolder(made: FolderStat | undefined, now: FolderStat | undefined): boolean {
  if (!made || !now || made.dev !== now.dev || made.ino !== now.ino) return false;
  return now.birthtimeNs === made.birthtimeNs || now.birthtimeNs === now.ctimeNs;
}
