// GradDrop (Chen et al. 2020, Algorithm 1): the sign purity, the masks and the leak on a fixed
// 2x4 Jacobian with fixed uniform draws, worked out by hand, in both implementations (the
// JavaScript loop and native TensorFlow's raw ops), which must also agree on a large random one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBackend } from '../../../../src/trainer/backend';
import { nativeOps } from '../../../../src/trainer/native/ops';
import { gradDropDirection } from '../../../../src/core/weighting/gradDropDirection';
import { disposeGradDropConstants, gradDropConstants, gradDropNative, graddropWeighting } from '../../../../src/trainer/weighting/tensor/graddrop';
import { SeededRandom } from '../../../../src/core/random';
import type { TaskSpec } from '../../../../src/core/spec';
import { makeWeighting } from '../../../../src/trainer/weighting/index';
import { close } from '../../core/weighting/fixtures';

// g1 = (1, -2, 3, 0), g2 = (1, 1, -1, 0).
// Column sums (2, -1, 2, 0), sums of |g| (2, 3, 4, 0): P = 0.5 (1 + (1, -1/3, 1/2, 0)) = (1, 1/3, 3/4, 1/2),
// the last coordinate 0/0, taken as P = 1/2 (nothing there to keep or drop).
// U = 1/2 everywhere: P > U at coordinates 1 and 3 (keep positive parts), P < U at 2 (keep negative parts).
// M1 = (1, 1, 1, 0): g1 is positive at 1 and 3, negative at 2. M2 = (1, 0, 0, 0).
// Both implementations take the draws as V = 1 - 2U (the test S + V A > 0 is P > U: gradDropDirection.ts).
const J = [[1, -2, 3, 0], [1, 1, -1, 0]];
const asV = (u: number[]) => u.map((x) => 1 - 2 * x);

/** The compiled step's raw-op GradDrop (gradDropNative) on J with uniform draws u; `scale` multiplies the direction. */
async function onNative(leak: number, u: number[], scale = 1, measure = true): Promise<{ direction: number[]; shares?: number[] }> {
  const { tf } = await loadBackend('tensorflow');
  const ops = nativeOps(tf);
  const c = gradDropConstants(tf, leak);
  const out = tf.tidy(() => {
    const r = gradDropNative(tf, ops, c, tf.tensor2d(J), tf.tensor1d(asV(u)), leak, scale, measure);
    return { direction: Array.from(r.direction.dataSync()), shares: r.shares };
  });
  disposeGradDropConstants(tf, c);
  ops.dispose();
  return out;
}

test('GradDrop, leak 0: d = M1 g1 + M2 g2 = (2, -2, 3, 0); kept shares 14/14 and 1/3 (the loop and the raw ops alike)', async () => {
  const { direction, shares } = gradDropDirection(J.flat(), 2, asV([0.5, 0.5, 0.5, 0.5]), 0);
  close(Array.from(direction), [2, -2, 3, 0]);
  // <M1 g1, g1> / ||g1||^2 = (1 + 4 + 9) / 14 = 1; <M2 g2, g2> / ||g2||^2 = 1 / 3.
  close(shares, [1, 1 / 3]);
  const native = await onNative(0, [0.5, 0.5, 0.5, 0.5]);
  close(native.direction, [2, -2, 3, 0]);
  close(native.shares!, [1, 1 / 3]);
});

test('GradDrop, leak 1/4: the dropped parts of g2 pass at 1/4: d = (2, -1.75, 2.75, 0); g2 keeps (1 + 1/4 + 1/4) / 3 = 1/2 (both implementations)', async () => {
  // (1/4 + 3/4 M2) g2 = (1, 1/4, -1/4, 0); g1 is kept whole: (1, -2, 3, 0).
  const { direction, shares } = gradDropDirection(J.flat(), 2, asV([0.5, 0.5, 0.5, 0.5]), 0.25);
  close(Array.from(direction), [2, -1.75, 2.75, 0]);
  close(shares, [1, 0.5]);
  const native = await onNative(0.25, [0.5, 0.5, 0.5, 0.5]);
  close(native.direction, [2, -1.75, 2.75, 0]);
  close(native.shares!, [1, 0.5]);
});

test('GradDrop with U above P everywhere keeps only negative parts; the method draws U from its seeded stream (same draws, same direction)', async () => {
  const { tf } = await loadBackend('tensorflow');
  close(Array.from(gradDropDirection(J.flat(), 2, asV([1, 1, 1, 1]), 0).direction), [0, -2, -1, 0]);
  close((await onNative(0, [1, 1, 1, 1])).direction, [0, -2, -1, 0]);
  const run = (seed: number) => {
    const w = graddropWeighting(tf, { leak: 0 });
    let s = seed;
    const ctx = { step: 0, epoch: 1, active: [0, 1], epochLosses: [], random: () => ((s = (s * 16807) % 2147483647) / 2147483647) };
    return [0, 1, 2].map(() => Array.from(w.aggregate!(tf.tensor2d(J), [0, 1], ctx).dataSync()));
  };
  assert.deepEqual(run(3), run(3));
  // Coordinate 1 is pure (P = 1): its positive parts always pass; coordinate 4 is all zeros.
  // (0 or -0 there: the raw ops give sign(P - U) times 0.)
  run(5).forEach((d) => { assert.equal(d[0], 2); assert.ok(d[3] === 0, `coordinate 4: ${d[3]}`); });
});

