// GradVac (Wang et al. 2021, Algorithm 1): pairwise cosine targets (moving averages), each
// gradient raised to its target by adding a multiple of the other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { innerWith, normSquared } from '../../../../src/core/weighting/gramian';
import { gradvac, gradvacWeights } from '../../../../src/core/weighting/gradvac';
import { pcgradWeights } from '../../../../src/core/weighting/pcgrad';
import { close, gradientContext, gramOf, randomJacobian } from './fixtures';

test('GradVac on g1 = (1,0), g2 = (-1,1) with beta 0.01: PCGrad\'s step first, then the targets move it', () => {
  // G = [[1,-1],[-1,2]], cos(g1, g2) = -1/sqrt2 = phi.
  const G = [[1, -1], [-1, 2]];
  const rule = gradvac.create!({ beta: 0.01 }, [{ id: 'a', kind: 'regression', weight: 1 }, { id: 'b', kind: 'regression', weight: 1 }]);
  // Step 1: targets 0, phi < 0: the added multiple is ||g_i|| (0 - phi) / ||g_j|| = PCGrad's
  // projection: g1 + g2/2 and g2 + g1, coefficients (2, 3/2). Targets become 0.99*0 + 0.01*phi = t.
  close(rule.weights(gradientContext(G)), [2, 1.5]);
  // Step 2: t = -0.01/sqrt2, r = sqrt(1 - t^2). For g1 (||g1|| = 1, ||g2|| = sqrt2):
  // a = 1 (t/sqrt2 + (1/sqrt2) r) / (sqrt2 r) = 1/2 + t/(2r) = 0.4964643777;
  // for g2 (||g2|| = sqrt2, ||g1|| = 1): b = sqrt2 (t/sqrt2 + r/sqrt2) / r = 1 + t/r = 0.9929287554.
  // Coefficients: (1 + b, a + 1) = (1.9929287554, 1.4964643777).
  close(rule.weights(gradientContext(G)), [1.9929287554, 1.4964643777]);
});

test('GradVac\'s adjustment raises the cosine exactly to the target, and the target moves by beta', () => {
  // The step-2 numbers above, checked by the cosine they give: g1 + a g2 with g2 at cos t.
  const G = [[1, -1], [-1, 2]];
  const t = -0.01 / Math.SQRT2;
  const targets = [[0, t], [t, 0]];
  gradvacWeights(G, targets, 0.01, (i) => [1 - i]);
  const a = 0.4964643777;
  const c = [1, a];
  close([innerWith(c, G, 1) / Math.sqrt(normSquared(c, G) * 2)], [t]);
  // New target: 0.99 t + 0.01 (-1/sqrt2) = -0.0140714249.
  close([targets[0]![1]!, targets[1]![0]!], [-0.0140714249, -0.0140714249]);
});

test('GradVac with every target 0 is PCGrad (same order), for three tasks', () => {
  const rng = new SeededRandom(5);
  for (let trial = 0; trial < 20; trial++) {
    const G = gramOf(randomJacobian(rng, 3, 4));
    const zeros = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
    // random() always 0 gives the order (1, 2, 0) for every task in both.
    close(gradvacWeights(G, zeros, 0.01, () => [1, 2, 0]), pcgradWeights(G, () => 0), 1e-9);
  }
});

test('GradVac keeps a target per pair of the experiment\'s tasks: a task missing from a batch keeps its own', () => {
  const tasks = ['a', 'b', 'c'].map((id) => ({ id, kind: 'regression' as const, weight: 1 }));
  const rule = gradvac.create!({ beta: 0.5 }, tasks);
  const G = [[1, -1], [-1, 2]];
  // Tasks a and c only: their targets become 0.5 * (-1/sqrt2); then a step with all three tasks,
  // where a and c are orthogonal to b and conflict as before.
  rule.weights({ ...gradientContext(G), active: [0, 2] });
  const G3 = [[1, 0, -1], [0, 1, 0], [-1, 0, 2]];
  const w = rule.weights({ ...gradientContext(G3), active: [0, 1, 2] });
  // a with c: target t = -0.5/sqrt2 (not 0), so the coefficient of c is 1/2 + t/(2 sqrt(1 - t^2)) rather than 1/2.
  const t = -0.5 / Math.SQRT2;
  assert.ok(Math.abs(w[2]! - (1 + 0.5 + t / (2 * Math.sqrt(1 - t * t)))) < 1e-5, `coefficient of c: ${w[2]}`);
});
