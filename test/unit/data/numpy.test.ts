// NumPy sources: .npy bytes written here by hand (the format of NEP 1), .npz archives zipped
// with fflate, loaded by the real loader and trained one epoch by the real trainer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { zipSync } from 'fflate';
import type { FromTrainer } from '../../../src/core/protocol';
import type { DataSpec, TaskSpec } from '../../../src/core/spec';
import { DataError } from '../../../src/trainer/data/errors';
import { loadExperimentData } from '../../../src/trainer/data/load';
import { parseNpy } from '../../../src/trainer/data/numpy';
import { dataSummaryOf } from '../../../src/trainer/dataSummaryOf';
import { runExperiment } from '../../../src/trainer/run';
import { tempDir } from '../../tempFolders';

type Values = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** A .npy file: magic, version 1.0, the header dict padded with spaces to a multiple of 64 bytes, the raw values. */
function npy(descr: string, shape: number[], values: Values, fortran = false): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  const header = `${dict}${' '.repeat(total - 10 - dict.length - 1)}\n`;
  const head = new Uint8Array(10);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(head.buffer).setUint16(8, header.length, true);
  const body = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return Uint8Array.from([...head, ...Buffer.from(header, 'latin1'), ...body]);
}

const N = 60;
/** Two features; the class is whether their sum is positive, the value their difference. */
function arrays() {
  const x = new Float32Array(N * 2);
  const label = new BigInt64Array(N);
  const value = new Float64Array(N);
  const flag = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    x[2 * i] = Math.sin(i * 1.7);
    x[2 * i + 1] = Math.cos(i * 0.9);
    label[i] = BigInt(x[2 * i]! + x[2 * i + 1]! > 0 ? 1 : 0);
    value[i] = x[2 * i]! - x[2 * i + 1]!;
    flag[i] = i % 3 === 0 ? 1 : 0;
  }
  return { x, label, value, flag };
}

function workspace(files: Record<string, Uint8Array>): string {
  const dir = tempDir('numpy');
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), bytes);
  return dir;
}

function npzWorkspace(): string {
  const a = arrays();
  return workspace({
    'arrays.npz': zipSync({
      'x.npy': npy('<f4', [N, 2], a.x), 'label.npy': npy('<i8', [N], a.label),
      'value.npy': npy('<f8', [N], a.value), 'flag.npy': npy('|b1', [N], a.flag),
    }),
  });
}

const tasks: TaskSpec[] = [
  { id: 'sign', kind: 'binary', target: 'sign' },
  { id: 'diff', kind: 'regression', target: 'diff' },
];
const split = { validation: 0.2, test: 0.2, seed: 3 };

test('an .npz archive: features and targets by array name, int64 and float64 and bool converted', () => {
  const dir = npzWorkspace();
  const data: DataSpec = { source: { type: 'numpy', path: 'arrays.npz', features: 'x', targets: { sign: 'label', diff: 'value', flag: 'flag' } }, split };
  const loaded = loadExperimentData({ data, tasks }, { workspaceDir: dir });
  const all = [loaded.train, loaded.validation, loaded.test];
  assert.equal(all.reduce((s, d) => s + d.n, 0), N);
  assert.deepEqual(loaded.train.featureShape, [2]);
  assert.deepEqual(loaded.train.featureNames, ['x0', 'x1']);
  // Every example keeps its targets: the class is the sign of the features' sum, the value their difference.
  for (const d of all) {
    for (let i = 0; i < d.n; i++) {
      const [f0, f1] = [d.features[2 * i]!, d.features[2 * i + 1]!];
      assert.equal(d.targets.sign![i], f0 + f1 > 0 ? 1 : 0);
      assert.ok(Math.abs(d.targets.diff![i]! - (f0 - f1)) < 1e-5);
      assert.ok(d.targets.flag![i] === 0 || d.targets.flag![i] === 1);
    }
  }
  assert.match(loaded.report[0]!, /Read 60 examples from arrays\.npz: features \[2\] float32; targets sign \(int64\), diff \(float64\), flag \(bool\)/);
});

test('.npy files: the features file and one .npy per target (int32, uint8), images keep their shape', () => {
  const pixels = new Uint8Array(N * 3 * 3).map((_, i) => (i * 37) % 256);
  const label = new Int32Array(N).map((_, i) => i % 3);
  const dir = workspace({ 'x.npy': npy('|u1', [N, 3, 3], pixels), 'y.npy': npy('<i4', [N], label) });
  const data: DataSpec = { source: { type: 'numpy', path: 'x.npy', targets: { digit: 'y.npy' } }, split };
  const loaded = loadExperimentData({ data, tasks: [{ id: 'digit', kind: 'multiclass', target: 'digit', classes: 3 }] }, { workspaceDir: dir });
  assert.deepEqual(loaded.train.featureShape, [3, 3]);
  assert.equal(loaded.train.n + loaded.validation.n + loaded.test.n, N);
  assert.ok(loaded.train.features.every((v) => Number.isInteger(v) && v >= 0 && v < 256));
});

