import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../../src/trainer/data/csv';
import { parseJsonl } from '../../../src/trainer/data/jsonl';
import { tableToDataset, type TargetRequest } from '../../../src/trainer/data/table';
import { DataError } from '../../../src/trainer/data/errors';

const task = (column: string, kind: 'class' | 'value', binary = false): TargetRequest =>
  ({ column, kind, binary, usedBy: `target of task '${column}'`, role: 'task' });

const rowsOf = (ds: { n: number; features: Float32Array; featureNames: string[] }) =>
  Array.from({ length: ds.n }, (_, i) => Array.from(ds.features.subarray(i * ds.featureNames.length, (i + 1) * ds.featureNames.length)));

test('features default to every non-target column; text columns are one-hot with sorted categories', () => {
  const t = parseCsv('age,color,y\n30,red,1.5\n40,blue,2\n50,green,2.5\n60,red,3\n', 'p.csv');
  const ds = tableToDataset(t, { targets: [task('y', 'value')] });
  assert.deepEqual(ds.featureNames, ['age', 'color=blue', 'color=green', 'color=red']);
  assert.deepEqual(ds.featureShape, [4]);
  assert.deepEqual(rowsOf(ds), [[30, 0, 0, 1], [40, 1, 0, 0], [50, 0, 1, 0], [60, 0, 0, 1]]);
  assert.deepEqual(Array.from(ds.targets.y!), [1.5, 2, 2.5, 3]);
  assert.deepEqual(ds.oneHot, { color: ['blue', 'green', 'red'] });
});

test('declared categorical numbers are one-hot too, sorted by value', () => {
  const t = parseCsv('region,x,y\n10,1,0\n2,2,1\n1,3,0\n2,4,1\n');
  const ds = tableToDataset(t, { targets: [task('y', 'class', true)], features: ['x', 'region'], categorical: ['region'] });
  assert.deepEqual(ds.featureNames, ['x', 'region=1', 'region=2', 'region=10']);
  assert.deepEqual(ds.classes, { y: 2 });
});

test('a text class target becomes indices of its sorted names', () => {
  const t = parseCsv('x,outcome\n1,yes\n2,no\n3,maybe\n4,yes\n');
  const ds = tableToDataset(t, { targets: [task('outcome', 'class')] });
  assert.deepEqual(ds.classNames, { outcome: ['maybe', 'no', 'yes'] });
  assert.deepEqual(Array.from(ds.targets.outcome!), [2, 1, 0, 2]);
  assert.deepEqual(ds.classes, { outcome: 3 });
});

test('a binary target coded 1/2 is mapped to 0/1; 0/1 is kept', () => {
  const t = parseCsv('x,a,b\n1,1,0\n2,2,1\n3,2,1\n');
  const ds = tableToDataset(t, { targets: [task('a', 'class', true), task('b', 'class', true)] });
  assert.deepEqual(Array.from(ds.targets.a!), [0, 1, 1]);
  assert.deepEqual(ds.classNames, { a: ['1', '2'] });
  assert.deepEqual(Array.from(ds.targets.b!), [0, 1, 1]);
  assert.deepEqual(ds.classes, { a: 2, b: 2 });
});

const withGaps = 'x,c,y\n1,a,10\n,b,20\n3,,30\n4,a,\n5,b,50\nNA,a,60\n';

test('missing "drop": rows with a missing feature or target are dropped and counted', () => {
  const ds = tableToDataset(parseCsv(withGaps), { targets: [task('y', 'value')], missing: 'drop' });
  assert.equal(ds.n, 2);
  assert.deepEqual(Array.from(ds.targets.y!), [10, 50]);
  assert.ok(ds.report.includes("Dropped 1 rows without any task's target value."), ds.report.join('\n'));
  assert.ok(ds.report.includes('Dropped 3 rows with missing feature values (x: 2, c: 1).'), ds.report.join('\n'));
});

test('missing "impute": rows are kept with missing values marked for imputation from the training split', () => {
  const ds = tableToDataset(parseCsv(withGaps), { targets: [task('y', 'value')], missing: 'impute' });
  assert.equal(ds.n, 5); // only the row without a target is gone
  const rows = rowsOf(ds);
  assert.ok(Number.isNaN(rows[1]![0]));
  assert.deepEqual(rows[2]!.map(Number.isNaN), [false, true, true]); // a missing category: its whole one-hot block
  assert.ok(ds.report.some((line) => /^3 rows have missing feature values \(x: 2, c: 1\)/.test(line)), ds.report.join('\n'));
});

test('JSONL rows go through the same encoding', () => {
  const t = parseJsonl('{"x": 1, "kind": "cat", "y": true}\n{"x": 2, "kind": "dog", "y": false}\n');
  const ds = tableToDataset(t, { targets: [task('y', 'class', true)] });
  assert.deepEqual(ds.featureNames, ['x', 'kind=cat', 'kind=dog']);
  assert.deepEqual(Array.from(ds.targets.y!), [1, 0]);
});

