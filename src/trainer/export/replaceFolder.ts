// An export's folder put in place of the previous one as a whole. Removing the old folder and
// then renaming the new one in left nothing at the place if the process died between the two;
// now the old one is renamed aside first (`<folder>.old-<pid>`), the new one renamed in, and only
// then the old one removed. A failed rename puts the old one back; a process killed between the
// renames leaves the old one aside, and the next export of that folder puts it back first
// (recoverFolder), so a package is never lost.
import fs from 'node:fs';
import path from 'node:path';
import { isPidAlive } from '../../node/processIdentity';

/** The file operations used, passed in so a test can make one fail. */
export interface FolderOps {
  rename(from: string, to: string): void;
  remove(target: string): void;
}

const fsOps: FolderOps = {
  rename: (from, to) => fs.renameSync(from, to),
  remove: (target) => fs.rmSync(target, { recursive: true, force: true }),
};

const ASIDE = '.old-';
/** Where the folder waits while its replacement is renamed in. */
export const asideOf = (target: string, pid = process.pid): string => `${target}${ASIDE}${pid}`;

/** Puts the folder `fresh` at `target`, which may hold an earlier one: whole, or the earlier one stays. */
export function replaceFolder(fresh: string, target: string, ops: FolderOps = fsOps): void {
  const aside = asideOf(target);
  ops.remove(aside);
  let hadOld = true;
  try {
    ops.rename(target, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    hadOld = false;
  }
  try {
    ops.rename(fresh, target);
  } catch (err) {
    if (hadOld) ops.rename(aside, target);
    throw err;
  }
  if (hadOld) ops.remove(aside);
}

/**
 * What an export of `target` killed midway left beside it, by processes that are gone: the old
 * folder set aside (put back when `target` is missing, else removed) and the new one half
 * written (`<target>.tmp-<pid>`, removed). A live process's folders are left alone.
 */
export function recoverFolder(target: string, tempMarker: string): void {
  const dir = path.dirname(target);
  const base = path.basename(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const leftovers = names.flatMap((name) => {
    for (const marker of [ASIDE, tempMarker]) {
      if (!name.startsWith(`${base}${marker}`)) continue;
      const pid = Number(name.slice(base.length + marker.length));
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isPidAlive(pid)) return [{ full: path.join(dir, name), aside: marker === ASIDE }];
    }
    return [];
  });
  for (const l of leftovers) {
    if (l.aside && !fs.existsSync(target)) fs.renameSync(l.full, target);
    else fs.rmSync(l.full, { recursive: true, force: true });
  }
}