test('GradDrop takes the learning rate into its sum: scale 0.1 gives 0.1 d, the same shares (no leak and leak 1/4, both implementations)', async () => {
  const half = [0.5, 0.5, 0.5, 0.5];
  for (const out of [await onNative(0, half, 0.1), gradDropDirection(J.flat(), 2, asV(half), 0, 0.1)]) {
    close(Array.from(out.direction), [0.2, -0.2, 0.3, 0]);
    close(out.shares!, [1, 1 / 3]);
  }
  for (const out of [await onNative(0.25, half, 0.1), gradDropDirection(J.flat(), 2, asV(half), 0.25, 0.1)]) {
    close(Array.from(out.direction), [0.2, -0.175, 0.275, 0]);
    close(out.shares!, [1, 0.5]);
  }
});

test('GradDrop on a step whose shares are not reported gives the same direction and measures no shares; at scale 0 a zero direction and the shares of any scale', async () => {
  const half = [0.5, 0.5, 0.5, 0.5];
  const quiet = await onNative(0, half, 0.1, false);
  close(quiet.direction, [0.2, -0.2, 0.3, 0]);
  assert.equal(quiet.shares, undefined);
  close((await onNative(0.25, half, 0.1, false)).direction, [0.2, -0.175, 0.275, 0]);
  // The sign S + V A is taken on sums scaled by scale / 2: at 0 every sign would be 0 and the shares 0.
  const still = await onNative(0, half, 0);
  close(still.direction, [0, 0, 0, 0]);
  close(still.shares!, [1, 1 / 3]);
});

test('The weighting reports GradDrop\'s shares of the reported steps only (each unreported step skips them), on both implementations', async () => {
  const { tf } = await loadBackend('tensorflow');
  const tasks = [{ id: 'a', kind: 'regression', target: 'a' }, { id: 'b', kind: 'regression', target: 'b' }] as TaskSpec[];
  // 2 x 2^14 (the raw ops) and 2 x 4 (the JavaScript loop). Opposite signs of equal size: P = 1/2, each
  // task keeps about half (shares near 1/2); all positive: P = 1 > U, both keep everything (shares 1).
  for (const width of [2 ** 14, 4]) {
    const opposite = tf.tensor2d([Array(width).fill(1), Array(width).fill(-1)]);
    const positive = tf.tensor2d([Array(width).fill(1), Array(width).fill(2)]);
    const w = makeWeighting(tf, { method: 'graddrop' }, tasks, 3);
    w.begin(0, 1, [true, true], false);
    w.aggregate(opposite).dispose();
    w.begin(1, 1, [true, true], true);
    w.aggregate(positive).dispose();
    assert.deepEqual(w.current(), { a: 1, b: 1 }, `width ${width}: the unreported step's shares (about 1/2) left out`);
    // Reported by default (a caller that does not say): the mean over the steps.
    w.begin(2, 1, [true, true]);
    w.aggregate(positive).dispose();
    w.begin(3, 1, [true, true]);
    w.aggregate(opposite).dispose();
    // Each coordinate of the opposite pair keeps one task's part (both's at P = U: a chance of 2^-16), so
    // their shares add up to 1, and the means over the two steps to 1.5.
    const mean = w.current();
    assert.ok(Math.abs(mean.a! + mean.b! - 1.5) < 0.01 && mean.a! < 1 && mean.b! < 1, `width ${width}: ${JSON.stringify(mean)}`);
    w.dispose();
    tf.dispose([opposite, positive]);
  }
});

test('GradDrop draws the same numbers on every backend: native TensorFlow (raw ops, a large Jacobian) and plain JavaScript give one direction', async () => {
  const { tf } = await loadBackend('tensorflow');
  // 2 x 2^14 (native TensorFlow takes the raw ops from 2^14 entries), the two tasks' signs
  // opposite everywhere, so that the draws decide every coordinate.
  const rng = new SeededRandom(4);
  const wide = Array.from({ length: 2 }, (_, i) => Array.from({ length: 2 ** 14 }, () => (i === 0 ? 1 : -1) * (0.1 + rng.next())));
  const directions = (backend: string) => {
    assert.equal(tf.getBackend(), backend);
    const w = graddropWeighting(tf, { leak: 0 });
    const stream = new SeededRandom(11);
    const ctx = { step: 0, epoch: 1, active: [0, 1], epochLosses: [], random: () => stream.next() };
    const out = [0, 1, 2].map(() => { const d = w.aggregate!(tf.tensor2d(wide), [0, 1], ctx, 0.5); const v = Array.from(d.dataSync()); d.dispose(); return v; });
    w.dispose();
    return out;
  };
  const native = directions('tensorflow');
  await tf.setBackend('cpu');
  try {
    const plain = directions('cpu');
    native.forEach((d, k) => d.forEach((v, p) => assert.ok(Math.abs(v - plain[k]![p]!) < 1e-6, `step ${k}, coordinate ${p}: ${v} vs ${plain[k]![p]}`)));
  } finally {
    await tf.setBackend('tensorflow');
  }
  // Each coordinate keeps one task's part, halved by the scale: never 0, never the sum of both;
  // the first task's, with its purity P = |g1| / (|g1| + |g2|) as its chance.
  let first = 0;
  let chance = 0;
  native[0]!.forEach((v, p) => {
    const [g1, g2] = [wide[0]![p]!, wide[1]![p]!];
    assert.ok(Math.abs(v - 0.5 * g1) < 1e-6 || Math.abs(v - 0.5 * g2) < 1e-6, `coordinate ${p}: ${v}`);
    if (Math.abs(v - 0.5 * g1) < 1e-6) first++;
    chance += Math.abs(g1) / (Math.abs(g1) + Math.abs(g2));
  });
  // Binomial: the standard deviation of the count is below sqrt(2^14) / 2 = 64; 5 of them.
  assert.ok(Math.abs(first - chance) < 320, `${first} coordinates kept the first task's part, expected about ${chance.toFixed(0)}`);
});
