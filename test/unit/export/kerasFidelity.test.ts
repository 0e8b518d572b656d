// Bundled examples (and one experiment holding every other layer type), trained briefly by the
// product, exported to Keras 3 from the run folder: the Keras model with the run's weights, fed by the exported data.py (the product's
// split, imputation and preprocessing refitted in numpy), predicts what the product's own saved
// model predicts on the first 100 test examples, within 1e-5, relative above 1 (native TensorFlow on both sides).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ExperimentSpec } from '../../../src/core/spec';
import { exportKeras } from '../../../src/trainer/export/keras/exportKeras';
import { runExperiment } from '../../../src/trainer/run';
import { EXAMPLES, exampleFile, onlyRun, tempDir } from '../trainer/helpers';
import { briefly, CI_EXAMPLES, EVERY_LAYER, FULL, productPredictions, ROWS } from './fidelityCases';
import { requireKeras, runPython } from './kerasPython';

const TOLERANCE = 1e-5;

test('examples exported to Keras predict as the product on 100 test examples (max diff 1e-5, relative above 1)', { timeout: 600_000 }, async (t) => {
  const python = requireKeras(t);
  if (!python) return;
  const root = tempDir('keras-fidelity');
  const packages: Array<{ example: string; pkg: string; expected: Record<string, number[][]> }> = [];
  const cases = [...(FULL ? EXAMPLES : CI_EXAMPLES).map((name) => ({ name, spec: briefly(name), workspaceDir: path.dirname(exampleFile(name)) })),
    { name: EVERY_LAYER.name, spec: EVERY_LAYER, workspaceDir: root }];
  for (const { name, spec, workspaceDir } of cases) {
    const runsDir = path.join(root, 'runs');
    const outcome = await runExperiment({ doc: spec, workspaceDir, runsDir, backend: 'tensorflow', emit: () => undefined, cancelled: () => false });
    assert.equal(outcome, 'completed', `${name} trains`);
    const runDir = onlyRun(runsDir, spec.name);
    const exported = await exportKeras({ source: runDir, outDir: path.join(root, 'export'), format: 'keras', workspaceDir });
    assert.ok(exported.hasWeights);
    const runSpec = JSON.parse(fs.readFileSync(path.join(runDir, 'experiment.json'), 'utf8')) as ExperimentSpec;
    packages.push({ example: name, pkg: path.basename(exported.packageDir), expected: await productPredictions(runSpec, runDir, workspaceDir) });
  }
  const script = String.raw`
import importlib, json
import numpy as np
result = {}
for pkg in json.loads(${JSON.stringify(JSON.stringify(packages.map((p) => p.pkg)))}):
    data = importlib.import_module(pkg + ".data")
    model = importlib.import_module(pkg + ".model")
    weights = importlib.import_module(pkg + ".weights")
    x, _ = data.load_splits()["test"]
    network = model.build_model()
    weights.load_run_weights(network, pkg + "/weights")
    predictions = network.predict({k: v[:${ROWS}] for k, v in x.items()}, verbose=0)
    result[pkg] = {task: np.asarray(p).tolist() for task, p in predictions.items()}
print(json.dumps(result))
`;
  const keras = JSON.parse(runPython(python, script, path.join(root, 'export'))) as Record<string, Record<string, number[][]>>;
  const gaps = packages.map(({ example, pkg, expected }) => {
    let gap = 0;
    for (const [task, rows] of Object.entries(expected)) {
      const got = keras[pkg]?.[task];
      assert.ok(got, `${example}: the Keras model has an output named ${task}`);
      assert.equal(got.length, rows.length, `${example}/${task}: rows`);
      // Relative above 1: a regression output can pass 1, where Python's TensorFlow (another build, other kernels) rounds float32 at its size.
      rows.forEach((row, i) => row.forEach((v, j) => { gap = Math.max(gap, Math.abs(v - got[i]![j]!) / Math.max(1, Math.abs(v))); }));
    }
    return { example, gap };
  });
  t.diagnostic(gaps.map((g) => `${g.example}: max |keras - product| / max(1, |product|) = ${g.gap.toExponential(2)}`).join('; '));
  for (const g of gaps) assert.ok(g.gap <= TOLERANCE, `${g.example}: predictions differ by ${g.gap} (> ${TOLERANCE})`);
});
