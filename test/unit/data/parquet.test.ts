// Parquet sources: a small file made by the test's own writer (parquetFile.ts: PLAIN pages,
// nullable columns, Thrift footer), read by hyparquet into the same table as a CSV, so that
// the same data as CSV and as Parquet gives the same examples; one epoch through the trainer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import type { DataSpec, TaskSpec } from '../../../src/core/spec';
import { datasetColumns } from '../../../src/trainer/data/columns';
import { DataError } from '../../../src/trainer/data/errors';
import { loadExperimentData, prereadData } from '../../../src/trainer/data/load';
import { readParquetTable } from '../../../src/trainer/data/parquet';
import { summarizeData } from '../../../src/trainer/data/summary';
import { dataSummaryOf } from '../../../src/trainer/dataSummaryOf';
import { runExperiment } from '../../../src/trainer/run';
import { parquetFile, type ParquetColumn } from './parquetFile';
import { tempDir } from '../../tempFolders';

const N = 80;
/** age (int32, some missing), bmi (double), smoker (text: a category, some missing), active (boolean); targets risk (text class) and cost (double). */
function table() {
  const age = Array.from({ length: N }, (_, i) => (i % 11 === 5 ? null : 20 + ((i * 7) % 50)));
  const bmi = Array.from({ length: N }, (_, i) => 18 + ((i * 13) % 17) + 0.25);
  const smoker = Array.from({ length: N }, (_, i) => (i % 13 === 0 ? null : ['no', 'yes', 'former'][i % 3]!));
  const active = Array.from({ length: N }, (_, i) => i % 4 !== 0);
  const risk = Array.from({ length: N }, (_, i) => ((age[i] ?? 40) + bmi[i]! > 65 ? 'high' : 'low'));
  const cost = Array.from({ length: N }, (_, i) => bmi[i]! * 100 + (i % 5));
  return { age, bmi, smoker, active, risk, cost };
}

function files(): string {
  const t = table();
  const dir = tempDir('parquet');
  const columns: ParquetColumn[] = [
    { name: 'age', type: 'int32', values: t.age }, { name: 'bmi', type: 'double', values: t.bmi },
    { name: 'smoker', type: 'utf8', values: t.smoker }, { name: 'active', type: 'boolean', values: t.active },
    { name: 'risk', type: 'utf8', values: t.risk }, { name: 'cost', type: 'double', values: t.cost },
  ];
  fs.writeFileSync(path.join(dir, 'patients.parquet'), parquetFile(columns));
  const csv = ['age,bmi,smoker,active,risk,cost', ...Array.from({ length: N }, (_, i) =>
    [t.age[i] ?? '', t.bmi[i], t.smoker[i] ?? '', t.active[i] ? 1 : 0, t.risk[i], t.cost[i]].join(','))].join('\n');
  fs.writeFileSync(path.join(dir, 'patients.csv'), `${csv}\n`);
  return dir;
}

const tasks: TaskSpec[] = [{ id: 'risk', kind: 'binary', target: 'risk' }, { id: 'cost', kind: 'regression', target: 'cost' }];
const data = (type: 'csv' | 'parquet', extra: Record<string, unknown> = {}): DataSpec => ({
  source: { type, path: `patients.${type}`, missing: 'impute', ...extra } as DataSpec['source'],
  preprocess: [{ op: 'zscore', columns: ['age', 'bmi'] }],
  split: { validation: 0.2, test: 0.2, seed: 9 },
});

