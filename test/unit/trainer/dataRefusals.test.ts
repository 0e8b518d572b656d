// One rule for what the data refuses: `mts validate` (validateWithData) and the designer's
// Problems panel (the data summary fed into the snapshot) report each refusal that `mts data` and
// `mts train` meet, at the same JSON path with the same message. Each case is the wine fixture
// (test/e2e/fixtures/shape-mismatch, 24 rows, 13 numeric columns and the class column
// `cultivar` a/b/c) with one edit.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { dataSettingsKey } from '../../../src/core/dataSummary';
import type { ExperimentSpec, Problem } from '../../../src/core/spec';
import { dataContextOf, snapshotOf } from '../../../src/host/designer/snapshot';
import { dataSummaryOf } from '../../../src/trainer/dataSummaryOf';
import { validateWithData } from '../../../src/trainer/validateWithData';
import { ROOT } from './helpers';

const FIXTURE = path.join(ROOT, 'test', 'e2e', 'fixtures', 'shape-mismatch');
const NUMERIC = ['alcohol', 'malic_acid', 'ash', 'alcalinity', 'magnesium', 'phenols', 'flavanoids', 'nonflavanoid', 'proanthocyanins', 'color', 'hue', 'od280', 'proline'];
function wine(edit: (doc: ExperimentSpec) => void): ExperimentSpec {
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'wine.mtl.json'), 'utf8')) as ExperimentSpec;
  doc.model.inputs[0]!.shape = [13];
  edit(doc);
  return doc;
}
const errors = (problems: readonly Problem[]) => problems.filter((p) => p.severity === 'error').map((p) => ({ path: p.path, message: p.message }));

/** The errors `mts validate` prints and the ones the designer's Problems panel shows once the data summary is in. */
async function bothSides(doc: ExperimentSpec): Promise<{ cli: ReturnType<typeof errors>; designer: ReturnType<typeof errors> }> {
  const cli = errors((await validateWithData(doc, { workspaceDir: FIXTURE })).problems);
  const summary = await dataSummaryOf(doc, FIXTURE);
  const snapshot = snapshotOf(JSON.stringify(doc, null, 2), 1, { data: dataContextOf(dataSettingsKey(doc), summary) });
  assert.ok(snapshot.ok);
  return { cli, designer: errors(snapshot.problems) };
}

const CASES: { name: string; edit: (doc: ExperimentSpec) => void; path: (string | number)[]; message: RegExp }[] = [
  {
    name: 'a preprocess column the csv lacks (a header read shows it)',
    edit: (d) => { d.data.preprocess = [{ op: 'zscore', columns: ['alcohol', 'alchol'] }]; },
    path: ['data', 'preprocess', 0, 'columns', 1], message: /names "alchol", which is not a feature of the data \(13 features\)\. Did you mean "alcohol"\?/,
  },
  {
    name: 'a preprocess column that is the task\'s target, not a feature',
    edit: (d) => { d.data.preprocess = [{ op: 'zscore', columns: ['cultivar'] }]; },
    path: ['data', 'preprocess', 0, 'columns', 0], message: /names "cultivar", which is not a feature of the data/,
  },
  {
    name: 'zscore of a column read as categories',
    edit: (d) => { d.data.source = { type: 'csv', path: 'wine.csv', categorical: ['ash'] }; d.model.inputs[0]!.shape = [12 + 24]; d.data.preprocess = [{ op: 'zscore', columns: ['ash'] }]; },
    path: ['data', 'preprocess', 0, 'columns', 0], message: /names 'ash', which is not numeric/,
  },
  {
    name: 'a task target the csv lacks, with inputs that pick their features',
    edit: (d) => { d.tasks[0]!.target = 'cultivr'; d.model.inputs[0]!.features = NUMERIC; },
    path: ['tasks', 0, 'target'], message: /reads its target from "cultivr", which is not in the data \(14 columns\)\. Did you mean "cultivar"\?/,
  },
  {
    name: 'more classes in the data than the task declares, with inputs that pick their features',
    edit: (d) => { d.tasks[0]!.classes = 2; (d.model.layers[1] as { units: number }).units = 2; d.model.inputs[0]!.features = NUMERIC; },
    path: ['tasks', 0, 'classes'], message: /declares 2 classes, but its target 'cultivar' has 3/,
  },
  {
    name: 'an input feature the csv lacks',
    edit: (d) => { d.model.inputs[0]!.features = ['alcohol', 'hu']; d.model.inputs[0]!.shape = [2]; },
    path: ['model', 'inputs', 0, 'features', 1], message: /Input "x" reads feature "hu", which is not a feature of the data \(13 features\)\. Did you mean "hue"\?/,
  },
];

for (const c of CASES) {
  test(`validate and the designer refuse ${c.name} alike`, async () => {
    const { cli, designer } = await bothSides(wine(c.edit));
    assert.equal(cli.length, 1, JSON.stringify(cli));
    assert.deepEqual(cli[0]!.path, c.path);
    assert.match(cli[0]!.message, c.message);
    assert.deepEqual(designer, cli);
  });
}

// The model's own settings are not part of the data summary's key (a summary is not redone for
// every model edit), so this one is `mts validate`'s and the run's only.
test('validate refuses an int32 input fed values that are not whole numbers, as a run does', async () => {
  const doc = wine((d) => { d.data.preprocess = []; d.model.inputs[0]!.dtype = 'int32'; });
  const [p, ...rest] = errors((await validateWithData(doc, { workspaceDir: FIXTURE })).problems);
  assert.equal(rest.length, 0);
  assert.deepEqual(p!.path, ['model', 'inputs', 0, 'dtype']);
  assert.match(p!.message, /dtype int32, but its feature 'alcohol' holds values that are not whole numbers/);
});

test('the fixture with its shape set is valid on both sides', async () => {
  assert.deepEqual(await bothSides(wine(() => {})), { cli: [], designer: [] });
});

test('the designer keeps a refusal only while the data settings are those it was found for', async () => {
  const doc = wine((d) => { d.tasks[0]!.classes = 2; });
  const context = dataContextOf(dataSettingsKey(doc), await dataSummaryOf(doc, FIXTURE));
  doc.tasks[0]!.classes = 3;
  const snapshot = snapshotOf(JSON.stringify(doc), 2, { data: context });
  assert.ok(snapshot.ok);
  assert.deepEqual(errors(snapshot.problems), []);
});
