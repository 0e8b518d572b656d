// Data at the sizes users have: hundreds of thousands of rows load, preview and train. (The
// full million rows run in `npm run bench:data`, which prints time and peak memory.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { FromTrainer } from '../../../src/core/protocol';
import { loadExperimentData } from '../../../src/trainer/data/load';
import { splitIndices } from '../../../src/trainer/data/split';
import { summarizeData } from '../../../src/trainer/data/summary';
import { runExperiment } from '../../../src/trainer/run';
import type { ExperimentSpec } from '../../../src/core/spec';
import { writeWideExperiment } from '../../../bench/wideCsv';
import { tempDir } from '../../tempFolders';

const ROWS = 200_000;

test('a split of 300,000 rows, stratified or not, does not overflow the call stack', () => {
  const n = 300_000;
  const plain = splitIndices(n, { validation: 0.1, test: 0.1, seed: 1 });
  assert.deepEqual([plain.train.length, plain.validation.length, plain.test.length], [240_000, 30_000, 30_000]);
  const strata = Int32Array.from({ length: n }, (_, i) => i % 3);
  const stratified = splitIndices(n, { validation: 0.1, test: 0.1, seed: 1 }, strata);
  assert.equal(stratified.train.length + stratified.validation.length + stratified.test.length, n);
});

test('synthetic data of 200,000 samples loads and splits', () => {
  const data = loadExperimentData({
    data: { source: { type: 'synthetic-correlated', correlation: 0.5, samples: 200_000, inputDim: 4 }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [{ id: 'a', kind: 'regression', target: 'y1' }, { id: 'b', kind: 'regression', target: 'y2' }],
  }, { workspaceDir: tempDir('scale-synthetic') }); // a synthetic source reads no file
  assert.deepEqual([data.train.n, data.validation.n, data.test.n], [160_000, 20_000, 20_000]);
});

test(`a ${ROWS.toLocaleString('en-US')}-row, 20-column CSV loads, previews (first rows, class balance) and trains an epoch`, { timeout: 600_000 }, async () => {
  const dir = tempDir('scale');
  try {
    const { doc } = writeWideExperiment(dir, ROWS);
    const spec = doc as unknown as ExperimentSpec;

    const summary = summarizeData(spec, { workspaceDir: dir });
    assert.equal(summary.examples, ROWS);
    assert.equal(summary.firstRows?.totalRows, ROWS);
    assert.equal(summary.firstRows?.rows.length, 8);
    assert.equal(summary.firstRows?.columns.length, 20);
    const level = summary.tasks.find((t) => t.task === 'level');
    assert.ok(level && 'classes' in level && level.classes);
    assert.deepEqual(level.classes.map((c) => c.name), ['high', 'low', 'mid']);
    const counted = level.classes.reduce((a, c) => a + c.counts.train + c.counts.validation + c.counts.test, 0);
    assert.equal(counted, ROWS);
    assert.ok(summary.notes.some((l) => /Imputed/.test(l)), summary.notes.join('\n'));

    const messages: FromTrainer[] = [];
    const outcome = await runExperiment({ doc, workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'tensorflow', epochs: 1,
      emit: (m) => messages.push(m), cancelled: () => false });
    assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error' || m.type === 'problems')));
    assert.equal(messages.filter((m) => m.type === 'epochEnd').length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
