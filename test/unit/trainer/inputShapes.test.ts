// An input of shape [5] on a csv of 13 feature columns (test/e2e/fixtures/shape-mismatch): found by
// `mts validate` and `mts data` at the input's line, and by a run before any run folder exists,
// counted by the trainer's own loaders (one-hot columns widen the count).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { ExperimentSpec } from '../../../src/core/spec';
import { dataSummaryOf } from '../../../src/trainer/dataSummaryOf';
import { validateWithData } from '../../../src/trainer/validateWithData';
import { ROOT, tempDir } from './helpers';

const FIXTURE = path.join(ROOT, 'test', 'e2e', 'fixtures', 'shape-mismatch');
const mts = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), ...args], { encoding: 'utf8', cwd: ROOT });
const wine = (): ExperimentSpec => JSON.parse(fs.readFileSync(path.join(FIXTURE, 'wine.mtl.json'), 'utf8')) as ExperimentSpec;
/** The fixture, with `edit` applied, in a folder of its own (beside its csv). */
function copy(edit: (doc: ExperimentSpec) => void = () => {}): string {
  const dir = tempDir('shapes');
  fs.copyFileSync(path.join(FIXTURE, 'wine.csv'), path.join(dir, 'wine.csv'));
  const doc = wine();
  edit(doc);
  fs.writeFileSync(path.join(dir, 'wine.mtl.json'), JSON.stringify(doc, null, 2));
  return path.join(dir, 'wine.mtl.json');
}
const MESSAGE = /wine\.mtl\.json:\d+:\d+: error: Input "x" is \[5\], the data gives 13 features per example: set \[13\]\. \(model\.inputs\.0\.shape\)/;

test('the count of features comes from the loaders: the data summary and the peek agree', async () => {
  const summary = await dataSummaryOf(wine(), FIXTURE);
  assert.ok(summary.ok);
  assert.deepEqual(summary.summary.featureShape, [13]);
  const [p, ...rest] = (await validateWithData(wine(), { workspaceDir: FIXTURE })).problems;
  assert.equal(rest.length, 0);
  assert.deepEqual(p!.path, ['model', 'inputs', 0, 'shape']);
  assert.deepEqual(p!.fix?.ops, [{ op: 'set', path: ['model', 'inputs', 0, 'shape'], value: [13] }]);
});

test('one-hot columns widen the count: a categorical column of 3 classes is 3 features', async () => {
  const spec = wine();
  spec.data.source = { type: 'csv', path: 'wine.csv', features: ['alcohol', 'cultivar'], categorical: ['cultivar'] };
  spec.tasks = [{ id: 'hue', kind: 'regression', target: 'hue' }];
  // A valid model for that task: validateWithData checks the whole experiment before the data.
  spec.model.layers[1] = { id: 'hueHead', type: 'dense', units: 1, from: ['trunk'] };
  spec.model.outputs = { hue: 'hueHead' };
  spec.model.inputs[0]!.shape = [2];
  const [p] = (await validateWithData(spec, { workspaceDir: FIXTURE })).problems;
  assert.match(p!.message, /Input "x" is \[2\], the data gives 4 features per example: set \[4\]/);
  spec.model.inputs[0]!.shape = [4];
  assert.deepEqual((await validateWithData(spec, { workspaceDir: FIXTURE })).problems, []);
});

test('a data file the run could not read is reported where the source is', async () => {
  const spec = wine();
  spec.data.source = { type: 'csv', path: 'nope.csv' };
  const [p] = (await validateWithData(spec, { workspaceDir: FIXTURE })).problems;
  assert.equal(p!.severity, 'error');
  assert.match(p!.message, /nope\.csv/);
  assert.equal(p!.path[0], 'data');
});

test('mts validate reads the csv, reports the mismatch at the input\'s line and exits 1; fixed, it exits 0', () => {
  const r = mts('validate', copy());
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, MESSAGE);
  const fixed = mts('validate', copy((doc) => { doc.model.inputs[0]!.shape = [13]; }));
  assert.equal(fixed.status, 0, fixed.stderr);
});

test('mts data prints the summary, then the mismatch, and exits 1', () => {
  const r = mts('data', copy());
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /features of shape \[13\]/);
  assert.match(r.stderr, MESSAGE);
  assert.equal(mts('data', copy((doc) => { doc.model.inputs[0]!.shape = [13]; })).status, 0);
});

test('mts train stops on the mismatch with the located message, before writing a run folder', () => {
  const file = copy();
  const runs = path.join(path.dirname(file), 'runs');
  const r = mts('train', file, '--out', runs);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, MESSAGE);
  assert.equal(fs.existsSync(runs), false);
});