test('an unknown column is an error naming it and who needs it, with the nearest name but no other column of the file', () => {
  const t = parseCsv('age,secret_token_42\n1,2\n', 'data/p.csv');
  assert.throws(() => tableToDataset(t, { targets: [task('outcome', 'class')] }), (e: unknown) =>
    e instanceof DataError && e.message === "Column 'outcome' (target of task 'outcome') is not in data/p.csv (2 columns).");
  assert.throws(() => tableToDataset(t, { targets: [task('Agee', 'value')] }), (e: unknown) =>
    e instanceof DataError && e.message === "Column 'Agee' (target of task 'Agee') is not in data/p.csv (2 columns); did you mean 'age'?");
  assert.throws(() => tableToDataset(t, { targets: [task('age', 'value')], features: ['zz'] }), /Column 'zz' \(data\.source\.features\)/);
});

test('a regression target with text in it names the lines, not the text', () => {
  const t = parseCsv('x,y\n1,2.5\n2,high\n3,4\n', 'p.csv');
  assert.throws(() => tableToDataset(t, { targets: [task('y', 'value')] }), (e: unknown) =>
    e instanceof DataError && /line 3 holds text/.test(e.message) && !e.message.includes('high') && /columnTypes \{"y": "numeric"\}/.test(e.message));
});

test('a mostly numeric column with a stray word is not silently one-hot encoded', () => {
  const lines = ['id,y', ...Array.from({ length: 80 }, (_, i) => `${i + 0.5},1`), 'unknown,0'];
  const t = parseCsv(lines.join('\n'), 'p.csv');
  assert.throws(() => tableToDataset(t, { targets: [task('y', 'class', true)] }), (e: unknown) =>
    e instanceof DataError && /line 82 holds text/.test(e.message) && !e.message.includes('unknown') && /columnTypes \{"id": "numeric"\}/.test(e.message));
});

test('unreadable records are reported by line; a file with none left is an error', () => {
  const ds = tableToDataset(parseCsv('x,y\n1,2\n3\n4,5\n', 'p.csv'), { targets: [task('y', 'value')] });
  assert.equal(ds.n, 2);
  assert.ok(ds.report.includes('Skipped 1 unreadable record in p.csv (line 3: expected 2 fields, found 1).'), ds.report.join('\n'));
  assert.throws(() => tableToDataset(parseCsv('x,y\n1\n2\n', 'p.csv'), { targets: [task('y', 'value')] }),
    (e: unknown) => e instanceof DataError && /p\.csv has no usable rows \(line 2: expected 2 fields, found 1/.test(e.message));
});

test('a table given as rows of cells (a source with its rows in memory) encodes like the same CSV', () => {
  const csv = parseCsv('age,color,y\n30,red,1.5\nNA,blue,2\n50,,2.5\n', 'p.csv');
  const rows = tableToDataset({ source: 'p.csv', columns: ['age', 'color', 'y'], rows: [[30, 'red', 1.5], ['NA', 'blue', '2'], [50, null, 2.5]], lines: [2, 3, 4], problems: [] },
    { targets: [task('y', 'value')], missing: 'impute' });
  const fromCsv = tableToDataset(csv, { targets: [task('y', 'value')], missing: 'impute' });
  assert.deepEqual(rows, fromCsv);
});

test('with consume, the columns are given back as the matrix fills (the targets once read), and the data set is the same', () => {
  // 150,000 rows: three bands of the fill (65,536 rows each), with rows dropped and a one-hot column.
  const n = 150_000;
  const csv = ['x,color,y', ...Array.from({ length: n }, (_, r) => `${r % 7 === 3 ? '' : r},${['red', 'blue', 'green'][r % 3]},${r % 5}`)].join('\n');
  const request = { targets: [task('y', 'value')], missing: 'drop' as const };
  const kept = tableToDataset(parseCsv(csv, 'big.csv'), request);
  const table = parseCsv(csv, 'big.csv');
  const consumed = tableToDataset(table, { ...request, consume: true });
  assert.equal(consumed.n, n - Math.ceil((n - 3) / 7));
  assert.deepEqual(consumed.featureNames, kept.featureNames);
  assert.deepEqual(consumed.features, kept.features);
  assert.deepEqual(consumed.targets, kept.targets);
  // Every column's storage is given back (reading it fails), the line numbers' too.
  const [x, color, y] = table.data;
  assert.throws(() => x!.value(0));
  assert.throws(() => color!.code(n - 1));
  assert.throws(() => y!.value(n - 1));
  assert.throws(() => table.line(0));
});