test('the file reads back as written: columns, numbers, text, booleans as 0/1, missing cells as null', async () => {
  const dir = files();
  const t = table();
  const raw = await readParquetTable({ type: 'parquet', path: 'patients.parquet' }, { workspaceDir: dir });
  assert.deepEqual(raw.columns, ['age', 'bmi', 'smoker', 'active', 'risk', 'cost']);
  assert.equal(raw.rows.length, N);
  raw.rows.forEach((row, i) => assert.deepEqual(row, [t.age[i], t.bmi[i], t.smoker[i], t.active[i] ? 1 : 0, t.risk[i], t.cost[i]]));
  // GZIP pages (some writers' default) read the same.
  fs.writeFileSync(path.join(dir, 'gzip.parquet'), parquetFile([{ name: 'bmi', type: 'double', values: t.bmi }, { name: 'smoker', type: 'utf8', values: t.smoker }], { gzip: true }));
  const gz = await readParquetTable({ type: 'parquet', path: 'gzip.parquet' }, { workspaceDir: dir });
  assert.deepEqual(gz.rows, t.bmi.map((b, i) => [b, t.smoker[i]]));
  // Validation reads the names from the footer alone.
  assert.deepEqual(datasetColumns({ data: data('parquet') }, dir).targets, raw.columns);
});

test('the same data as CSV and as Parquet gives the same examples: one-hot categories, imputation, z-scores', async () => {
  const dir = files();
  const fromCsv = loadExperimentData({ data: data('csv', { categorical: ['smoker'] }), tasks }, { workspaceDir: dir });
  const spec = { data: data('parquet', { categorical: ['smoker'] }), tasks };
  const fromParquet = loadExperimentData(spec, await prereadData(spec, { workspaceDir: dir }));
  for (const part of ['train', 'validation', 'test'] as const) {
    const [a, b] = [fromCsv[part], fromParquet[part]];
    assert.deepEqual(b.featureNames, a.featureNames);
    assert.ok(b.featureNames.includes('smoker=former'), 'text became one-hot categories');
    assert.deepEqual(Array.from(b.features), Array.from(a.features));
    assert.deepEqual(b.targets, a.targets);
    assert.deepEqual(b.classNames, a.classNames);
  }
  assert.ok(fromParquet.report.some((l) => /Imputed \d+ missing values/.test(l)));
});

test('a file that is not Parquet, and one outside the workspace, are refused at data.source.path', async () => {
  const dir = files();
  fs.writeFileSync(path.join(dir, 'fake.parquet'), 'age,bmi\n1,2\n');
  const spec = { data: data('parquet', { path: 'fake.parquet' }), tasks };
  await assert.rejects(prereadData(spec, { workspaceDir: dir }),
    (err: unknown) => err instanceof DataError && /fake\.parquet is not a Parquet file/.test(err.message) && err.path?.join('.') === 'data.source.path' && !/age,bmi/.test(err.message));
  assert.throws(() => datasetColumns(spec, dir), /fake\.parquet is not a Parquet file \(it does not end with PAR1\)/);
  const outside = await dataSummaryOf({ data: data('parquet', { path: '/proc/self/environ' }), tasks }, dir);
  assert.ok(!outside.ok && /outside the folders data may be read from/.test(outside.message));
});

