// Partial labels in the data layer: a row missing one task's target stays (NaN for that task),
// a row missing every task's target is dropped and said so; stratifying by a partly labelled
// column keeps its unlabelled rows as a stratum of their own; the data summary counts the
// labelled rows of each task per split. The fixture's counts are computed here from the file.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { partiallyLabelled } from '../../../src/core/dataSummary';
import { parseCsv } from '../../../src/trainer/data/csv';
import { splitIndices } from '../../../src/trainer/data/split';
import { tableToDataset, type TargetRequest } from '../../../src/trainer/data/table';
import { dataSummaryOf } from '../../../src/trainer/dataSummaryOf';
import { dataSummaryLines } from '../../../src/trainer/dataSummaryText';
import { ROOT } from '../trainer/helpers';
import { tempDir } from '../../tempFolders';

const task = (column: string, kind: 'class' | 'value', binary = false): TargetRequest =>
  ({ column, kind, binary, usedBy: `target of task '${column}'`, role: 'task' });

test('a row missing one task\'s target keeps the others (NaN for that task); a row missing all is dropped', () => {
  const t = parseCsv('x,kind,flag,score\n1,a,1,0.5\n2,,0,1.5\n3,b,,NA\n4,,,\n5,a,1,\n', 'p.csv');
  const ds = tableToDataset(t, { targets: [task('kind', 'class'), task('flag', 'class', true), task('score', 'value')] });
  assert.equal(ds.n, 4);
  assert.deepEqual(Array.from(ds.features), [1, 2, 3, 5]);
  assert.deepEqual(Array.from(ds.targets.kind!), [0, NaN, 1, 0]);
  assert.deepEqual(Array.from(ds.targets.flag!), [1, 0, NaN, 1]);
  assert.deepEqual(Array.from(ds.targets.score!), [0.5, 1.5, NaN, NaN]);
  // A missing label is not a class of its own.
  assert.deepEqual(ds.classNames, { kind: ['a', 'b'] });
  assert.deepEqual(ds.classes, { kind: 2, flag: 2 });
  assert.ok(ds.report.includes("Dropped 1 rows without any task's target value."), ds.report.join('\n'));
  assert.ok(ds.report.some((l) => l.startsWith('Kept rows missing some task targets (kind: 1, flag: 1, score: 2)')), ds.report.join('\n'));
});

test('stratified by a partly labelled class: the unlabelled rows are a stratum of their own', () => {
  // 40 of class 0, 40 of class 1, 20 unlabelled (NaN): each keeps its share in every part.
  const strata = Float32Array.from({ length: 100 }, (_, i) => (i % 5 === 4 ? NaN : i % 5 < 2 ? 0 : 1));
  const parts = splitIndices(100, { validation: 0.2, test: 0.2, seed: 4 }, strata);
  assert.equal(parts.train.length + parts.validation.length + parts.test.length, 100);
  assert.equal(new Set([...parts.train, ...parts.validation, ...parts.test]).size, 100);
  for (const rows of [parts.validation, parts.test]) {
    assert.equal(rows.length, 20);
    assert.equal(rows.filter((r) => Number.isNaN(strata[r])).length, 4);
    assert.equal(rows.filter((r) => strata[r] === 0).length, 8);
  }
});

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'partial-labels');

test('the data summary counts labelled rows per task and split (partial-labels fixture)', async () => {
  const doc = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'partial-labels.mtl.json'), 'utf8')) as unknown;
  const result = await dataSummaryOf(doc, FIXTURE);
  assert.ok(result.ok, result.ok ? '' : result.message);
  const s = result.summary;
  // From the file: 48 rows, 2 without any target; kind, flag, score labelled in 30, 37, 34.
  const rows = fs.readFileSync(path.join(FIXTURE, 'partial.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const labelled = (col: number) => rows.filter((r) => r[col] !== '' && r[col] !== 'NA').length;
  assert.equal(rows.length, 48);
  assert.equal(s.examples, 46);
  const byTask = Object.fromEntries(s.tasks.map((t) => [t.task, t]));
  for (const [id, col] of [['kind', 3], ['flag', 4], ['score', 5]] as const) {
    const l = byTask[id]!.labelled;
    assert.equal(l.train + l.validation + l.test, labelled(col), `task ${id}`);
    assert.ok(partiallyLabelled(l, s.split), `task ${id} is partly labelled`);
    const t = byTask[id]!;
    if (t.kind === 'regression') {
      for (const k of ['train', 'validation', 'test'] as const) assert.equal(t.stats[k].n, l[k]);
    } else {
      for (const k of ['train', 'validation', 'test'] as const) assert.equal(t.classes.reduce((a, c) => a + c.counts[k], 0), l[k], `${id} ${k}: classes count labelled rows`);
    }
  }
  // Stratified by kind, whose unlabelled rows (16) are a stratum: a quarter of them in test.
  assert.equal(s.split.stratifiedBy, 'kind');
  assert.equal(s.split.test - byTask.kind!.labelled.test, 4);
  const text = dataSummaryLines(s, 0).join('\n');
  const k = byTask.kind!.labelled;
  assert.ok(text.includes(`labelled rows: ${k.train} of ${s.split.train} train, ${k.validation} of ${s.split.validation} validation, ${k.test} of ${s.split.test} test`), text);
  assert.ok(s.notes.includes("Dropped 2 rows without any task's target value."), s.notes.join('\n'));
});

test('scripts/make-partial-labels-csv.mjs regenerates the committed example byte for byte', () => {
  const out = path.join(tempDir('partial'), 'patients-partial.csv');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/make-partial-labels-csv.mjs'), out]);
  assert.ok(fs.readFileSync(out).equals(fs.readFileSync(path.join(ROOT, 'examples', 'partial-labels', 'patients-partial.csv'))));
});
