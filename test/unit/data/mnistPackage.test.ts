// The MNIST digits read from the package's data files as bytes: the same digits, labels and
// order as the package's own `require` gives (number arrays, k/255 rounded to 3 decimals), and
// a clear message when a file is not what it should be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { SeededRandom } from '../../../src/core/random';
import { loadExperimentData } from '../../../src/trainer/data/load';
import { loadMnist, MNIST_PIXELS, mnistPool } from '../../../src/trainer/data/mnist';
import { decodeDigits, mnistDigitsFolder, readPackageDigits } from '../../../src/trainer/data/mnistPackage';
import { DataError } from '../../../src/trainer/data/errors';
import { tempDir } from '../../tempFolders';

// digits-parity's split (seed 7, stratified by label) as the loader before this change gave it:
// the labels of the first and last 4 digits, and the ink (sum of 0..255 pixels) of one digit.
const TRAIN_ENDS = [7, 9, 5, 3, 4, 1, 9, 8];
const TEST_ENDS = [0, 3, 4, 2, 2, 2, 1, 9];
const TRAIN_FIRST_INK = 24623;
const TEST_LAST_INK = 27035;

const bytes = (text: string) => new TextEncoder().encode(text);
/** The values of a file's text, decoded after two bytes already in the output (so the offset is used). */
function decoded(text: string, name = 'x.json'): number[] {
  const out = new Uint8Array(2 + text.length).fill(7);
  const count = decodeDigits(bytes(text), name, out, 2);
  assert.deepEqual(Array.from(out.subarray(0, 2)), [7, 7]);
  return Array.from(out.subarray(2, 2 + count));
}
const packageModule = () => Object.keys(require.cache).find((f) => /[\\/]mnist[\\/]src[\\/]mnist\.js$/.test(f));

// First, before anything here requires the package: loading digits must not run its require.
test('the digits come back as bytes without the package\'s require (its number arrays cost a second and +100 MB)', () => {
  const pool = mnistPool();
  assert.ok(pool.pixels instanceof Uint8Array);
  assert.ok(pool.labels instanceof Uint8Array);
  assert.equal(packageModule(), undefined, 'the mnist package\'s module was required');
});

test('every digit, label and position equals what the package gives, shuffled as before (seed 20180101)', () => {
  // The reference: the package's own arrays, in the order this loader has always used.
  const pkg = createRequire(__filename)('mnist') as { length: number; raw: number[] }[];
  const images: { digit: number; at: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    for (let i = 0; i < pkg[digit]!.length; i++) images.push({ digit, at: i * MNIST_PIXELS });
  }
  new SeededRandom(20180101).shuffle(images);
  const pool = mnistPool();
  assert.equal(pool.count, images.length);
  assert.equal(pool.count, 10_000);
  const expected = new Uint8Array(pool.count * MNIST_PIXELS);
  images.forEach(({ digit, at }, k) => {
    for (let p = 0; p < MNIST_PIXELS; p++) expected[k * MNIST_PIXELS + p] = Math.round(pkg[digit]!.raw[at + p]! * 255);
  });
  assert.deepEqual(Array.from(pool.labels), images.map((im) => im.digit));
  assert.ok(Buffer.from(pool.pixels).equals(Buffer.from(expected)), 'pixels differ from the package\'s');
  // A limit takes the first digits of that order.
  const some = loadMnist({ limit: 500 });
  assert.deepEqual(Array.from(some.features), Array.from(expected.subarray(0, 500 * MNIST_PIXELS)));
  assert.deepEqual(Array.from(some.targets.label!), images.slice(0, 500).map((im) => im.digit));
  // Pinned from the loader before this change (the package's require), so the order cannot drift with the reference.
  assert.deepEqual(Array.from(pool.labels.subarray(0, 8)), [6, 8, 5, 3, 7, 1, 4, 3]);
  assert.deepEqual(Array.from(pool.labels.subarray(-8)), [1, 4, 6, 8, 3, 3, 5, 3]);
  const sum = (a: Uint8Array) => a.reduce((s, v) => s + v, 0);
  assert.equal(sum(pool.pixels.subarray(0, MNIST_PIXELS)), 34729);
  assert.equal(sum(pool.pixels.subarray(-MNIST_PIXELS)), 46112);
});

test('digits-parity\'s split is the one it always had: its first and last training and test digits', () => {
  const data = loadExperimentData({
    data: { source: { type: 'mnist' }, preprocess: [{ op: 'scale', factor: 1 / 255 }], split: { validation: 0.1, test: 0.1, seed: 7 } },
    tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }, { id: 'parity', kind: 'binary', target: 'parity' }],
  }, { workspaceDir: '.' });
  const labels = (t: Float32Array) => Array.from(t.subarray(0, 4)).concat(Array.from(t.subarray(-4)));
  assert.deepEqual([data.train.n, data.validation.n, data.test.n], [8000, 1000, 1000]);
  assert.deepEqual(labels(data.train.targets.label!), TRAIN_ENDS);
  assert.deepEqual(labels(data.test.targets.label!), TEST_ENDS);
  const ink = (f: Float32Array) => Math.round(f.subarray(0, MNIST_PIXELS).reduce((s, v) => s + v * 255, 0));
  assert.equal(ink(data.train.features), TRAIN_FIRST_INK);
  assert.equal(ink(data.test.features.subarray(-MNIST_PIXELS)), TEST_LAST_INK);
});

test('values are read as JSON reads them: k/255 to 3 decimals, and any other number form', () => {
  assert.deepEqual(decoded('{ "data": [0,0.2,0.62,0.624,1,0.004, 1e-3 ,0.0039216,1.0]}'), [0, 51, 158, 159, 255, 1, 0, 1, 255]);
  assert.deepEqual(decoded('{"data":[]}'), []);
  assert.deepEqual(decoded('{"data":[ 0.5 ]}'), [128]);
});

test('a damaged digit file is a located message that says to reinstall, not a wrong image', () => {
  for (const [text, what] of [['{"data":[0,1.5]}', /1\.5.*more than 1/], ['{"data":[0,,1]}', /""/], ['{"data":[0,x]}', /"x"/], ['{"data":[0,-2]}', /"-2"/], ['{"data":0}', /no \[/]] as const) {
    assert.throws(() => decoded(text, '3.json'), (err: unknown) =>
      err instanceof DataError && what.test(err.message) && /3\.json/.test(err.message) && /Reinstall/.test(err.message) && err.path?.join('.') === 'data.source.type', text);
  }
  const dir = tempDir('mnist');
  try {
    assert.throws(() => readPackageDigits(() => undefined, dir), (err: unknown) => err instanceof DataError && /0\.json cannot be read/.test(err.message));
    // Whole images, but not the package's count of them.
    for (let d = 0; d < 10; d++) fs.writeFileSync(path.join(dir, `${d}.json`), `{ "data": [${new Array(784).fill(0).join(',')}] }`);
    assert.throws(() => readPackageDigits(() => undefined, dir), (err: unknown) => err instanceof DataError && /0\.json holds 784 values, not the 1,001 28x28 images of mnist@1\.1\.0/.test(err.message));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(fs.existsSync(path.join(mnistDigitsFolder(), '0.json')));
});
