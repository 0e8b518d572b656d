// A step in halves needs TensorFlow's inter-op pool of two threads, which TensorFlow reads once,
// at the process' first session: the native backend sets TF_NUM_INTEROP_THREADS=2 when asked for
// halves with one intra-op thread, says whether the process can run halves, and leaves a user's
// own TF_NUM_INTEROP_THREADS alone (-1: every op on the calling thread, no halves). Each case in
// a child process (the variables are read once per process).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { loadBackend } from '../../../src/trainer/backend';

const CHILD = 'MTS_HALVES_THREADS_CHILD';

async function child(): Promise<void> {
  const b = await loadBackend('tensorflow', { intraOpThreads: 1, stepHalves: true });
  console.log(JSON.stringify({ interOp: process.env.TF_NUM_INTEROP_THREADS, stepHalves: b.stepHalves }));
}

/** The child's report with TF_NUM_INTEROP_THREADS as given (undefined: unset). */
function run(interOp: string | undefined): { interOp?: string; stepHalves?: boolean } {
  const env: NodeJS.ProcessEnv = { ...process.env, [CHILD]: '1' };
  delete env.TF_NUM_INTRAOP_THREADS;
  delete env.TF_NUM_INTEROP_THREADS;
  if (interOp !== undefined) env.TF_NUM_INTEROP_THREADS = interOp;
  const r = spawnSync(process.execPath, [__filename], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { interOp?: string; stepHalves?: boolean };
}

if (process.env[CHILD]) {
  void child();
} else {
  test('asked for halves on one intra-op thread, TensorFlow loads with two inter-op threads', { timeout: 60_000 }, () => {
    assert.deepEqual(run(undefined), { interOp: '2', stepHalves: true });
  });

  test("a user's TF_NUM_INTEROP_THREADS wins: -1 runs every op on the calling thread, so no halves", { timeout: 60_000 }, () => {
    assert.deepEqual(run('-1'), { interOp: '-1', stepHalves: false });
  });
}
