// `mts train` trains in a child process of its own and watches it. A trainer that dies by a
// signal (a native crash, the OOM killer, kill -9) cannot write run.json, so this parent does,
// with the signal and a hint, and exits 1 with that message instead of leaving a run that says
// "running". The child is the same command line (MTS_TRAIN_CHILD=1) on the same terminal
// (stdio inherited): it prints and handles Ctrl+C exactly as before. It runs in a process group
// of its own, so a Ctrl+C from the terminal reaches only this parent, which forwards it (the
// child would otherwise get each Ctrl+C twice). On Windows a detached child gets a console of
// its own, so there it shares the console and gets Ctrl+C from it directly. Bytes from the child
// on its IPC channel that are not a message (node/channelGuard.ts) end it: this parent kills it
// (being detached, it would outlive an uncaught exception here), marks run.json failed with one
// line and exits 1.
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { trainerSignalMessage } from '../core/runFaults';
import { TRAINER_NODE_FLAGS } from '../core/trainerFlags';
import { endedByParent, RUN_FILES, type RunRecord } from '../core/runLayout';
import { channelFaultMessage, guardChannel } from '../node/channelGuard';
import { writeJsonAtomic } from './artifacts/atomicWrite';

export const TRAIN_CHILD_ENV = 'MTS_TRAIN_CHILD';

/** What the child tells its parent over IPC: the run folder, once it exists. */
export interface TrainChildNote {
  runDir: string;
}

export function isTrainChild(): boolean {
  return process.env[TRAIN_CHILD_ENV] === '1' && typeof process.send === 'function';
}

async function endRun(runDir: string, pid: number, status: 'failed' | 'cancelled', message: string): Promise<boolean> {
  const file = path.join(runDir, RUN_FILES.run);
  try {
    const ended = endedByParent(JSON.parse(await fs.readFile(file, 'utf8')) as RunRecord, pid, status, message, new Date());
    if (!ended) return false;
    await writeJsonAtomic(file, ended);
    return true;
  } catch {
    return false;
  }
}

/** Runs this command line again as the training child; resolves with the exit code for this process. */
export async function superviseTrain(): Promise<number> {
  const [entry, ...args] = process.argv.slice(1);
  const ownGroup = process.platform !== 'win32';
  const child = spawn(process.execPath, [...process.execArgv, ...TRAINER_NODE_FLAGS, entry!, ...args], {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    detached: ownGroup,
    env: { ...process.env, [TRAIN_CHILD_ENV]: '1' },
  });
  let runDir: string | undefined;
  let fault: string | undefined;
  guardChannel(child, (err) => {
    fault = channelFaultMessage(err);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  child.on('message', (m: Partial<TrainChildNote>) => { if (typeof m?.runDir === 'string') runDir = m.runDir; });
  const forward = (signal: NodeJS.Signals) => () => { if (child.exitCode === null && child.signalCode === null) child.kill(signal); };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, ownGroup ? forward(signal) : () => undefined);
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (c, s) => resolve({ code: c, signal: s }));
    child.on('error', (err) => {
      console.error(`mts: cannot start the trainer: ${err.message}`);
      resolve({ code: 1, signal: null });
    });
  });
  if (fault !== undefined) {
    const marked = runDir !== undefined && child.pid !== undefined && await endRun(runDir, child.pid, 'failed', fault);
    console.error(`error: ${fault}${marked ? ` (run.json of ${runDir} marked failed)` : ''}`);
    return 1;
  }
  if (signal === null) return code ?? 1;
  if (signal === 'SIGINT') {
    // Interrupted before it could handle Ctrl+C itself: the run (if any) reads cancelled.
    if (runDir && child.pid !== undefined) await endRun(runDir, child.pid, 'cancelled', 'interrupted');
    return 130;
  }
  const message = trainerSignalMessage(signal);
  const marked = runDir !== undefined && child.pid !== undefined && await endRun(runDir, child.pid, 'failed', message);
  console.error(`error: ${message}${marked ? ` (run.json of ${runDir} marked failed)` : ''}`);
  return 1;
}
