// The findings of the hardening campaign, through the real CLI and the forked trainer: a
// model or data set too big for memory is refused at its setting (file:line:column and the
// JSON path) with the estimate, exit 1, before any data is generated, any tensor allocated
// or any run folder created. Before: `units: 1e7` grew past 14 GB, conv `filters: 1e6` ended
// in SIGSEGV with run.json left "running", synthetic `inputDim: 1e9` aborted with a V8
// out-of-memory trace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import { forkTrainer } from '../../../src/host/trainerProcess';
import { exampleDoc, ROOT, tempDir } from './helpers';

// A bounded child: a refusal that regressed into real work fails here instead of filling the machine.
const mts = (...args: string[]) => spawnSync(process.execPath, ['--max-old-space-size=1024', path.join(ROOT, 'bin', 'mts.js'), ...args],
  { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });

type Doc = Record<string, any>;

function writeDoc(dir: string, doc: unknown): string {
  const file = path.join(dir, 'big.mtl.json');
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

/** Trains `doc` with the CLI; asserts exit 1, the located message, and that no run folder was made. */
function refusedByTrain(doc: Doc, jsonPath: string, message: RegExp, options: string[] = [], dir = tempDir('budget')): string {
  const file = writeDoc(dir, doc);
  const runs = path.join(dir, 'runs');
  const r = mts('train', file, '--out', runs, ...options);
  assert.equal(r.status, 1, `exit code (stderr: ${r.stderr})`);
  const line = r.stderr.split('\n').find((l) => l.includes(`(${jsonPath})`));
  assert.ok(line, `a problem at ${jsonPath} in: ${r.stderr}`);
  assert.match(line, /big\.mtl\.json:\d+:\d+: error: /);
  assert.match(line, message);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(fs.existsSync(runs), false, 'no run folder');
  return line;
}

test('units: 1e7 is refused by the schema; units: 1e6 by the budget, with the estimate', { timeout: 120_000 }, () => {
  const doc = exampleDoc('digits-parity') as Doc;
  doc.model.layers[0].units = 1e7;
  refusedByTrain(doc, 'model.layers.0.units', /"units" must be an integer ≥ 1 and ≤ 1000000, got 10000000/);
  doc.model.layers[0].units = 1e6;
  // 849,000,779 parameters at 4 floats each with SGD, and evaluation batches of 2,048 examples.
  refusedByTrain(doc, 'model.layers.0.units',
    /Training needs about 36 GB for parameters, gradients and optimizer state 13 GB \(849,000,779 parameters\), activations 23 GB \(evaluation batches of 2,048\); the budget is 8 GB \(--max-memory 8 GB\)\. Lower units of layer "trunk1"/,
    ['--max-memory', '8GB']);
});

test('conv filters: 1e6 is refused by the schema; 100,000 filters by the budget', { timeout: 120_000 }, () => {
  const doc = exampleDoc('multimnist-cnn') as Doc;
  doc.model.layers[0].filters = 1e6;
  refusedByTrain(doc, 'model.layers.0.filters', /"filters" must be an integer ≥ 1 and ≤ 100000, got 1000000/);
  doc.model.layers[0].filters = 100_000;
  refusedByTrain(doc, 'model.layers.0.filters', /Training needs about [\d.]+ (GB|TB) .*Lower filters of layer "conv1" \(at/);
});

test('synthetic inputDim: 1e9 is refused by the schema; a million features by the budget, before any row is generated', { timeout: 120_000 }, () => {
  const doc = exampleDoc('correlated-regression') as Doc;
  doc.data.source.inputDim = 1e9;
  refusedByTrain(doc, 'data.source.inputDim', /"inputDim" must be an integer ≥ 2 and ≤ 1000000, got 1000000000/);
  // 8,000 examples of a million features: 60 GB of data (the default budget, half of any machine
  // this runs on, is smaller; generating it would take minutes and all the memory).
  doc.data.source.inputDim = 1_000_000;
  doc.model.inputs[0].shape = [1_000_000];
  doc.model.layers[0].units = 1;
  refusedByTrain(doc, 'data.source.inputDim', /Training needs about \d+ GB .*data 60 GB; the budget is .*Lower data\.source\.inputDim/, ['--max-memory', '16GB']);
});

test('a huge batch is refused at training.batchSize', { timeout: 120_000 }, () => {
  const doc = exampleDoc('correlated-regression') as Doc;
  doc.data.source.samples = 1_000_000;
  doc.training.batchSize = 1_000_000;
  doc.model.layers[0].units = 4096;
  refusedByTrain(doc, 'training.batchSize', /activations at batch 1,000,000 \d+ GB.*Lower training\.batchSize/, ['--max-memory', '8GB']);
});

test('the trainer counts a CSV\'s rows before reading it: validate, data and train refuse the same data', { timeout: 120_000 }, () => {
  const dir = tempDir('budget-csv');
  // 3,000 rows of 200 numeric features: 3,000 · (200 · 2 + 2) · 4 bytes = 4.6 MB of data, 24 KB of model.
  const header = [...Array.from({ length: 200 }, (_, j) => `f${j}`), 'y'];
  const rows = Array.from({ length: 3000 }, (_, i) => [...Array.from({ length: 200 }, (_, j) => ((i * 7 + j) % 13) / 13), i % 2].join(','));
  fs.writeFileSync(path.join(dir, 'wide.csv'), [header.join(','), ...rows].join('\n') + '\n');
  const doc = {
    name: 'wide',
    data: { source: { type: 'csv', path: 'wide.csv' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [{ id: 'y', kind: 'binary', target: 'y' }],
    model: { inputs: [{ id: 'x', shape: [200] }], layers: [{ id: 'out', type: 'dense', units: 1, activation: 'sigmoid', from: ['x'] }], outputs: { y: 'out' } },
    training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 32, seed: 1 },
  };
  const file = writeDoc(dir, doc);
  const ok = mts('validate', file, '--max-memory', '64MB');
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^memory: ~ \d\.\d MB at batch 32 \(budget 64 MB\)$/m);

  const v = mts('validate', file, '--max-memory', '4MB');
  assert.equal(v.status, 1);
  assert.match(v.stderr, /big\.mtl\.json:\d+:\d+: error: Training needs about \d\.\d MB .*data 4\.6 MB; the budget is 4 MB \(--max-memory 4 MB\)\. Lower the rows of the data file \(at data\.source\.path\), or raise --max-memory\. \(data\.source\.path\)/);
  const d = mts('data', file, '--max-memory', '4MB');
  assert.equal(d.status, 1);
  assert.match(d.stderr, /error: data\.source\.path: The data needs about 4\.6 MB for 3,000 examples of 200 values; the budget is 4 MB/);
  refusedByTrain(doc, 'data.source.path', /data 4\.6 MB; the budget is 4 MB/, ['--max-memory', '4MB'], dir);
  // Usage: a size the option cannot read.
  const bad = mts('validate', file, '--max-memory', 'lots');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--max-memory must be a size such as 8GB or 512MB \(got lots\)/);
});

test('the forked trainer applies multiTaskStudio.maxMemory from the start message and exits 1 without a run folder', { timeout: 120_000 }, async () => {
  const runsDir = path.join(tempDir('budget-child'), 'runs');
  const doc = exampleDoc('digits-parity') as Doc;
  doc.model.layers[0].units = 100_000;
  const messages: FromTrainer[] = [];
  const trainer = forkTrainer({ script: path.join(ROOT, 'dist', 'trainer.js') });
  trainer.onMessage((m) => messages.push(m));
  trainer.send({ type: 'start', doc, specPath: 'big.mtl.json', workspaceDir: ROOT, runsDir, backend: 'auto', maxMemory: 512 * 1024 ** 2 });
  const { code } = await trainer.exited;
  assert.equal(code, 1);
  const problems = messages.find((m) => m.type === 'problems');
  assert.ok(problems && problems.type === 'problems');
  assert.deepEqual(problems.problems.map((p) => p.path), [['model', 'layers', 0, 'units']]);
  assert.match(problems.problems[0]!.message, /the budget is 512 MB \(multiTaskStudio\.maxMemory 512 MB\)\. Lower units of layer "trunk1" .*or raise multiTaskStudio\.maxMemory\./);
  assert.equal(messages.some((m) => m.type === 'started'), false);
  assert.equal(fs.existsSync(runsDir), false);
});
