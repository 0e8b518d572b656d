// MGDA-UB (Sener & Koltun 2018): the least-norm point of the convex hull of the task gradients.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { gramianTimes, normSquared } from '../../../../src/core/weighting/gramian';
import { mgda, mgdaWeights } from '../../../../src/core/weighting/mgda';
import { minNormInHull } from '../../../../src/core/weighting/solvers';
import { close, gradientContext as ctx, gramOf, randomJacobian } from './fixtures';

test('MGDA on g1 = (1,0), g2 = (0,2): weights (0.8, 0.2), d = (0.8, 0.4), <d, g1> = <d, g2> = ||d||^2 = 0.8', () => {
  // Algorithm 1 of the paper for two tasks: alpha = ((g2 - g1).g2) / ||g1 - g2||^2 = (0 - 0 + 4) / 5 = 0.8.
  const rule = mgda.create!({ normalization: 'none' }, []);
  const w = rule.weights(ctx([[1, 0], [0, 4]]));
  close(w, [0.8, 0.2]);
  close(gramianTimes([[1, 0], [0, 4]], w), [0.8, 0.8]);
});

test('MGDA with l2 normalisation: unit gradients (1,0), (0,1) meet at (1/2, 1/2), so the coefficients of g1, g2 are 1/2 and 1/4', () => {
  // ||g1|| = 1, ||g2|| = 2: the min-norm point of the unit gradients' hull is alpha = (1/2, 1/2);
  // d = 1/2 g1 / 1 + 1/2 g2 / 2 = (1/2, 1/2); <d, g1> = 1/2, <d, g2> = 1: no task loss increases.
  const rule = mgda.create!({ normalization: 'l2' }, []);
  close(rule.weights(ctx([[1, 0], [0, 4]])), [0.5, 0.25]);
});

test('MGDA\'s direction does not increase any task loss to first order and is the min-norm element (random Jacobians, both normalisations)', () => {
  const rng = new SeededRandom(3);
  for (let trial = 0; trial < 100; trial++) {
    const G = gramOf(randomJacobian(rng, 2 + (trial % 4), 3 + (trial % 5)));
    const scale = Math.max(...G.map((r, i) => r[i]!));
    for (const normalization of ['none', 'l2']) {
      const w = mgdaWeights(G, normalization);
      gramianTimes(G, w).forEach((dg, i) => assert.ok(dg >= -1e-9 * scale, `trial ${trial} ${normalization}: <d, g_${i}> = ${dg}`));
    }
    // Without normalisation the weights are the hull's min-norm element: no point of the
    // simplex (sampled) has a smaller norm.
    const w = mgdaWeights(G, 'none');
    assert.deepEqual(w, minNormInHull(G));
    const best = normSquared(w, G);
    for (let k = 0; k < 50; k++) {
      const raw = G.map(() => -Math.log(1 - rng.next()));
      const sum = raw.reduce((a, b) => a + b, 0);
      assert.ok(normSquared(raw.map((r) => r / sum), G) >= best - 1e-12 * scale);
    }
  }
});

test('MGDA\'s rule, which starts each step from the last step\'s support, gives each step the cold solver\'s weights', () => {
  const rng = new SeededRandom(5);
  for (const normalization of ['none', 'l2']) {
    const rule = mgda.create!({ normalization }, []);
    for (let step = 0; step < 100; step++) {
      const G = gramOf(randomJacobian(rng, 3 + (step % 2), 4));
      close(rule.weights(ctx(G)), mgdaWeights(G, normalization), 1e-9);
    }
  }
});
