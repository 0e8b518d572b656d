// The exported train.py on TensorFlow's own distribution engine: two `train.py --workers 2`
// processes on localhost (TF_CONFIG each, as a cluster sets it) finish, their loss falls, and
// the weights equal one worker's with the same global batch (fixed seed, no shuffle) within 1e-4 (relative above 1),
// with the example's schedule and momentum and with gradient clipping.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { exportKeras } from '../../../src/trainer/export/keras/exportKeras';
import { exampleDoc, tempDir } from '../trainer/helpers';
import { requireKeras, runPython } from './kerasPython';

const TOLERANCE = 1e-4;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs `python -m <pkg>.train ARGS` in `cwd`; resolves with its exit code and output. */
function train(python: string, cwd: string, pkg: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(python, ['-m', `${pkg}.train`, ...args], {
      cwd, env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '-1', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
  });
}

test('train.py on 2 workers (MultiWorkerMirroredStrategy, TF_CONFIG) finishes, lowers the loss and equals 1 worker within 1e-4', { timeout: 360_000 }, async (t) => {
  const python = requireKeras(t);
  if (!python) return;
  const root = tempDir('keras-workers');
  const doc = exampleDoc('correlated-regression');
  const file = path.join(root, 'experiment.mtl.json');
  // clipNorm binds: the global norm is taken of the update summed over the workers, as one worker takes it of its whole batch.
  fs.writeFileSync(file, JSON.stringify({ ...doc, data: { ...(doc.data as object), source: { ...(doc.data as { source: object }).source, samples: 1500 } },
    training: { ...(doc.training as object), clipNorm: 0.5 } }));
  const { packageDir } = await exportKeras({ source: file, outDir: path.join(root, 'export'), format: 'keras' });
  const cwd = path.dirname(packageDir), pkg = path.basename(packageDir);
  const ports = [await freePort(), await freePort()];
  const cluster = { worker: ports.map((p) => `127.0.0.1:${p}`) };
  const common = ['--epochs', '3', '--steps', '6', '--batch-size', '32', '--no-shuffle'];
  const [w0, w1, single] = await Promise.all([
    ...[0, 1].map((index) => train(python, cwd, pkg, ['--workers', '2', ...common, '--out', path.join(root, 'two')],
      { TF_CONFIG: JSON.stringify({ cluster, task: { type: 'worker', index } }) })),
    train(python, cwd, pkg, [...common, '--out', path.join(root, 'one')]),
  ]);
  for (const [label, r] of [['worker 0', w0!], ['worker 1', w1!], ['single worker', single!]] as const) {
    assert.equal(r.code, 0, `${label} finishes:\n${r.out.slice(-2000)}`);
  }
  const history = JSON.parse(fs.readFileSync(path.join(root, 'two', 'history.json'), 'utf8')) as Record<string, number[]>;
  const loss = history.loss!;
  assert.ok(loss[loss.length - 1]! < loss[0]!, `the loss falls: ${loss.join(' -> ')}`);
  const gaps = JSON.parse(runPython(python, String.raw`
import json, numpy as np
one, two, other = (np.load(p) for p in (r"${path.join(root, 'one', 'weights.npz')}", r"${path.join(root, 'two', 'weights.npz')}", r"${path.join(root, 'two', 'worker-1', 'weights.npz')}"))
assert sorted(one.files) == sorted(two.files)
# Relative above 1: a weight can pass 1, and the all-reduce adds the workers' gradients in its own order.
gap = lambda a, b: float((np.abs(a - b) / np.maximum(1, np.abs(b))).max())
print(json.dumps({"single": max(gap(two[k], one[k]) for k in one.files),
                  "workers": max(gap(other[k], two[k]) for k in one.files)}))
`, root)) as { single: number; workers: number };
  t.diagnostic(`loss ${loss.map((v) => v.toFixed(4)).join(' -> ')}; max |2 workers - 1 worker| = ${gaps.single.toExponential(2)}; between workers ${gaps.workers.toExponential(2)}`);
  assert.ok(gaps.workers <= TOLERANCE, `the two workers hold the same weights (gap ${gaps.workers})`);
  assert.ok(gaps.single <= TOLERANCE, `2 workers equal 1 worker with the same global batch (gap ${gaps.single})`);
});
