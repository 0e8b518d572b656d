// GradDrop (Chen et al. 2020, Algorithm 1) on native TensorFlow: the sign purity, the masks
// and the leak on a fixed 2x4 Jacobian with fixed uniform draws, worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { loadBackend } from '../../../../src/trainer/backend';
import { gradDropDirection, graddropWeighting } from '../../../../src/trainer/weighting/tensor/graddrop';
import { close } from '../../core/weighting/fixtures';

// g1 = (1, -2, 3, 0), g2 = (1, 1, -1, 0).
// Column sums (2, -1, 2, 0), sums of |g| (2, 3, 4, 0): P = 0.5 (1 + (1, -1/3, 1/2, 0)) = (1, 1/3, 3/4, 1/2),
// the last coordinate 0/0, taken as P = 1/2 (nothing there to keep or drop).
// U = 1/2 everywhere: P > U at coordinates 1 and 3 (keep positive parts), P < U at 2 (keep negative parts).
// M1 = (1, 1, 1, 0): g1 is positive at 1 and 3, negative at 2. M2 = (1, 0, 0, 0).
const J = [[1, -2, 3, 0], [1, 1, -1, 0]];

test('GradDrop, leak 0: d = M1 g1 + M2 g2 = (2, -2, 3, 0); kept shares 14/14 and 1/3', async () => {
  const { tf } = await loadBackend('tensorflow');
  const { direction, kept } = gradDropDirection(tf, tf.tensor2d(J), tf.fill([4], 0.5) as TF.Tensor1D, 0);
  close(Array.from(direction.dataSync()), [2, -2, 3, 0]);
  // <M1 g1, g1> / ||g1||^2 = (1 + 4 + 9) / 14 = 1; <M2 g2, g2> / ||g2||^2 = 1 / 3.
  close(Array.from(kept.dataSync()), [1, 1 / 3]);
});

test('GradDrop, leak 1/4: the dropped parts of g2 pass at 1/4: d = (2, -1.75, 2.75, 0); g2 keeps (1 + 1/4 + 1/4) / 3 = 1/2', async () => {
  const { tf } = await loadBackend('tensorflow');
  // (1/4 + 3/4 M2) g2 = (1, 1/4, -1/4, 0); g1 is kept whole: (1, -2, 3, 0).
  const { direction, kept } = gradDropDirection(tf, tf.tensor2d(J), tf.fill([4], 0.5) as TF.Tensor1D, 0.25);
  close(Array.from(direction.dataSync()), [2, -1.75, 2.75, 0]);
  close(Array.from(kept.dataSync()), [1, 0.5]);
});

test('GradDrop with U above P everywhere keeps only negative parts; the method draws U from its seeded stream (same draws, same direction)', async () => {
  const { tf } = await loadBackend('tensorflow');
  const { direction } = gradDropDirection(tf, tf.tensor2d(J), tf.fill([4], 1) as TF.Tensor1D, 0);
  close(Array.from(direction.dataSync()), [0, -2, -1, 0]);
  const run = (seed: number) => {
    const w = graddropWeighting(tf, { leak: 0 });
    let s = seed;
    const ctx = { step: 0, epoch: 1, active: [0, 1], epochLosses: [], random: () => ((s = (s * 16807) % 2147483647) / 2147483647) };
    return [0, 1, 2].map(() => Array.from(w.aggregate!(tf.tensor2d(J), [0, 1], ctx).dataSync()));
  };
  assert.deepEqual(run(3), run(3));
  // Coordinate 1 is pure (P = 1): its positive parts always pass; coordinate 4 is all zeros.
  run(5).forEach((d) => { assert.equal(d[0], 2); assert.equal(d[3], 0); });
});
