// Every example: parameter counts from core equal tfjs countParams() of the built model,
// and a brief training on the native backend completes with a full run folder.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import { countParams } from '../../../src/core/params';
import type { FromTrainer } from '../../../src/core/protocol';
import type { ExperimentSpec } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import { loadBackend } from '../../../src/trainer/backend';
import { buildModel } from '../../../src/trainer/model/build';
import { runExperiment } from '../../../src/trainer/run';
import { EXAMPLES, exampleDoc, exampleFile, onlyRun, tempDir } from './helpers';

for (const name of EXAMPLES) {
  test(`${name}: core parameter counts equal tfjs countParams()`, async () => {
    const { spec, problems } = validate(exampleDoc(name));
    assert.deepEqual(problems, []);
    const { tf } = await loadBackend('tensorflow');
    const built = buildModel(tf, spec!, analyzeGraph(spec!).order, 1);
    assert.equal(countParams(spec!).total, built.model.countParams());
    built.model.dispose();
  });

  test(`${name}: trains briefly on native TensorFlow and writes the whole run folder`, { timeout: 300_000 }, async () => {
    const runsDir = tempDir(`example-${name}`);
    const messages: FromTrainer[] = [];
    const doc = exampleDoc(name) as unknown as ExperimentSpec;
    // Brief: one epoch; generated sources shrink so every example stays quick.
    const source = doc.data.source.type === 'multimnist' ? { ...doc.data.source, samples: 1500 } : doc.data.source;
    const outcome = await runExperiment({
      doc: { ...doc, data: { ...doc.data, source } }, workspaceDir: path.dirname(exampleFile(name)), runsDir,
      backend: 'tensorflow', epochs: 1, emit: (m) => messages.push(m), cancelled: () => false,
    });
    assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'problems'), []);
    assert.equal(outcome, 'completed');
    const done = messages.find((m) => m.type === 'done');
    assert.ok(done && done.type === 'done');
    assert.equal(done.summary.backend, 'tensorflow');
    // Every phase (the shared model, each single-task baseline) ran a compiled step, none the tape: its log line says which.
    const steps = messages.flatMap((m) => (m.type === 'log' ? [/: \d+ steps, training step (.*)$/.exec(m.message)?.[1]] : [])).filter((p): p is string => !!p);
    assert.ok(steps.length > 0, 'the run log names the training step');
    for (const p of steps) assert.match(p, /^(native|fused graph)/);
    assert.ok(done.summary.baselines, 'single-task baselines are trained');
    assert.ok(Number.isFinite(done.summary.baselines.deltaM));
    // A gated sharing block (mmoe, ple) records each task's mean gate weights; rows sum to 1.
    const gated = doc.model.layers.some((l) => l.type === 'mmoe' || l.type === 'ple');
    assert.equal((done.summary.gates ?? []).length > 0, gated, 'gate means recorded exactly for gated blocks');
    for (const g of done.summary.gates ?? []) for (const row of g.weights) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    const runDir = onlyRun(runsDir, doc.name);
    for (const f of ['experiment.json', 'run.json', 'metrics.jsonl', 'metrics.csv', 'summary.json', 'report.md', 'model/model.json', 'model/weights.bin']) {
      assert.ok(fs.existsSync(path.join(runDir, f)), `${f} is written`);
    }
  });
}
