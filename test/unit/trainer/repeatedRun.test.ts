// A repeated run for real (native TensorFlow, synthetic data, 1 epoch): one unit per seed (and
// fold), every phase of a unit trained on that unit's seed and fold, the data read once, the
// first repeat's curves and model in the run folder, and the repeats summarized in summary.json.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer, RunSummary } from '../../../src/core/protocol';
import { phaseKey } from '../../../src/core/phase';
import { correctedSummarize } from '../../../src/core/stats/correctedResampledT';
import { loadStratified } from '../../../src/trainer/data/load';
import { runExperiment } from '../../../src/trainer/run';
import { onlyRun, tempDir } from './helpers';

function doc(evaluation: Record<string, unknown>) {
  return {
    name: 'repeated',
    data: { source: { type: 'synthetic-correlated', samples: 240, correlation: 0.8, inputDim: 6, seed: 1 }, split: { validation: 0.1, test: 0.2, seed: 7 } },
    tasks: [{ id: 'y1', kind: 'regression', target: 'y1' }, { id: 'y2', kind: 'regression', target: 'y2' }],
    model: {
      inputs: [{ id: 'x', shape: [6] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['x'] },
        { id: 'out1', type: 'dense', units: 1, from: ['trunk'] },
        { id: 'out2', type: 'dense', units: 1, from: ['trunk'] },
      ],
      outputs: { y1: 'out1', y2: 'out2' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 32, seed: 42 },
    evaluation,
  };
}

async function run(evaluation: Record<string, unknown>) {
  const runsDir = tempDir('repeated');
  const messages: FromTrainer[] = [];
  let loads = 0;
  const outcome = await runExperiment({
    doc: doc(evaluation), workspaceDir: runsDir, runsDir, backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false,
    loadData: (spec, options) => { loads++; return loadStratified(spec, options); },
  });
  assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'problems'), []);
  assert.equal(outcome, 'completed');
  const summary = (messages.find((m) => m.type === 'done') as { summary: RunSummary }).summary;
  const started = messages.flatMap((m) => (m.type === 'started' ? [m] : []));
  return { runDir: onlyRun(runsDir, 'repeated'), summary, started, loads };
}

test('3 repeats: three units with seeds 42, 43, 44, every phase of a unit on its seed, the data read once', async () => {
  const { runDir, summary, started, loads } = await run({ repeats: 3 });
  assert.equal(loads, 1, 'the data source is read once for all repeats and phases');
  const r = summary.repeated!;
  assert.deepEqual(r.units.map((u) => [u.index, u.seed, u.fold]), [[0, 42, undefined], [1, 43, undefined], [2, 44, undefined]]);
  // Three phases per unit (shared, y1, y2), each started with its unit's place and seed.
  assert.deepEqual(started.map((m) => `${m.repeat?.index}:${m.repeat?.seed}:${phaseKey(m.phase)}`), [0, 1, 2].flatMap((i) =>
    ['shared', 'baseline:y1', 'baseline:y2'].map((p) => `${i}:${42 + i}:${p}`)));
  assert.ok(started.every((m) => m.repeat?.of === 3));
  // Another seed trains another model: the repeats' results differ, and each has its own Δm against its own baselines.
  assert.equal(new Set(r.units.map((u) => u.test.y1!.mae)).size, 3);
  assert.equal(new Set(r.units.map((u) => u.baselines!.y1!.mae)).size, 3);
  assert.ok(r.units.every((u) => Number.isFinite(u.deltaM)));
  assert.equal(r.deltaM!.n, 3);
  assert.ok(['helped', 'hurt', 'no-difference'].includes(r.deltaM!.verdict));
  assert.equal(r.test.y1!.mae!.n, 3);
  // The run's own results are the first repeat's (its model is saved); the run folder logs only its curves.
  assert.deepEqual(summary.test, r.units[0]!.test);
  const testRecords = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { split: string; task: string; metric: string; baseline?: string })
    .filter((p) => p.split === 'test' && p.baseline === undefined && p.task === 'y1' && p.metric === 'mae');
  assert.equal(testRecords.length, 1, 'one test value of the shared model in metrics.jsonl, not one per repeat');
  assert.ok(fs.existsSync(path.join(runDir, 'model', 'model.json')));
  const report = fs.readFileSync(path.join(runDir, 'report.md'), 'utf8');
  assert.match(report, /## Repeated runs/);
  assert.match(report, /\*\*Δm = [+−][\d.]+ % ± [\d.]+ \(95 % CI .* n = 3\): (sharing helped|sharing hurt|no difference that these runs can show)\.\*\*/);
});

test('2 folds × 2 seeds: each fold trains every seed and phase, and the data is still read once', async () => {
  const { summary, started, loads } = await run({ repeats: 2, crossValidation: { folds: 2, test: 'nested' } });
  assert.equal(loads, 1);
  const r = summary.repeated!;
  assert.deepEqual(r.units.map((u) => [u.seed, u.fold?.index, u.fold?.of]), [[42, 0, 2], [43, 0, 2], [42, 1, 2], [43, 1, 2]]);
  // Every phase of a unit started on that unit's fold and seed.
  for (const u of r.units) {
    const phases = started.filter((m) => m.repeat?.index === u.index);
    assert.equal(phases.length, 3);
    assert.ok(phases.every((m) => m.repeat?.seed === u.seed && m.repeat.fold?.index === u.fold?.index));
  }
  // Nested: the folds test on different rows, so the same seed measures differently on each fold.
  assert.notEqual(r.units[0]!.test.y1!.mae, r.units[2]!.test.y1!.mae);
  // Folds share training rows: the interval is the corrected resampled t, with the folds' own rows, and the summary says so.
  assert.deepEqual(r.units.map((u) => u.rows), [0, 0, 1, 1].map((f) => ({ train: r.units[2 * f]!.rows!.train, test: 120 })));
  const ratio = r.units.reduce((a, u) => a + u.rows!.test / u.rows!.train, 0) / 4;
  const d = correctedSummarize(r.units.map((u) => u.deltaM!), ratio);
  assert.deepEqual([r.deltaM!.low, r.deltaM!.high], [d.low, d.high]);
  assert.match(r.method, /^95 % corrected resampled t interval \(Nadeau and Bengio 2003\), 2 folds × 2 seeds: /);
});

test('crossValidation.fold trains that one fold alone, a plain run on its rows', async () => {
  const { summary, started } = await run({ crossValidation: { folds: 2, test: 'nested', fold: 2 } });
  assert.equal(summary.repeated, undefined);
  assert.equal(started.length, 3, 'the shared model and two baselines, once');
  // Nested, 240 rows in 2 folds: the second fold (120 rows) is the test split.
  assert.equal(summary.labelled?.rows.test, 120);
  const all = await run({ repeats: 1, crossValidation: { folds: 2, test: 'nested' } });
  assert.deepEqual(summary.test, all.summary.repeated!.units[1]!.test, 'the same model as fold 2 of the whole cross-validation');
});