test('refused with a message at the field: Fortran order, objects, big-endian, a missing array, a wrong length, a target file outside', () => {
  const a = arrays();
  const cases: [Uint8Array, RegExp][] = [
    [npy('<f4', [N, 2], a.x, true), /Fortran order.*C order/],
    [npy('|O', [N], new Uint8Array(N * 8)), /Python objects \(dtype object\)/],
    [npy('>f4', [N, 2], a.x), /dtype '>f4' is not supported; use little-endian/],
    [npy('<U3', [N], new Uint8Array(N * 12)), /dtype '<U3' is not supported/],
    [Buffer.from('x,y\n1,2\n'), /not a NumPy \.npy array/],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => parseNpy(bytes, 'x.npy'), (err: unknown) => err instanceof DataError && message.test(err.message) && err.path?.join('.') === 'data.source.path', String(message));
  }
  const dir = npzWorkspace();
  const load = (source: Record<string, unknown>) => loadExperimentData({ data: { source: source as DataSpec['source'], split }, tasks }, { workspaceDir: dir });
  assert.throws(() => load({ type: 'numpy', path: 'arrays.npz', targets: { sign: 'labels', diff: 'value' } }),
    (err: unknown) => err instanceof DataError && /arrays\.npz has no array 'labels'\. Its arrays: .*label/.test(err.message) && err.path?.join('.') === 'data.source.targets.sign');
  fs.writeFileSync(path.join(dir, 'short.npz'), zipSync({ 'x.npy': npy('<f4', [N, 2], a.x), 'y.npy': npy('<i8', [N - 1], a.label.subarray(0, N - 1)) }));
  assert.throws(() => load({ type: 'numpy', path: 'short.npz', targets: { sign: 'y' } }), /Target 'sign' has shape \(59\), but the features have 60 examples/);
  fs.writeFileSync(path.join(dir, 'x.npy'), npy('<f4', [N, 2], a.x));
  assert.throws(() => load({ type: 'numpy', path: 'x.npy', targets: { sign: '/proc/self/environ' } }),
    (err: unknown) => err instanceof DataError && /outside the folders data may be read from/.test(err.message) && err.path?.join('.') === 'data.source.targets.sign');
});

test('numbers beyond float32\'s range (|x| > 3.4e38, or infinite) in an array are refused, named by their index along the first axis, as a CSV column is', () => {
  // float32 is what training computes in: 1e39 (float64) and inf read as Infinity, and the run
  // ended at its first step with an infinite loss.
  const a = arrays();
  const x = Float64Array.from(a.x);
  x[2 * 4 + 1] = 1e39; // example 4, second feature
  x[2 * 7] = -Infinity; // example 7
  x[2 * 7 + 1] = 5e300; // the same example: named once, counted twice
  x[2 * 9] = 3.4028234e38; // float32's largest: kept
  const value = new Float32Array(N).fill(1);
  value[11] = Infinity;
  const dir = workspace({
    'big.npz': zipSync({ 'x.npy': npy('<f8', [N, 2], x), 'label.npy': npy('<i8', [N], a.label), 'value.npy': npy('<f8', [N], a.value) }),
    'x.npy': npy('<f4', [N, 2], a.x), 'value.npy': npy('<f4', [N], value), 'label.npy': npy('<i8', [N], a.label),
  });
  const load = (source: Record<string, unknown>) => loadExperimentData({ data: { source: source as DataSpec['source'], split }, tasks }, { workspaceDir: dir });
  assert.throws(() => load({ type: 'numpy', path: 'big.npz', targets: { sign: 'label', diff: 'value' } }),
    (err: unknown) => err instanceof DataError && err.path?.join('.') === 'data.source.features' &&
      /^big\.npz: x holds numbers beyond float32's range \(±3\.4e38\) at indices 4, 7 of the first axis: training computes in float32, where they are infinite\. Rescale the array/.test(err.message), 'the features of an .npz');
  assert.throws(() => load({ type: 'numpy', path: 'x.npy', targets: { sign: 'label.npy', diff: 'value.npy' } }),
    (err: unknown) => err instanceof DataError && err.path?.join('.') === 'data.source.targets.diff' &&
      /^value\.npy holds numbers beyond float32's range \(±3\.4e38\) at index 11 of the first axis: /.test(err.message), 'a target .npy');
  // Four or more: the first three named, all counted.
  const many = Float64Array.from(a.value);
  for (const i of [2, 3, 5, 8, 13]) many[i] = 1e40;
  assert.throws(() => parseNpy(npy('<f8', [N], many), 'y.npy'), /at indices 2, 3, 5 of the first axis \(5 such values\)/);
  // float32's largest number and NaN (a missing value) are not beyond its range.
  const edge = Float64Array.from(a.value);
  edge[0] = 3.4028234e38;
  edge[1] = NaN;
  assert.equal(parseNpy(npy('<f8', [N], edge), 'y.npy').values[0], Math.fround(3.4028234e38));
});

test('a numpy experiment trains one epoch through the real trainer, and its summary counts the classes', { timeout: 120_000 }, async () => {
  const dir = npzWorkspace();
  const doc = {
    name: 'numpy-two-tasks',
    data: { source: { type: 'numpy', path: 'arrays.npz', targets: { sign: 'label', diff: 'value' } }, split },
    tasks,
    model: {
      inputs: [{ id: 'x', shape: [2] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['x'] },
        { id: 'signHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
        { id: 'diffHead', type: 'dense', units: 1, from: ['trunk'] },
      ],
      outputs: { sign: 'signHead', diff: 'diffHead' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 16, seed: 1 },
    evaluation: { baselines: 'none' },
  };
  const summary = await dataSummaryOf(doc, dir);
  assert.ok(summary.ok, summary.ok ? '' : summary.message);
  assert.equal(summary.summary.examples, N);
  const messages: FromTrainer[] = [];
  const outcome = await runExperiment({ doc, workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'tensorflow', emit: (m) => messages.push(m), cancelled: () => false });
  assert.equal(outcome, 'completed', JSON.stringify(messages.filter((m) => m.type === 'error' || m.type === 'problems')));
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done && done.type === 'done' && Number.isFinite(done.summary.test.sign!.accuracy) && Number.isFinite(done.summary.test.diff!.mae));
});
