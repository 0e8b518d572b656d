// The data summary ("Preview data", `mts data`) on real data: the mnist package and the
// tabular-csv example. Expected counts are computed here from the raw files, not by the loaders.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';
import type { DataSummary, TaskBalance } from '../../../src/core/dataSummary';
import { dataSummaryOf } from '../../../src/trainer/dataSummaryOf';
import { exampleDoc, exampleFile } from '../trainer/helpers';

interface MnistDigit { length: number; get(i: number): number[] }
// The package itself, read here without the loader (an external of the test bundle).
const mnistPackage = createRequire(__filename)('mnist') as MnistDigit[];

async function summary(doc: unknown, workspaceDir: string): Promise<DataSummary> {
  const result = await dataSummaryOf(doc, workspaceDir);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.summary;
}

function classTask(s: DataSummary, id: string): Extract<TaskBalance, { kind: 'binary' | 'multiclass' }> {
  const t = s.tasks.find((x) => x.task === id);
  assert.ok(t && t.kind !== 'regression', `task ${id} has class counts`);
  return t;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

test('mnist: class balance per split adds up to the split sizes and matches the package, digit by digit', async () => {
  const s = await summary(exampleDoc('digits-parity'), path.dirname(exampleFile('digits-parity')));
  const perDigit = mnistPackage.slice(0, 10).map((d) => d.length);
  assert.equal(s.examples, sum(perDigit));
  assert.deepEqual(s.featureShape, [784]);
  assert.equal(s.split.train + s.split.validation + s.split.test, s.examples);
  assert.equal(s.split.test, Math.round(s.examples * 0.1));

  const digit = classTask(s, 'digit');
  assert.deepEqual(digit.classes.map((c) => c.name), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.deepEqual(digit.classes.map((c) => c.counts.train + c.counts.validation + c.counts.test), perDigit);
  for (const split of ['train', 'validation', 'test'] as const) {
    assert.equal(sum(digit.classes.map((c) => c.counts[split])), s.split[split], `${split}: class counts add up to the split size`);
  }
  // Stratified by label: every digit's test share is within one example of 10 %.
  digit.classes.forEach((c, k) => assert.ok(Math.abs(c.counts.test - perDigit[k]! * 0.1) <= 1, `digit ${k} test count ${c.counts.test}`));

  const parity = classTask(s, 'parity');
  const odd = sum(perDigit.filter((_, k) => k % 2 === 1));
  assert.equal(parity.classes[1]!.counts.train + parity.classes[1]!.counts.validation + parity.classes[1]!.counts.test, odd);
});

test('mnist: sample digits are real package images (0..255 bytes) with their labels', async () => {
  const s = await summary(exampleDoc('digits-parity'), path.dirname(exampleFile('digits-parity')));
  assert.ok(s.samples);
  assert.equal(s.samples.width, 28);
  assert.equal(s.samples.images.length, 10);
  for (const image of s.samples.images) {
    assert.equal(image.pixels.length, 784);
    assert.ok(image.pixels.every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
    const digit = Number(image.labels.find((l) => l.task === 'digit')!.value);
    assert.equal(image.labels.find((l) => l.task === 'parity')!.value, String(digit % 2));
    // The same pixels are one of that digit's images in the package (stored there as k/255).
    const pool = mnistPackage[digit]!;
    let found = false;
    for (let i = 0; i < pool.length && !found; i++) {
      const raw = pool.get(i);
      found = raw.every((v, p) => Math.round(v * 255) === image.pixels[p]);
    }
    assert.ok(found, `a sample labelled ${digit} is an image of ${digit} in the mnist package`);
  }
});

test('mnist: the limit and the split seed of the document are the ones used', async () => {
  const doc = exampleDoc('digits-parity') as { data: { source: Record<string, unknown>; split: Record<string, unknown> } };
  doc.data.source.limit = 500;
  const a = await summary(doc, '.');
  assert.equal(a.examples, 500);
  assert.deepEqual([a.split.train, a.split.validation, a.split.test], [400, 50, 50]);
  doc.data.split.seed = 8;
  const b = await summary(doc, '.');
  assert.notDeepEqual(b.samples!.images.map((i) => i.pixels), a.samples!.images.map((i) => i.pixels), 'another seed, other training examples first');
});

test('csv: class balance, regression range and first rows match patients.csv read here line by line', async () => {
  const dir = path.dirname(exampleFile('tabular-csv'));
  const s = await summary(exampleDoc('tabular-csv'), dir);
  const [header, ...lines] = fs.readFileSync(path.join(dir, 'patients.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const col = (name: string) => header!.indexOf(name);
  assert.equal(s.examples, lines.length);
  assert.equal(s.split.train + s.split.validation + s.split.test, lines.length);

  const readmitted = classTask(s, 'readmitted');
  assert.deepEqual(readmitted.classes.map((c) => c.name), ['no', 'yes']);
  for (const c of readmitted.classes) {
    assert.equal(c.counts.train + c.counts.validation + c.counts.test, lines.filter((l) => l[col('readmitted')] === c.name).length);
  }
  for (const split of ['train', 'validation', 'test'] as const) assert.equal(sum(readmitted.classes.map((c) => c.counts[split])), s.split[split]);

  const stay = s.tasks.find((t) => t.task === 'stay');
  assert.ok(stay && stay.kind === 'regression');
  const values = lines.map((l) => Number(l[col('length_of_stay')]));
  const splits = Object.values(stay.stats);
  assert.equal(sum(splits.map((x) => x.n)), lines.length);
  assert.equal(Math.min(...splits.map((x) => x.min)), Math.fround(Math.min(...values)));
  assert.equal(Math.max(...splits.map((x) => x.max)), Math.fround(Math.max(...values)));
  const mean = sum(splits.map((x) => x.mean * x.n)) / lines.length;
  assert.ok(Math.abs(mean - sum(values) / values.length) < 1e-4, `mean ${mean}`);

  assert.ok(s.firstRows);
  assert.deepEqual(s.firstRows.columns, header);
  assert.deepEqual(s.firstRows.rows, lines.slice(0, 8));
  assert.equal(s.firstRows.totalRows, lines.length);
  assert.equal(s.samples, undefined, 'no images for a table');
  assert.ok(s.notes.some((n) => /Imputed \d+ missing values/.test(n)), 'the notes say what loading did, imputation included');
});

test('bad input: the loader\'s own message, with the field to fix', async () => {
  const dir = path.dirname(exampleFile('tabular-csv'));
  const doc = exampleDoc('tabular-csv') as { tasks: Record<string, unknown>[]; data: { source: Record<string, unknown>; split: Record<string, unknown> } };
  doc.tasks[0]!.target = 'readmited';
  const badColumn = await dataSummaryOf(doc, dir);
  assert.ok(!badColumn.ok);
  assert.match(badColumn.message, /readmited/);
  assert.deepEqual(badColumn.path, ['tasks', 0, 'target']);

  doc.tasks[0]!.target = 'readmitted';
  doc.data.source.path = 'missing.csv';
  const missing = await dataSummaryOf(doc, dir);
  assert.ok(!missing.ok);
  assert.match(missing.message, /'missing\.csv' not found/);
  assert.deepEqual(missing.path, ['data', 'source', 'path']);

  doc.data.source.path = 'patients.csv';
  doc.data.split.validation = 0.9;
  const badSplit = await dataSummaryOf(doc, dir);
  assert.ok(!badSplit.ok);
  assert.equal(badSplit.path?.[0], 'data');
});

test('a broken model does not stop a preview of the data', async () => {
  const doc = exampleDoc('digits-parity') as { model: { layers: Record<string, unknown>[] }; data: { source: Record<string, unknown> } };
  doc.model.layers[0]!.from = ['nowhere'];
  doc.data.source.limit = 100;
  assert.equal((await summary(doc, '.')).examples, 100);
});

test('a model nested too deep to check stops the preview with that problem: the data settings were not checked either (fuzz seed 314159)', async () => {
  // validate stops at a document nested deeper than 64 levels, so data.source = null was never
  // checked: the preview read it ("Cannot read properties of null") or printed "undefined on 1296 features".
  const nested = (depth: number): unknown => (depth === 0 ? 'dense' : [nested(depth - 1)]);
  const doc = exampleDoc('digits-parity') as { model: { layers: Record<string, unknown>[] }; data: Record<string, unknown> };
  doc.model.layers[1]!.type = nested(100);
  for (const data of [{ ...doc.data, source: null }, { ...doc.data, preprocess: [nested(50)] }]) {
    const result = await dataSummaryOf({ ...doc, data }, '.');
    assert.ok(!result.ok, 'refused');
    assert.match(result.message, /nests deeper than 64 levels/);
    assert.deepEqual(result.path?.slice(0, 3), ['model', 'layers', 1]);
  }
});

test('a declared class the data does not have is listed empty and says so', async () => {
  const doc = exampleDoc('digits-parity') as { tasks: Array<{ id: string; classes?: number }> };
  doc.tasks.find((t) => t.id === 'digit')!.classes = 12;
  const digit = classTask(await summary(doc, path.dirname(exampleFile('digits-parity'))), 'digit');
  assert.deepEqual(digit.classes.slice(9).map((c) => c.name), ['9', '10 (not in the data)', '11 (not in the data)']);
  assert.deepEqual(digit.classes.slice(10).map((c) => c.counts), [{ train: 0, validation: 0, test: 0 }, { train: 0, validation: 0, test: 0 }]);
});
