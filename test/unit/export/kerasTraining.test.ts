// The exported package trains: the notebook's cells run in order (load the run's weights, train,
// plot or say why not), and weighting.py's train_step lowers the loss with every exported method;
// in `npm run test:export`, train.py at digits-parity's full settings matches the product's accuracy.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ExperimentSpec } from '../../../src/core/spec';
import { exportKeras } from '../../../src/trainer/export/keras/exportKeras';
import { runExperiment } from '../../../src/trainer/run';
import { exampleDoc, exampleFile, onlyRun, tempDir } from '../trainer/helpers';
import { briefly, FULL } from './fidelityCases';
import { requireKeras, runPython } from './kerasPython';

test('the exported notebook runs cell by cell, and every exported weighting method lowers the loss', { timeout: 600_000 }, async (t) => {
  const python = requireKeras(t);
  if (!python) return;
  const root = tempDir('keras-training');
  const spec: ExperimentSpec = briefly('conflicting-gradients');
  const runsDir = path.join(root, 'runs');
  const workspaceDir = path.dirname(exampleFile('conflicting-gradients'));
  assert.equal(await runExperiment({ doc: spec, workspaceDir, runsDir, backend: 'tensorflow', emit: () => undefined, cancelled: () => false }), 'completed');
  const { packageDir, notebook } = await exportKeras({ source: onlyRun(runsDir, spec.name), outDir: path.join(root, 'export'), format: 'notebook', workspaceDir });
  assert.ok(notebook);
  const pkg = path.basename(packageDir);
  const out = runPython(python, String.raw`
import contextlib, io, json
notebook = json.load(open(${JSON.stringify(notebook)}, encoding="utf-8"))
scope = {}
for cell in notebook["cells"]:
    if cell["cell_type"] == "code":
        exec("".join(cell["source"]), scope)
print("NOTEBOOK-DONE", json.dumps(scope["test_metrics"]))

import keras
from ${pkg} import data, model as model_py, weighting
from ${pkg}.train import dataset
splits = data.load_splits()
x, y = splits["train"]
falls = {}
for method, mode in (("equal", None), ("static", None), ("uncertainty", None), ("dwa", None), ("pcgrad", "parameters"),
                     ("pcgrad", "representation"), ("mgda", "parameters"), ("mgda", "representation")):
    keras.utils.set_random_seed(1)
    network = model_py.build_model()
    m = weighting.MultiTaskModel(network, model_py.TASKS, {"method": method, **({"mode": mode} if mode else {})},
                                 [network.get_layer(n) for n in model_py.SHARED_LAYERS],
                                 representation=[network.get_layer(n) for n in model_py.REPRESENTATION_LAYERS])
    m.compile(optimizer=keras.optimizers.SGD(0.01, momentum=0.9))
    with contextlib.redirect_stdout(io.StringIO()):
        h = m.fit(dataset(x, y, 64, False, 1), epochs=4, steps_per_epoch=15, callbacks=[weighting.EpochEnd()], verbose=0).history
    falls[method + (f" ({mode})" if mode else "")] = [float(v) for v in h["loss"]]
print("METHODS", json.dumps(falls))
`, path.dirname(packageDir), { MPLBACKEND: 'Agg' });
  const done = /^NOTEBOOK-DONE (.*)$/m.exec(out);
  assert.ok(done, `the notebook ran to its end:\n${out.slice(-1500)}`);
  const metrics = JSON.parse(done[1]!) as Record<string, { mae: number }>;
  assert.deepEqual(Object.keys(metrics).sort(), ['task1', 'task2']);
  assert.match(out, /matplotlib is not installed|NOTEBOOK-DONE/);
  const falls = JSON.parse(/^METHODS (.*)$/m.exec(out)![1]!) as Record<string, number[]>;
  t.diagnostic(Object.entries(falls).map(([m, l]) => `${m}: ${l[0]!.toFixed(3)} -> ${l[l.length - 1]!.toFixed(3)}`).join('; '));
  for (const [method, loss] of Object.entries(falls)) {
    assert.ok(loss.every(Number.isFinite), `${method}: finite losses`);
    // Uncertainty's total holds the learned s/2 terms, which go negative: its task losses are what must fall.
    if (method !== 'uncertainty') assert.ok(loss[loss.length - 1]! < loss[0]!, `${method}: the loss falls (${loss.join(' -> ')})`);
  }
});

test('train.py trains digits-parity at its full settings to within 1.5 points of the product\'s test accuracy per task', { timeout: 900_000 }, async (t) => {
  if (!FULL) {
    t.skip('full-length training runs in `npm run test:export` (MTS_EXPORT_FULL=1)');
    return;
  }
  const python = requireKeras(t);
  if (!python) return;
  const root = tempDir('keras-full');
  const runsDir = path.join(root, 'runs');
  const doc = { ...exampleDoc('digits-parity'), evaluation: { baselines: 'none' } } as unknown as ExperimentSpec;
  const workspaceDir = path.dirname(exampleFile('digits-parity'));
  assert.equal(await runExperiment({ doc, workspaceDir, runsDir, backend: 'tensorflow', emit: () => undefined, cancelled: () => false }), 'completed');
  const runDir = onlyRun(runsDir, doc.name);
  const product = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as { test: Record<string, { accuracy: number }> };
  const { packageDir } = await exportKeras({ source: runDir, outDir: path.join(root, 'export'), format: 'keras', workspaceDir });
  const out = runPython(python, `from ${path.basename(packageDir)} import train\ntrain.main(["--out", ${JSON.stringify(path.join(root, 'keras'))}])`, path.dirname(packageDir));
  const keras = (JSON.parse(out.trim().split('\n').pop()!) as { test: Record<string, { accuracy: number }> }).test;
  t.diagnostic(Object.keys(product.test).map((task) => `${task}: product ${product.test[task]!.accuracy} keras ${keras[task]!.accuracy}`).join('; '));
  for (const task of Object.keys(product.test)) {
    assert.ok(Math.abs(product.test[task]!.accuracy - keras[task]!.accuracy) <= 0.015, `${task}: product ${product.test[task]!.accuracy}, keras ${keras[task]!.accuracy}`);
  }
});
