// Whether the folder at a run folder's path is still the one the run made (runWriter.ts checks
// before each write). Device and inode, and the birth time: a folder made at the path after the
// run's was removed mostly gets its inode back (ext4 gave 197 of 200 an rm -r and mkdir).
// But where stat has no birth time, libuv gives the change time in its place (Linux without
// statx: old kernels, seccomp filters such as Docker's before 18.04, some network file systems),
// and a folder's change time moves with every file renamed into it: compared there, every run
// failed at its second write as "removed or replaced". Such a stat's birth time always equals
// its change time; a real one differs from it once anything was written in the folder (or in its
// parent, after the parent's birth). So the birth time counts once a stat of the folder or its
// parent has shown a birth time apart from the change time; until then a birth time equal to the
// change time is taken for the change time. What that misses: on a file system with birth
// times, the first run of an experiment (its parent folder as new as it), a folder put at the
// path with its inode back before anything was written in the run folder after its birth (to the
// clock's grain).
import { promises as fs } from 'node:fs';
import path from 'node:path';

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

/** A birth time that is not the change time given in its place. */
const hasOwnBirth = (s: FolderStat | undefined): boolean => !!s && s.birthtimeNs !== 0n && s.birthtimeNs !== s.ctimeNs;

/** The run folder as made, told from another folder put at its path. */
export class FolderIdentity {
  private constructor(private readonly made: FolderStat | undefined, private birthTimes: boolean) {}

  /** Reads the folder just made (and its parent, whose birth time tells whether stat has real ones). */
  static async of(dir: string): Promise<FolderIdentity> {
    return FolderIdentity.from(await folderStat(dir), await folderStat(path.dirname(dir)));
  }

  /** From the stats of the folder just made and of its parent. */
  static from(made: FolderStat | undefined, parent: FolderStat | undefined): FolderIdentity {
    return new FolderIdentity(made, hasOwnBirth(made) || hasOwnBirth(parent));
  }

  /** Whether `now` (a stat of the path; undefined: gone) is the folder made. */
  holds(now: FolderStat | undefined): boolean {
    const made = this.made;
    if (!made || !now || made.dev !== now.dev || made.ino !== now.ino) return false;
    if (now.birthtimeNs === made.birthtimeNs) {
      this.birthTimes ||= hasOwnBirth(now);
      return true;
    }
    return !this.birthTimes && now.birthtimeNs === now.ctimeNs;
  }
}
