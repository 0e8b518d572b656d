// Whole-file writes that a reader (or a crash) never sees half done: write a temporary file in
// the same folder, flush it to disk, then rename it over the target (atomic on one file system).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Temporary names start with this, so a crash leftover is recognisable. */
export const TEMP_MARKER = '.tmp-';

export function tempSibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempSibling(target);
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(target: string, value: unknown): Promise<void> {
  await writeFileAtomic(target, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Puts a fully written folder in place of `target`. A folder cannot be renamed over a non-empty
 * one, so an existing target is first moved aside and removed after the swap.
 */
export async function replaceDirectory(source: string, target: string): Promise<void> {
  let aside: string | undefined;
  try {
    aside = tempSibling(target);
    await fs.rename(target, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    aside = undefined;
  }
  try {
    await fs.rename(source, target);
  } catch (err) {
    if (aside) await fs.rename(aside, target); // put the previous version back
    throw err;
  }
  if (aside) await fs.rm(aside, { recursive: true, force: true });
}
