// GradDrop (Chen et al. 2020, Algorithm 1) on native TensorFlow: the sign purity, the masks
// and the leak on a fixed 2x4 Jacobian with fixed uniform draws, worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend } from '../../../../src/trainer/backend';
import { nativeOps } from '../../../../src/trainer/native/ops';
import { disposeGradDropConstants, gradDropConstants, gradDropDirection, gradDropNative, graddropWeighting } from '../../../../src/trainer/weighting/tensor/graddrop';
import { close } from '../../core/weighting/fixtures';

// g1 = (1, -2, 3, 0), g2 = (1, 1, -1, 0).
// Column sums (2, -1, 2, 0), sums of |g| (2, 3, 4, 0): P = 0.5 (1 + (1, -1/3, 1/2, 0)) = (1, 1/3, 3/4, 1/2),
// the last coordinate 0/0, taken as P = 1/2 (nothing there to keep or drop).
// U = 1/2 everywhere: P > U at coordinates 1 and 3 (keep positive parts), P < U at 2 (keep negative parts).
// M1 = (1, 1, 1, 0): g1 is positive at 1 and 3, negative at 2. M2 = (1, 0, 0, 0).
const J = [[1, -2, 3, 0], [1, 1, -1, 0]];

/** The compiled step's raw-op GradDrop (gradDropNative) on J with draws u. */
async function onNative(leak: number, u: number[]): Promise<{ direction: number[]; shares: number[] }> {
  const { tf } = await loadBackend('tensorflow');
  const ops = nativeOps(tf);
  const c = gradDropConstants(tf, leak);
  const out = tf.tidy(() => {
    const r = gradDropNative(tf, ops, c, tf.tensor2d(J), tf.tensor1d(u), leak);
    return { direction: Array.from(r.direction.dataSync()), shares: r.shares };
  });
  disposeGradDropConstants(tf, c);
  ops.dispose();
  return out;
}

test('GradDrop, leak 0: d = M1 g1 + M2 g2 = (2, -2, 3, 0); kept shares 14/14 and 1/3 (tfjs-core ops and the raw ops alike)', async () => {
  const { tf } = await loadBackend('tensorflow');
  const { direction, kept } = gradDropDirection(tf, tf.tensor2d(J), tf.fill([4], 0.5) as TF.Tensor1D, 0);
  close(Array.from(direction.dataSync()), [2, -2, 3, 0]);
  // <M1 g1, g1> / ||g1||^2 = (1 + 4 + 9) / 14 = 1; <M2 g2, g2> / ||g2||^2 = 1 / 3.
  close(Array.from(kept.dataSync()), [1, 1 / 3]);
  const native = await onNative(0, [0.5, 0.5, 0.5, 0.5]);
  close(native.direction, [2, -2, 3, 0]);
  close(native.shares, [1, 1 / 3]);
});

test('GradDrop, leak 1/4: the dropped parts of g2 pass at 1/4: d = (2, -1.75, 2.75, 0); g2 keeps (1 + 1/4 + 1/4) / 3 = 1/2 (both implementations)', async () => {
  const { tf } = await loadBackend('tensorflow');
  // (1/4 + 3/4 M2) g2 = (1, 1/4, -1/4, 0); g1 is kept whole: (1, -2, 3, 0).
  const { direction, kept } = gradDropDirection(tf, tf.tensor2d(J), tf.fill([4], 0.5) as TF.Tensor1D, 0.25);
  close(Array.from(direction.dataSync()), [2, -1.75, 2.75, 0]);
  close(Array.from(kept.dataSync()), [1, 0.5]);
  const native = await onNative(0.25, [0.5, 0.5, 0.5, 0.5]);
  close(native.direction, [2, -1.75, 2.75, 0]);
  close(native.shares, [1, 0.5]);
});

test('GradDrop with U above P everywhere keeps only negative parts; the method draws U from its seeded stream (same draws, same direction)', async () => {
  const { tf } = await loadBackend('tensorflow');
  const { direction } = gradDropDirection(tf, tf.tensor2d(J), tf.fill([4], 1) as TF.Tensor1D, 0);
  close(Array.from(direction.dataSync()), [0, -2, -1, 0]);
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
