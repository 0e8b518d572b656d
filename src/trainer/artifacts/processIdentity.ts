// Who is training a run, as run.json records it, and whether a recorded trainer still runs
// (for cleaning a killed run's temporary files). Linux tells a process's start time; elsewhere
// the pid alone is used. The host has the same probe (host/runs/runFolders.ts): layers differ.
import fs from 'node:fs';
import os from 'node:os';
import { parseProcStat } from '../../core/runFaults';
import type { TrainerProbe } from '../../core/runLayout';

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const statOf = (pid: number) => {
  const text = readText(`/proc/${pid}/stat`);
  return text === undefined ? undefined : parseProcStat(text);
};

/** `<boot id>:<start ticks>` of a process on Linux; undefined elsewhere or when it is gone. */
export function processStart(pid: number): string | undefined {
  const start = statOf(pid)?.startTime;
  const boot = readText('/proc/sys/kernel/random/boot_id')?.trim();
  return start === undefined || !boot ? undefined : `${boot}:${start}`;
}

/** Whether the process runs: it exists (signal 0) and is not a zombie (dead, waiting to be reaped). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false; // EPERM: exists, belongs to someone else
  }
  return statOf(pid)?.state !== 'Z';
}

export const localProbe: TrainerProbe = { hostname: os.hostname(), isPidAlive, processStart };
