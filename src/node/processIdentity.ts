// Who is training a run, as run.json records it, and whether a recorded trainer still runs: core's
// probe (core/runFaults.ts) on this machine's /proc and signals. The trainer cleans a killed run's
// temporary files with it; the host (host/runFolders.ts) tells a running run from a dead one.
import os from 'node:os';
import { processProbe } from '../core/runFaults';
import { readText } from './readIfAny';

/** Signal 0 asks without touching the process; EPERM: it exists, it belongs to someone else. */
const exists = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const localProbe = processProbe({ hostname: os.hostname(), readText, exists });
export const { isPidAlive, processStart } = localProbe;
