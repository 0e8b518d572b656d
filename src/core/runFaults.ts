// Why a run ended abnormally, in words a user can act on: a trainer killed by a signal, a
// run folder that cannot be written. Pure: the trainer and the host pass in what they saw.
import type { TrainerProbe } from './runLayout';

/** The message for a trainer that died by a signal, with what usually causes it. */
export function trainerSignalMessage(signal: string): string {
  switch (signal) {
    case 'SIGKILL':
      return 'the trainer was killed (SIGKILL); when nobody stopped it, the system most likely ran out of memory: try a smaller model or batch size';
    case 'SIGSEGV':
    case 'SIGBUS':
      return `the trainer crashed in native code (${signal}), most often because the model or a batch is too large for memory: try a smaller model or batch size`;
    case 'SIGABRT':
      return 'the trainer aborted (SIGABRT), most often because it ran out of memory: try a smaller model or batch size';
    case 'SIGTERM':
    case 'SIGINT':
    case 'SIGHUP':
      return `the trainer was stopped from outside (${signal})`;
    default:
      return `the trainer stopped by signal ${signal}`;
  }
}

const FS_REASONS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  // Node ignores SIGXFSZ, so a process past its file size limit (ulimit -f) gets this error.
  EFBIG: 'a file would pass the file size limit (ulimit -f)',
};

/**
 * What else stops a run's own files from being written once the run has made them: not a
 * full or read-only disk but something done to the folder from outside (a file or folder
 * replaced, the folder removed). Told as a message too; never part of isWriteFault, which
 * also judges a folder about to be made (`mts train --out`).
 */
const REPLACED_REASONS: Record<string, string> = {
  EISDIR: 'a folder stands where one of its files belongs',
  ENOTDIR: 'a file stands where one of its folders belongs',
  ENOENT: 'a file or folder of the run was removed',
  EEXIST: 'a folder of that name is there already',
};

/** Error codes that mean "this folder cannot be written" (not a bug): told as a message, never a stack. */
export function isWriteFault(code: string | undefined): boolean {
  return code !== undefined && code in FS_REASONS;
}

/** "cannot write runs/x/20260101-…: the disk is full (ENOSPC)". */
export function writeFaultMessage(folder: string, code: string): string {
  return `cannot write ${folder}: ${FS_REASONS[code] ?? REPLACED_REASONS[code] ?? 'write error'} (${code})`;
}

/**
 * State and start time of a process from the text of /proc/PID/stat: field 3 (Z: a zombie, dead
 * but not yet reaped) and field 22 (clock ticks after boot). Field 2 is the command name in
 * parentheses and may hold spaces or ')', so fields are counted after its last ')'.
 */
export function parseProcStat(stat: string): { state: string; startTime: string } | undefined {
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 1).trim().split(/\s+/);
  const state = fields[0];
  const start = fields[19]; // fields 3.. follow the name: field 22 is the 20th of them
  return state !== undefined && start !== undefined && /^\d+$/.test(start) ? { state, startTime: start } : undefined;
}

/** What probing a process needs from the machine: each side passes Node's (core imports no Node). */
export interface ProcessReader {
  hostname: string;
  /** A file's text; undefined when it cannot be read. */
  readText(file: string): string | undefined;
  /** Whether a process with this pid exists (signal 0; a process of another user exists too). */
  exists(pid: number): boolean;
}

/** This machine, asked about a run's trainer: a reused pid or another machine's run is told apart. */
export function processProbe(machine: ProcessReader): TrainerProbe & { isPidAlive(pid: number): boolean; processStart(pid: number): string | undefined } {
  const statOf = (pid: number) => {
    const text = machine.readText(`/proc/${pid}/stat`);
    return text === undefined ? undefined : parseProcStat(text);
  };
  return {
    hostname: machine.hostname,
    // Exists and is not a zombie (dead, waiting to be reaped). Without /proc the pid alone tells.
    isPidAlive: (pid) => machine.exists(pid) && statOf(pid)?.state !== 'Z',
    // `<boot id>:<start ticks>` on Linux, as the trainer records it in run.json; undefined elsewhere or when gone.
    processStart: (pid) => {
      const start = statOf(pid)?.startTime;
      const boot = machine.readText('/proc/sys/kernel/random/boot_id')?.trim();
      return start === undefined || !boot ? undefined : `${boot}:${start}`;
    },
  };
}
