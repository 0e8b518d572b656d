// `mts train` (bin/mts.js) in a child process with a hook preloaded by --require, for the tests
// that make the command or its trainer misbehave at a chosen moment without timing
// (cliLoadSigint.test.ts, supervisorChannel.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { exampleDoc, ROOT, tempDir } from './helpers';

const MTS = path.join(ROOT, 'bin', 'mts.js');

export interface HookedTrain {
  /** The temporary folder: the experiment (exp.mtl.json), the hook and the runs (runs/). */
  dir: string;
  child: ChildProcess;
  /** What the command has printed so far. */
  output: { stdout: string; stderr: string };
  /** When the command has exited and its output closed. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `mts train` on correlated-regression (300 samples, no baselines) for `epochs` epochs in
 * a new temporary folder named from `prefix`. `hook(dir)` is the hook's JavaScript source, loaded
 * in the command and, through its execArgv, in its trainer child (which has MTS_TRAIN_CHILD=1).
 */
export function trainWithHook(prefix: string, epochs: number, hook: (dir: string) => string): HookedTrain {
  const dir = tempDir(prefix);
  const doc = { ...exampleDoc('correlated-regression'), evaluation: { baselines: 'none' } } as Record<string, unknown>;
  (doc.data as { source: Record<string, unknown> }).source.samples = 300;
  const file = path.join(dir, 'exp.mtl.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  const hookFile = path.join(dir, 'hook.js');
  fs.writeFileSync(hookFile, hook(dir));
  const child = spawn(process.execPath, ['--require', hookFile, MTS, 'train', file, '--epochs', String(epochs), '--out', path.join(dir, 'runs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => { output.stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { output.stderr += d.toString(); });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { dir, child, output, closed };
}
