// The exported package under another Keras 3 backend: KERAS_BACKEND=torch (PyTorch for CPU,
// from the local package index, scripts/setup-keras-torch-venv.sh) with the run's weights
// predicts what the product's own model predicts, within 1e-4 (relative above 1). Where PyTorch cannot be
// installed the test is skipped and says so. Installing PyTorch takes minutes, so it runs in
// `npm run test:export` (MTS_EXPORT_FULL=1), not in the CI budget of the unit suite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ExperimentSpec } from '../../../src/core/spec';
import { exportKeras } from '../../../src/trainer/export/keras/exportKeras';
import { runExperiment } from '../../../src/trainer/run';
import { ROOT, onlyRun, tempDir } from '../trainer/helpers';
import { EVERY_LAYER, FULL, productPredictions, ROWS } from './fidelityCases';
import { runPython } from './kerasPython';

const TOLERANCE = 1e-4;

function torchPython(): { python?: string; why?: string } {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts', 'setup-keras-torch-venv.sh')], { encoding: 'utf8', timeout: 900_000 });
  const python = r.stdout.trim().split('\n').pop();
  if (r.status === 0 && python && fs.existsSync(python)) return { python };
  return { why: `PyTorch for CPU could not be installed from the local package index (scripts/setup-keras-torch-venv.sh exited ${r.status}): ${r.stderr.trim().split('\n').slice(-2).join(' ')}` };
}

test('the export runs under KERAS_BACKEND=torch and predicts as the product within 1e-4', { timeout: 900_000 }, async (t) => {
  if (!FULL) {
    t.skip('the PyTorch backend runs in `npm run test:export` (MTS_EXPORT_FULL=1)');
    return;
  }
  const { python, why } = torchPython();
  if (!python) {
    t.skip(why);
    return;
  }
  const root = tempDir('keras-torch');
  const runsDir = path.join(root, 'runs');
  assert.equal(await runExperiment({ doc: EVERY_LAYER, workspaceDir: root, runsDir, backend: 'tensorflow', emit: () => undefined, cancelled: () => false }), 'completed');
  const runDir = onlyRun(runsDir, EVERY_LAYER.name);
  const { packageDir } = await exportKeras({ source: runDir, outDir: path.join(root, 'export'), format: 'keras', workspaceDir: root });
  const runSpec = JSON.parse(fs.readFileSync(path.join(runDir, 'experiment.json'), 'utf8')) as ExperimentSpec;
  const expected = await productPredictions(runSpec, runDir, root);
  const pkg = path.basename(packageDir);
  const got = JSON.parse(runPython(python, String.raw`
import json
import keras
import numpy as np
from ${pkg} import data, model, weights
assert keras.backend.backend() == "torch", keras.backend.backend()
x, _ = data.load_splits()["test"]
network = model.build_model()
weights.load_run_weights(network, "${pkg}/weights")
predictions = network.predict({k: v[:${ROWS}] for k, v in x.items()}, verbose=0)
print(json.dumps({task: np.asarray(p).tolist() for task, p in predictions.items()}))
`, path.dirname(packageDir), { KERAS_BACKEND: 'torch' })) as Record<string, number[][]>;
  let gap = 0;
  for (const [task, rows] of Object.entries(expected)) {
    assert.ok(got[task], `an output named ${task}`);
    // Relative above 1: a regression output can pass 1, and PyTorch rounds float32 its own way.
    rows.forEach((row, i) => row.forEach((v, j) => { gap = Math.max(gap, Math.abs(v - got[task]![i]![j]!) / Math.max(1, Math.abs(v))); }));
  }
  t.diagnostic(`every-layer under torch: max |keras(torch) - product| / max(1, |product|) = ${gap.toExponential(2)}`);
  assert.ok(gap <= TOLERANCE, `predictions differ by ${gap}`);
});
