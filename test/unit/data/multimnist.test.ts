import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composePair, loadMultiMnist, planMultiMnist } from '../../../src/trainer/data/multimnist';
import { MNIST_PIXELS, mnistPool } from '../../../src/trainer/data/mnist';

test('the same seed gives the same images and labels; another seed different ones', () => {
  const a = loadMultiMnist({ samples: 200, seed: 3 });
  const b = loadMultiMnist({ samples: 200, seed: 3 });
  const c = loadMultiMnist({ samples: 200, seed: 4 });
  assert.deepEqual(a.features, b.features);
  assert.deepEqual(a.targets, b.targets);
  assert.notDeepEqual(a.features, c.features);
  assert.deepEqual(a.featureShape, [36, 36, 1]);
  assert.equal(a.features.length, 200 * 36 * 36);
  assert.deepEqual(a.classes, { left: 10, right: 10 });
});

test('each image is the two labelled digits overlaid, left one up-left, right one down-right', () => {
  const samples = 100;
  const seed = 11;
  const ds = loadMultiMnist({ samples, seed });
  const pool = mnistPool();
  const plan = planMultiMnist(samples, seed, pool.count);
  const canvas = new Float32Array(36 * 36);
  plan.forEach((pair, i) => {
    assert.equal(ds.targets.left![i], pool.labels[pair.left], 'left label is the left digit');
    assert.equal(ds.targets.right![i], pool.labels[pair.right], 'right label is the right digit');
    assert.notEqual(pair.left, pair.right);
    assert.ok(pair.leftOffset.every((o) => o >= 0 && o <= 2), 'left digit sits in the top-left corner');
    assert.ok(pair.rightOffset.every((o) => o >= 6 && o <= 8), 'right digit sits in the bottom-right corner');
    composePair(pool, pair, canvas);
    assert.deepEqual(ds.features.subarray(i * 1296, (i + 1) * 1296), canvas);
    // Pixel-wise max: every ink pixel of the left digit is at least as bright in the overlay.
    const [r0, c0] = pair.leftOffset;
    for (let p = 0; p < MNIST_PIXELS; p++) {
      const v = pool.pixels[pair.left * MNIST_PIXELS + p]!;
      const k = (Math.floor(p / 28) + r0) * 36 + (p % 28) + c0;
      assert.ok(canvas[k]! >= v);
    }
  });
});

test('both labels take all ten digits, about evenly', () => {
  const ds = loadMultiMnist({ samples: 2000, seed: 1 });
  for (const side of ['left', 'right']) {
    const counts = new Array<number>(10).fill(0);
    for (const l of ds.targets[side]!) counts[l]!++;
    for (const c of counts) assert.ok(c > 120 && c < 290, `${side} class count ${c}`);
  }
  let max = 0;
  for (const v of ds.features) if (v > max) max = v;
  assert.equal(max, 255);
});
