// A real `mts train` for the fault campaign: started in a process group of its own (so nothing
// it starts outlives a case), its output so far, a wait for a line, and its trainer child's pid.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ROOT = [process.cwd(), path.resolve(__dirname, '../../..'), path.resolve(__dirname, '../../../..')]
  .find((d) => fs.existsSync(path.join(d, 'bin', 'mts.js')))!;
const MTS = path.join(ROOT, 'bin', 'mts.js');

export interface Exit { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export interface TrainProcess {
  /** The supervising `mts train` (the trainer is its child). */
  pid: number;
  exited: Promise<Exit>;
  output(): string;
  /** Resolves true once the output matches, false if the process ends (or `timeoutMs` passes) first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<boolean>;
  /** The trainer child's pid (Linux: /proc), undefined before it starts or after it ends. */
  trainerPid(): number | undefined;
  /** Ends the whole group (the campaign's cleanup; never a fault of the case). */
  killGroup(): void;
}

/** Every `mts train` started and not yet ended: a case that times out ends them all. */
const live = new Set<TrainProcess>();

export function killAllTrains(): void {
  for (const p of live) p.killGroup();
}

export function startTrain(args: string[], cwd: string, options: { fileSizeKiB?: number } = {}): TrainProcess {
  // `ulimit -f` when asked, then exec: the supervisor and its trainer inherit the limit.
  const limit = options.fileSizeKiB !== undefined ? `ulimit -f ${options.fileSizeKiB} && ` : '';
  const child = spawn('bash', ['-c', `${limit}exec "$0" "$@"`, process.execPath, MTS, 'train', ...args], {
    cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' },
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const changed = () => listeners.forEach((l) => l());
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); changed(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); changed(); });
  let done = false;
  const exited = new Promise<Exit>((resolve) => child.on('close', (code, signal) => {
    done = true;
    changed();
    resolve({ code, signal, stdout, stderr });
  }));
  const pid = child.pid!;
  const proc: TrainProcess = {
    pid,
    exited,
    output: () => stdout + stderr,
    waitFor: (pattern, timeoutMs = 60_000) => new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), timeoutMs);
      const check = () => {
        if (pattern.test(stdout + stderr)) finish(true);
        else if (done) finish(false);
      };
      function finish(ok: boolean) {
        clearTimeout(timer);
        listeners.delete(check);
        resolve(ok);
      }
      listeners.add(check);
      check();
    }),
    trainerPid: () => {
      try {
        const children = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
        return children.length ? Number(children[0]) : undefined;
      } catch {
        return undefined;
      }
    },
    killGroup: () => {
      try { process.kill(-pid, 'SIGKILL'); } catch { /* already gone */ }
    },
  };
  live.add(proc);
  void exited.then(() => live.delete(proc));
  return proc;
}

/** Sends `signal` to a pid that may be gone already. */
export function signal(pid: number | undefined, sig: NodeJS.Signals): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}