test('a DOUBLE column with an infinity or a number beyond float32\'s range is refused as a CSV column is; NaN is a missing value', async () => {
  // An infinity used to read as a missing cell (imputed without a word), and 1e300 as Infinity in float32.
  const dir = files();
  const t = table();
  const write = (name: string, bmi: (number | null)[]) => fs.writeFileSync(path.join(dir, name), parquetFile([
    { name: 'bmi', type: 'double', values: bmi }, { name: 'risk', type: 'utf8', values: t.risk }, { name: 'cost', type: 'double', values: t.cost },
  ]));
  const load = async (file: string) => {
    const spec = { data: data('parquet', { path: file }), tasks };
    spec.data.preprocess = [];
    return loadExperimentData(spec, await prereadData(spec, { workspaceDir: dir }));
  };
  write('inf.parquet', t.bmi.map((v, i) => (i === 2 ? Infinity : i === 6 ? 1e300 : v)));
  await assert.rejects(load('inf.parquet'), (err: unknown) => err instanceof DataError && err.path?.join('.') === 'data.source.features' &&
    /^Column 'bmi' of inf\.parquet holds numbers beyond float32's range \(±3\.4e38\) on rows 3, 7: training computes in float32, where they are infinite/.test((err as Error).message));
  write('nan.parquet', t.bmi.map((v, i) => (i === 2 ? NaN : v)));
  const loaded = await load('nan.parquet');
  assert.ok(loaded.report.some((l) => /Imputed 1 missing values/.test(l)), loaded.report.join('\n'));
});

test('a Parquet file\'s positions are said as rows (it has no lines); the same cells in a CSV are at their lines', async () => {
  // Messages said "line 4" for a Parquet file's fourth row. The CSV of the same data has a
  // header on line 1, so row r is on line r + 1: row 4 (i = 3) is line 5, row 2 (i = 1) line 3.
  const dir = files();
  const t = table();
  const bmi = t.bmi.map((v, i) => (i === 3 ? 'x' : String(v)));
  const cost = t.cost.map((v, i) => (i === 1 ? 'ten' : String(v)));
  fs.writeFileSync(path.join(dir, 'text.parquet'), parquetFile([
    { name: 'bmi', type: 'utf8', values: bmi }, { name: 'risk', type: 'utf8', values: t.risk }, { name: 'cost', type: 'utf8', values: cost },
  ]));
  fs.writeFileSync(path.join(dir, 'text.csv'), `${['bmi,risk,cost', ...bmi.map((b, i) => `${b},${t.risk[i]},${cost[i]}`)].join('\n')}\n`);
  const specOf = (type: 'csv' | 'parquet', withCost: boolean) => {
    const spec = { data: data(type, { path: `text.${type}`, ...(withCost ? {} : { features: ['bmi'] }) }), tasks: withCost ? tasks : [tasks[0]!] };
    spec.data.preprocess = [];
    return spec;
  };
  const load = async (type: 'csv' | 'parquet', withCost: boolean) => loadExperimentData(specOf(type, withCost), await prereadData(specOf(type, withCost), { workspaceDir: dir }));
  const mixedOf = async (type: 'csv' | 'parquet') => summarizeData(specOf(type, false), await prereadData(specOf(type, false), { workspaceDir: dir })).mixedColumns?.[0];
  const refused = async (type: 'csv' | 'parquet', where: string) => assert.rejects(load(type, true), (err: unknown) => err instanceof DataError &&
    new RegExp(`needs numbers in column 'cost' of text\\.${type}, but ${where} holds text\\.`).test(err.message));
  await refused('parquet', 'row 2');
  await refused('csv', 'line 3');
  const mixed = await mixedOf('parquet');
  assert.deepEqual({ lines: mixed?.lines, unit: mixed?.unit }, { lines: [4], unit: 'row' });
  assert.ok((await load('parquet', false)).report.some((l) => /^Column 'bmi' of text\.parquet mixes numbers .* on row 4\)/.test(l)));
  const mixedCsv = await mixedOf('csv');
  assert.deepEqual({ lines: mixedCsv?.lines, unit: mixedCsv?.unit }, { lines: [5], unit: undefined });
});

test('a Parquet experiment is summarized and trains one epoch through the real trainer', { timeout: 120_000 }, async () => {
  const dir = files();
  const doc = {
    name: 'parquet-patients',
    data: data('parquet'),
    tasks,
    model: {
      inputs: [{ id: 'x', shape: [6] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['x'] },
        { id: 'riskHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
        { id: 'costHead', type: 'dense', units: 1, from: ['trunk'] },
      ],
      outputs: { risk: 'riskHead', cost: 'costHead' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 16, seed: 1 },
    evaluation: { baselines: 'none' },
  };
  const summary = await dataSummaryOf(doc, dir);
  assert.ok(summary.ok, summary.ok ? '' : summary.message);
  assert.equal(summary.summary.examples, N);
  assert.equal(summary.summary.firstRows?.totalRows, N);
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({ doc, workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error' || m.type === 'problems')));
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done && done.type === 'done' && Number.isFinite(done.summary.test.cost!.mae));
});
