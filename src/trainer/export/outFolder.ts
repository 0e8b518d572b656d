// The folder an export writes into, made before anything is written, one level at a time: Node's
// recursive mkdir never returns where mkdir says ENOENT under an existing folder (/proc), and a
// file in the way or a read-only folder gave the error's own words ("ENOTDIR: not a directory,
// unlink ...") after the data had been read.
import fs from 'node:fs';
import path from 'node:path';
import { errnoWords } from '../errnoWords';
import { ExportError } from './exportError';

/** Creates `dir` and its missing parents, or says which one cannot be made and why. */
export function makeExportFolder(dir: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  while (!fs.existsSync(d) && path.dirname(d) !== d) {
    missing.unshift(d);
    d = path.dirname(d);
  }
  if (!fs.statSync(d).isDirectory()) throw new ExportError(`cannot export into ${dir}: ${d} is a file, not a folder.`);
  for (const m of missing) {
    try {
      fs.mkdirSync(m);
    } catch (err) {
      throw new ExportError(`cannot export into ${dir}: cannot create the folder ${m}: ${errnoWords(err)}.`);
    }
  }
}

/** A folder made inside the export folder (not recursively: that folder exists), or the reason it cannot be. */
export function makeFolderIn(outDir: string, dir: string): void {
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    throw new ExportError(`cannot write into ${outDir}: ${errnoWords(err)}.`);
  }
}

/** An error writing the export's files in a user's words (a full disk, a folder made read-only meanwhile). */
export function writeError(outDir: string, err: unknown): unknown {
  if (err instanceof ExportError || !(err as NodeJS.ErrnoException).code) return err;
  return new ExportError(`cannot write into ${outDir}: ${errnoWords(err)}.`);
}
