import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlatedTaskWeights, loadSyntheticCorrelated } from '../../../src/trainer/data/syntheticCorrelated';
import { DataError } from '../../../src/trainer/data/errors';

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma, db = b[i]! - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** w^T x for every example. */
function linearPart(features: Float32Array, w: Float64Array): Float64Array {
  const d = w.length;
  const n = features.length / d;
  return Float64Array.from({ length: n }, (_, i) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += features[i * d + j]! * w[j]!;
    return s;
  });
}

const SAMPLES = 3000;
const DIM = 20;

for (const p of [0.9, 0.5, 0, -0.5]) {
  test(`task correlation ${p}: the linear parts and the targets correlate as asked`, () => {
    const seed = 5;
    const ds = loadSyntheticCorrelated({ samples: SAMPLES, correlation: p, inputDim: DIM, seed });
    const { w1, w2 } = correlatedTaskWeights(DIM, p, seed);
    const r = pearson(linearPart(ds.features, w1), linearPart(ds.features, w2));
    assert.ok(Math.abs(r - p) < 0.06, `linear parts: r=${r.toFixed(3)} for p=${p}`);
    const ry = pearson(ds.targets.y1!, ds.targets.y2!);
    assert.ok(Math.abs(ry - p) < 0.12, `targets: r=${ry.toFixed(3)} for p=${p}`);
  });
}

test('the weights follow the paper: unit w1 (c = 1), w1.w2 = p, ten sinusoids', () => {
  const { w1, w2, alpha, beta } = correlatedTaskWeights(100, 0.7, 1);
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  assert.ok(Math.abs(dot(w1, w1) - 1) < 1e-9);
  assert.ok(Math.abs(dot(w2, w2) - 1) < 1e-9);
  assert.ok(Math.abs(dot(w1, w2) - 0.7) < 1e-9);
  assert.equal(alpha.length, 10);
  assert.equal(beta.length, 10);
});

test('targets are the linear part plus the sinusoids plus small noise', () => {
  const seed = 2;
  const ds = loadSyntheticCorrelated({ samples: 2000, correlation: 0.3, inputDim: DIM, seed });
  const { w1, alpha, beta } = correlatedTaskWeights(DIM, 0.3, seed);
  const lin = linearPart(ds.features, w1);
  const residual = Array.from(lin, (l, i) => {
    let y = l;
    for (let k = 0; k < alpha.length; k++) y += Math.sin(alpha[k]! * l + beta[k]!);
    return ds.targets.y1![i]! - y;
  });
  const std = Math.sqrt(residual.reduce((s, e) => s + e * e, 0) / residual.length);
  assert.ok(Math.abs(std - 0.1) < 0.01, `noise std ${std}`);
});

test('inputs are standard normal, deterministic by seed, named x0..', () => {
  const a = loadSyntheticCorrelated({ samples: 500, correlation: 0.5, inputDim: 8, seed: 9 });
  const b = loadSyntheticCorrelated({ samples: 500, correlation: 0.5, inputDim: 8, seed: 9 });
  const c = loadSyntheticCorrelated({ samples: 500, correlation: 0.5, inputDim: 8, seed: 10 });
  assert.deepEqual(a.features, b.features);
  assert.deepEqual(a.targets, b.targets);
  assert.notDeepEqual(a.features, c.features);
  assert.deepEqual(a.featureNames, ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7']);
  const mean = a.features.reduce((s, x) => s + x, 0) / a.features.length;
  const variance = a.features.reduce((s, x) => s + (x - mean) ** 2, 0) / a.features.length;
  assert.ok(Math.abs(mean) < 0.06 && Math.abs(variance - 1) < 0.08, `mean ${mean}, variance ${variance}`);
  assert.throws(() => loadSyntheticCorrelated({ correlation: 1.5 }), DataError);
});
