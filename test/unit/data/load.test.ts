import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import type { DataSpec, TaskSpec } from '../../../src/core/spec';
import { SeededRandom } from '../../../src/core/random';
import { loadExperimentData } from '../../../src/trainer/data/load';
import { datasetColumns } from '../../../src/trainer/data/columns';
import { splitIndices } from '../../../src/trainer/data/split';
import { DataError } from '../../../src/trainer/data/errors';
import { tempDir } from '../../tempFolders';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
}
const ROOT = repoRoot();
const EXAMPLE = 'examples/tabular-csv/patients.csv';

function workspace(files: Record<string, string>): string {
  const dir = tempDir('data');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const patientTasks: TaskSpec[] = [
  { id: 'readmission', kind: 'binary', target: 'readmitted' },
  { id: 'stay', kind: 'regression', target: 'length_of_stay' },
];
const split = { validation: 0.15, test: 0.15, seed: 7 };

test('the example patients.csv loads: both tasks, ~3% missing cells imputed, stratified by readmission', () => {
  const data = loadExperimentData({
    data: { source: { type: 'csv', path: EXAMPLE, missing: 'impute' }, preprocess: [{ op: 'zscore' }], split },
    tasks: patientTasks,
  }, { workspaceDir: ROOT });
  assert.equal(data.train.n + data.validation.n + data.test.n, 2000);
  assert.deepEqual(data.train.featureNames, ['age', 'bmi', 'systolic_bp', 'cholesterol', 'glucose', 'exercise_hours',
    'smoker=current', 'smoker=former', 'smoker=never']);
  assert.deepEqual(data.train.classNames, { readmitted: ['no', 'yes'] });
  assert.equal(data.stratifiedBy, 'readmitted');
  const imputed = data.report.find((line) => line.startsWith('Imputed '));
  const count = Number(/^Imputed (\d+)/.exec(imputed ?? '')?.[1]);
  assert.ok(count > 0.02 * 3 * 2000 && count < 0.04 * 3 * 2000, `imputed ${count}`);
  for (const part of [data.train, data.validation, data.test]) {
    assert.ok(part.features.every(Number.isFinite));
    const share = part.targets.readmitted!.reduce((a, b) => a + b, 0) / part.n;
    assert.ok(Math.abs(share - 0.371) < 0.01, `readmitted share ${share}`);
  }
  // z-scored on the training split: mean 0 there (one-hot columns untouched).
  const d = 9;
  const ageMean = Array.from({ length: data.train.n }, (_, i) => data.train.features[i * d]!).reduce((a, b) => a + b, 0) / data.train.n;
  assert.ok(Math.abs(ageMean) < 1e-4);
  assert.ok(data.train.features.every((v, k) => k % d < 6 || v === 0 || v === 1));
});

test('with missing "drop" the rows with gaps are gone and counted', () => {
  const data = loadExperimentData({ data: { source: { type: 'csv', path: EXAMPLE }, split }, tasks: patientTasks }, { workspaceDir: ROOT });
  const line = data.report.find((l) => l.startsWith('Dropped '));
  const dropped = Number(/^Dropped (\d+) rows with missing feature values/.exec(line ?? '')?.[1]);
  assert.equal(data.train.n + data.validation.n + data.test.n, 2000 - dropped);
  assert.ok(dropped > 100 && dropped < 250, line);
});

test('scripts/make-tabular-csv.mjs regenerates the committed example byte for byte', () => {
  const out = path.join(workspace({}), 'patients.csv');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/make-tabular-csv.mjs'), out]);
  assert.ok(fs.readFileSync(out).equals(fs.readFileSync(path.join(ROOT, EXAMPLE))));
  assert.ok(fs.statSync(out).size < 200_000);
});

// A table where the validation and test rows can be changed without touching the training rows.
function leakCsv(n: number, heldOut: Set<number>, poison: boolean): string {
  const rng = new SeededRandom(123);
  const lines = ['x1,x2,kind,y'];
  for (let i = 0; i < n; i++) {
    let x1: string = rng.normal(5, 2).toFixed(3);
    let x2: string = rng.normal(-1, 0.5).toFixed(3);
    const kind = ['a', 'b', 'c'][rng.int(3)]!;
    const y = rng.normal().toFixed(3);
    if (i % 9 === 0) x1 = '';
    if (poison && heldOut.has(i)) { x1 = String(1000 + i); x2 = i % 2 ? '' : '-777'; }
    lines.push([x1, x2, i % 11 === 0 ? '' : kind, y].join(','));
  }
  return lines.join('\n');
}

test('imputation and preprocessing are fitted on the training split only: held-out rows do not leak', () => {
  const n = 200;
  const spec: DataSpec = { source: { type: 'csv', path: 'data.csv', missing: 'impute' }, preprocess: [{ op: 'zscore' }, { op: 'minmax', columns: ['x2'] }], split };
  const tasks: TaskSpec[] = [{ id: 'y', kind: 'regression', target: 'y' }];
  const parts = splitIndices(n, split);
  const heldOut = new Set([...parts.validation, ...parts.test]);
  const clean = loadExperimentData({ data: spec, tasks }, { workspaceDir: workspace({ 'data.csv': leakCsv(n, heldOut, false) }) });
  const poisoned = loadExperimentData({ data: spec, tasks }, { workspaceDir: workspace({ 'data.csv': leakCsv(n, heldOut, true) }) });
  assert.ok(clean.imputation, 'there were values to impute');
  assert.deepEqual(poisoned.imputation, clean.imputation);
  assert.deepEqual(poisoned.preprocessing, clean.preprocessing);
  assert.deepEqual(poisoned.train.features, clean.train.features);
  assert.notDeepEqual(poisoned.validation.features, clean.validation.features);
});

test('JSONL data with a text class target loads the same way; same seed, same split', () => {
  const rng = new SeededRandom(4);
  const lines = Array.from({ length: 120 }, (_, i) =>
    JSON.stringify({ a: rng.normal(), b: rng.int(5), label: ['cat', 'dog', 'owl'][i % 3], score: rng.next() }));
  const dir = workspace({ 'rows.jsonl': lines.join('\n') + '\n{broken\n' });
  const spec = {
    data: { source: { type: 'jsonl' as const, path: 'rows.jsonl', features: ['a', 'b'] }, split: { validation: 0.25, test: 0.25, seed: 1 } },
    tasks: [{ id: 'animal', kind: 'multiclass' as const, target: 'label', classes: 3 }],
  };
  const first = loadExperimentData(spec, { workspaceDir: dir });
  const again = loadExperimentData(spec, { workspaceDir: dir });
  assert.deepEqual(again.test.features, first.test.features);
  assert.deepEqual(first.train.classNames, { label: ['cat', 'dog', 'owl'] });
  assert.deepEqual([first.train.n, first.validation.n, first.test.n], [60, 30, 30]);
  for (const part of [first.train, first.validation, first.test]) {
    const counts = [0, 1, 2].map((k) => part.targets.label!.filter((v) => v === k).length);
    assert.ok(counts.every((c) => c === part.n / 3), `balanced classes ${counts}`);
  }
  assert.ok(first.report.some((l) => /line 121: not valid JSON/.test(l)), first.report.join('\n'));
});

test('user mistakes are DataErrors that say what to fix', () => {
  const dir = workspace({ 'three.csv': 'x,k\n1,a\n2,b\n3,c\n4,a\n' });
  const mnist: DataSpec = { source: { type: 'mnist', limit: 100 }, split };
  // Each error says what is wrong and points at the spec field to fix (its JSON path).
  const cases: [() => unknown, RegExp, (string | number)[]][] = [
    [() => loadExperimentData({ data: { source: { type: 'csv', path: 'nope/missing.csv' }, split }, tasks: [] }, { workspaceDir: dir }),
      /^Data file 'nope\/missing\.csv' not found \(looked for .*nope\/missing\.csv\)\.$/, ['data', 'source', 'path']],
    [() => loadExperimentData({ data: mnist, tasks: [{ id: 'd', kind: 'multiclass', target: 'digit' }] }, { workspaceDir: dir }),
      /Task 'd' has target 'digit', which the mnist data does not have\. Available: label, parity, greaterThan4\./, ['tasks', 0, 'target']],
    [() => loadExperimentData({ data: { source: { type: 'csv', path: 'three.csv' }, split }, tasks: [{ id: 'k', kind: 'binary', target: 'k' }] }, { workspaceDir: dir }),
      /^Task 'k' is binary, but its target 'k' has 3 classes\. Make it a multiclass task\.$/, ['tasks', 0, 'kind']],
    [() => loadExperimentData({ data: mnist, tasks: [{ id: 'd', kind: 'multiclass', target: 'label', classes: 5 }] }, { workspaceDir: dir }),
      /declares 5 classes, but its target 'label' has 10/, ['tasks', 0, 'classes']],
    [() => loadExperimentData({ data: { ...mnist, split: { ...split, stratifyBy: 'colour' } }, tasks: [] }, { workspaceDir: dir }),
      /stratifyBy names 'colour'/, ['data', 'split', 'stratifyBy']],
    [() => loadExperimentData({ data: { source: { type: 'synthetic-correlated', correlation: 0.5, samples: 50 }, split }, tasks: [{ id: 'b', kind: 'binary', target: 'y1' }] }, { workspaceDir: dir }),
      /target 'y1' holds values that are not class numbers/, ['tasks', 0, 'kind']],
  ];
  for (const [load, message, where] of cases) {
    assert.throws(load, (e: unknown) => e instanceof DataError && message.test(e.message) && JSON.stringify(e.path) === JSON.stringify(where));
  }
});

test('datasetColumns lists what a spec can refer to without loading the data', () => {
  assert.deepEqual(datasetColumns({ data: { source: { type: 'csv', path: EXAMPLE }, split } }, ROOT).targets,
    ['age', 'bmi', 'systolic_bp', 'cholesterol', 'glucose', 'exercise_hours', 'smoker', 'readmitted', 'length_of_stay']);
  assert.deepEqual(datasetColumns({ data: { source: { type: 'multimnist' }, split } }, ROOT),
    { targets: ['left', 'right'], featureShape: [36, 36, 1] });
  assert.deepEqual(datasetColumns({ data: { source: { type: 'jsonl', path: 'r.jsonl' }, split } }, workspace({ 'r.jsonl': '{"a":1}\n{"b":2}\n' })).targets, ['a', 'b']);
  assert.throws(() => datasetColumns({ data: { source: { type: 'csv', path: 'gone.csv' }, split } }, ROOT), DataError);
});
