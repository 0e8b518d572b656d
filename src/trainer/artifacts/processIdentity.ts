// Who is training a run, as run.json records it, and whether a recorded trainer still runs
// (for cleaning a killed run's temporary files). Linux tells a process's start time; elsewhere
// the pid alone is used. The host has the same probe (host/runs/runFolders.ts): layers differ.
import fs from 'node:fs';
import os from 'node:os';
import { procStatStartTime } from '../../core/runFaults';
import type { TrainerProbe } from '../../core/runLayout';

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** `<boot id>:<start ticks>` of a live process on Linux; undefined elsewhere or when it is gone. */
export function processStart(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  const start = stat === undefined ? undefined : procStatStartTime(stat);
  const boot = readText('/proc/sys/kernel/random/boot_id')?.trim();
  return start === undefined || !boot ? undefined : `${boot}:${start}`;
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, belongs to someone else
  }
}

export const localProbe: TrainerProbe = { hostname: os.hostname(), isPidAlive, processStart };
