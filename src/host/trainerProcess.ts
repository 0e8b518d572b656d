// Forks the trainer child process the way the extension runs it: VS Code's own runtime
// (process.execPath with ELECTRON_RUN_AS_NODE=1) or a configured Node, with an IPC
// channel carrying core/protocol messages. No vscode import: tests fork it the same way.
import { fork, type ChildProcess } from 'node:child_process';
import type { FromTrainer, ToTrainer } from '../core/protocol';
import { fromTrainerProblem, messagePreview } from '../core/trainerMessages';
import { TRAINER_NODE_FLAGS } from '../core/trainerFlags';

export interface TrainerProcessOptions {
  /** Path of the trainer bundle (dist/trainer.js). */
  script: string;
  /** Node executable; default: this process's runtime (Electron's Node inside VS Code). */
  nodePath?: string;
  cwd?: string;
  /** Lines of the child's stderr (native library messages, crashes), and messages dropped as outside the protocol. */
  onStderr?: (line: string) => void;
}

export interface TrainerProcess {
  readonly pid: number | undefined;
  send(msg: ToTrainer): void;
  onMessage(listener: (msg: FromTrainer) => void): void;
  /** Resolves when the process has exited; code null means killed by a signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(): void;
}

export function forkTrainer(opts: TrainerProcessOptions): TrainerProcess {
  const child: ChildProcess = fork(opts.script, [], {
    execPath: opts.nodePath || process.execPath,
    execArgv: [...process.execArgv, ...TRAINER_NODE_FLAGS],
    cwd: opts.cwd,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '2' },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let buffered = '';
  const onData = (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) opts.onStderr?.(line);
  };
  child.stderr?.on('data', onData);
  child.stdout?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (err) => {
      opts.onStderr?.(`could not start the trainer: ${err.message}`);
      resolve({ code: -1, signal: null });
    });
  });
  return {
    pid: child.pid,
    send: (msg) => { if (child.connected) child.send(msg); },
    // A message outside the protocol is said in the log and dropped (core/trainerMessages.ts).
    onMessage: (listener) => {
      child.on('message', (m: unknown) => {
        const problem = fromTrainerProblem(m);
        if (problem === undefined) listener(m as FromTrainer);
        else opts.onStderr?.(`ignored a message of the trainer outside the protocol (${problem}): ${messagePreview(m)}`);
      });
    },
    exited,
    kill: () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); },
  };
}
