// Forks the trainer child process the way the extension runs it: VS Code's own runtime
// (process.execPath with ELECTRON_RUN_AS_NODE=1) or a configured Node, with an IPC
// channel carrying core/protocol messages. No vscode import: tests fork it the same way.
// Bytes on the channel that are not a message (node/channelGuard.ts) end the trainer: its listeners
// get one 'error' saying so, later messages are dropped (the parser's state is lost), and
// `exited` carries the fault so that the session ends the run with it.
import { fork, type ChildProcess } from 'node:child_process';
import type { FromTrainer, ToTrainer } from '../core/protocol';
import { fromTrainerProblem, messagePreview } from '../core/trainerMessages';
import { TRAINER_NODE_FLAGS } from '../core/trainerFlags';
import { channelFaultMessage, guardChannel } from '../node/channelGuard';

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
  /** Resolves when the process has exited; code null means killed by a signal; fault: why the host killed it (its channel broke). */
  readonly exited: Promise<TrainerExit>;
  kill(): void;
}

export interface TrainerExit { code: number | null; signal: NodeJS.Signals | null; fault?: string }

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
  let fault: string | undefined;
  const listeners: ((msg: FromTrainer) => void)[] = [];
  guardChannel(child, (err) => {
    fault = channelFaultMessage(err);
    opts.onStderr?.(fault);
    for (const l of listeners) l({ type: 'error', message: fault });
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const exited = new Promise<TrainerExit>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, ...(fault ? { fault } : {}) }));
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
      listeners.push(listener);
      child.on('message', (m: unknown) => {
        if (fault) return;
        const problem = fromTrainerProblem(m);
        if (problem === undefined) listener(m as FromTrainer);
        else opts.onStderr?.(`ignored a message of the trainer outside the protocol (${problem}): ${messagePreview(m)}`);
      });
    },
    exited,
    kill: () => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); },
  };
}
