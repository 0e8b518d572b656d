// Whole-file writes that a reader (or a crash) never sees half done: write a temporary file in
// the same folder, flush it to disk, then rename it over the target (atomic on one file system).
// Appends that add whole lines or nothing, for files that grow (metrics.jsonl).
import { randomBytes } from 'node:crypto';
import fsSync, { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isPidAlive } from '../../node/processIdentity';

/** Temporary names start with this, so a crash leftover is recognisable. */
export const TEMP_MARKER = '.tmp-';

export function tempSibling(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Removes the temporary siblings of `target` (tempSibling) left by processes that are gone: a
 * file staged when its writer quit at once (a second Ctrl+C in `mts export`) or was killed. A
 * live process's are its own business. Best effort: returns what it removed, never fails.
 */
export function removeDeadTempSiblings(target: string): string[] {
  const dir = path.dirname(target);
  const prefix = `.${path.basename(target)}${TEMP_MARKER}`;
  let names: string[];
  try {
    names = fsSync.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid === undefined || Number(pid) === process.pid || isPidAlive(Number(pid))) continue;
    try {
      fsSync.rmSync(path.join(dir, name), { force: true });
      removed.push(path.join(dir, name));
    } catch {
      // left for the next export
    }
  }
  return removed;
}

/** A file written whole under a temporary name: commit() renames it into place, discard() removes it. */
export interface StagedFile {
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Writes `data` to a temporary sibling of `target` and flushes it, without putting it in place:
 * for a file that must appear only after another one (report.md after run.json's final status),
 * with nothing left to fail between the two but a rename.
 */
export async function stageFileAtomic(target: string, data: string | Uint8Array): Promise<StagedFile> {
  const temp = tempSibling(target);
  const discard = () => fs.rm(temp, { force: true });
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (err) {
    await discard();
    throw err;
  }
  return {
    commit: async () => {
      try {
        await fs.rename(temp, target);
      } catch (err) {
        await discard();
        throw err;
      }
    },
    discard,
  };
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await (await stageFileAtomic(target, data)).commit();
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

/**
 * A small JSON file's write that must happen even on a full disk (run.json's final status):
 * atomic when possible; when the disk is full a new file cannot be made, but the old file's own
 * block can be rewritten in place (it is small and stays within the block it has): not atomic,
 * so only then.
 */
export async function writeJsonAtomicOrInPlace(target: string, value: unknown): Promise<void> {
  try {
    await writeJsonAtomic(target, value);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw err;
    const data = Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
    const handle = await fs.open(target, 'r+');
    try {
      await handle.write(data, 0, data.length, 0);
      await handle.truncate(data.length);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/**
 * `mkdir -p` that reports the real reason: Node's recursive mkdir says ENOENT when a missing
 * ancestor cannot be made on a read-only disk, so each missing level is made in turn.
 */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fsSync.existsSync(d)) break;
    missing.unshift(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing) await fs.mkdir(d).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err; });
}

/**
 * Makes `parent/name` (an existing one is fine) but never `parent` itself: inside a run folder,
 * so that a run folder removed from outside stays removed (ENOENT) instead of coming back half.
 */
export async function makeFolderIn(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, name);
  await fs.mkdir(dir).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err; });
  return dir;
}

/**
 * Appends `data` (whole lines) to `file`, or nothing: when the write fails part way (disk
 * full), the file is cut back to its previous length so no reader sees half a line.
 */
export async function appendWhole(file: string, data: Buffer): Promise<void> {
  const handle = await fs.open(file, 'a');
  try {
    const before = (await handle.stat()).size;
    try {
      let written = 0;
      while (written < data.length) written += (await handle.write(data, written, data.length - written)).bytesWritten;
    } catch (err) {
      await handle.truncate(before).catch(() => undefined);
      throw err;
    }
  } finally {
    await handle.close();
  }
}
