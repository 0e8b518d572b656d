// With one intra-op thread (a small model: threads.ts), a graph session runs its ops on the
// calling thread (TF_NUM_INTEROP_THREADS=-1, set when the native backend loads) instead of
// handing each op to TensorFlow's inter-op pool. Seen from the process: the main thread does the
// session's work. The variables are read once per process, so the check runs in a child process.
// Linux only (/proc/thread-self/schedstat gives the main thread's CPU time).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { openSession } from '../../../src/trainer/graph/session';

const CHILD = 'MTS_SESSION_THREADS_CHILD';

/** In the child: the share of a session's CPU time (a 512x512 MatMul, 40 runs) spent on the main thread. */
async function child(): Promise<void> {
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: 1 });
  const g = new GraphBuilder();
  const a = g.placeholder('a', [512, 512]);
  const product = g.op('MatMul', [a, a], { T: { type: 'float' }, transpose_a: { b: false }, transpose_b: { b: false } }, 'product');
  const session = openSession(tf, g.savedModel(['serve']));
  const input = tf.randomUniform([512, 512]);
  const run = () => tf.dispose(session.run([{ name: a }], [input], [product]) as TF.Tensor[]);
  run();
  const mainNs = () => Number(fs.readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  const cpu = process.cpuUsage();
  const main = mainNs();
  for (let k = 0; k < 40; k++) run();
  const all = process.cpuUsage(cpu);
  console.log(JSON.stringify({ interOp: process.env.TF_NUM_INTEROP_THREADS, mainShare: (mainNs() - main) / 1000 / (all.user + all.system) }));
  session.dispose();
}

if (process.env[CHILD]) {
  void child();
} else {
  test('with one intra-op thread, a graph session runs its ops on the calling thread', { skip: process.platform !== 'linux', timeout: 60_000 }, () => {
    const env: NodeJS.ProcessEnv = { ...process.env, [CHILD]: '1' };
    delete env.TF_NUM_INTRAOP_THREADS;
    delete env.TF_NUM_INTEROP_THREADS;
    const r = spawnSync(process.execPath, [__filename], { env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const line = JSON.parse(r.stdout.trim().split('\n').pop()!) as { interOp?: string; mainShare: number };
    assert.equal(line.interOp, '-1');
    // The inter-op pool leaves the main thread a few per cent (waiting for the step's end); the caller runs nearly all of it.
    assert.ok(line.mainShare > 0.8, `main thread's share of the session's CPU time: ${line.mainShare}`);
  });
}
