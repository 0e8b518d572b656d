// Leftovers of runs that were killed mid-write: `*.tmp-*` files of an atomic write and
// `model.tmp-*` folders of a model save. The next run of the experiment removes them, only
// from runs whose trainer is gone (or that have ended); readers never open such names.
import type fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { RUN_FILES, trainerGone, type RunRecord } from '../../core/runLayout';
import { TEMP_MARKER } from './atomicWrite';
import { localProbe } from '../../node/processIdentity';

/**
 * Removes temporary files and folders (`*.tmp-*`: an atomic write or a model save cut short)
 * from the run folders of one experiment whose trainer is gone or which have ended. A run
 * still training, or whose run.json cannot be read, is left alone. Best effort: never fails.
 */
export async function removeStaleTemps(experimentDir: string): Promise<string[]> {
  const removed: string[] = [];
  let runs: string[];
  try {
    runs = (await fs.readdir(experimentDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    return removed;
  }
  for (const name of runs) {
    const runDir = path.join(experimentDir, name);
    let record: RunRecord;
    try {
      record = JSON.parse(await fs.readFile(path.join(runDir, RUN_FILES.run), 'utf8')) as RunRecord;
    } catch {
      continue;
    }
    if (record.status === 'running' && !trainerGone(record, localProbe)) continue;
    const walk = async (dir: string, depth: number): Promise<void> => {
      let entries: fsSync.Dirent[];
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = path.join(dir, e.name);
        if (e.name.includes(TEMP_MARKER)) {
          await fs.rm(full, { recursive: true, force: true }).then(() => removed.push(full), () => undefined);
        } else if (e.isDirectory() && depth < 3) {
          await walk(full, depth + 1);
        }
      }
    };
    await walk(runDir, 0);
  }
  return removed;
}
