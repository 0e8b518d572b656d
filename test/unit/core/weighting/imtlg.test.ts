// IMTL-G (Liu et al. 2021): the combination (weights summing to 1) with equal projections
// on every task's unit gradient.
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { gramianTimes } from '../../../../src/core/weighting/gramian';
import { imtlg, imtlgWeights } from '../../../../src/core/weighting/imtlg';
import { solveLinear } from '../../../../src/core/weighting/solvers';
import { close, gradientContext, gramOf, randomJacobian } from './fixtures';

test('IMTL-G on g1 = (1,0), g2 = (1,1): alpha = (2 - sqrt2, sqrt2 - 1), d = (1, sqrt2 - 1) projects to 1 on both unit gradients', () => {
  // Paper's form: D = g1 - g2 = (0,-1), U = u1 - u2 = (1 - 1/sqrt2, -1/sqrt2); D U^T = 1/sqrt2,
  // g1 U^T = 1 - 1/sqrt2, so alpha2 = (1 - 1/sqrt2) sqrt2 = sqrt2 - 1 and alpha1 = 2 - sqrt2.
  // Gram form: G = [[1,1],[1,2]], G^-1 = [[2,-1],[-1,1]], n = (1, sqrt2): G^-1 n = (2 - sqrt2, sqrt2 - 1), sum 1.
  const G = [[1, 1], [1, 2]];
  const w = imtlg.create!({}, []).weights(gradientContext(G));
  close(w, [2 - Math.SQRT2, Math.SQRT2 - 1]);
  // <d, u_i> = (G alpha)_i / ||g_i||: (1, sqrt2) / (1, sqrt2) = (1, 1).
  const proj = gramianTimes(G, w).map((x, i) => x / Math.sqrt(G[i]![i]!));
  close(proj, [1, 1]);
});

test('IMTL-G on parallel gradients g1 = (1,0), g2 = (2,0): the pseudo-inverse gives alpha = (1/3, 2/3)', () => {
  // G = [[1,2],[2,4]] = 5 u u^T with u = (1,2)/sqrt5; pinv = u u^T / 5 = G / 25; n = (1, 2):
  // pinv n = (1 + 4, 2 + 8) / 25 = (1/5, 2/5), normalised (1/3, 2/3); d = (5/3, 0), projections 5/3 and 5/3.
  close(imtlgWeights([[1, 2], [2, 4]]), [1 / 3, 2 / 3]);
});

test('IMTL-G\'s Gram form equals the paper\'s closed form alpha_{2..T} = g1 U^T (D U^T)^-1 (random three-task Jacobians)', () => {
  const rng = new SeededRandom(2);
  for (let trial = 0; trial < 50; trial++) {
    const J = randomJacobian(rng, 3, 5);
    const unit = J.map((g) => { const n = Math.hypot(...g); return g.map((x) => x / n); });
    const D = [1, 2].map((i) => J[0]!.map((x, k) => x - J[i]![k]!));
    const U = [1, 2].map((i) => unit[0]!.map((x, k) => x - unit[i]![k]!));
    const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k]!, 0);
    // Row vector a = g1 U^T (D U^T)^-1  <=>  (D U^T)^T a^T = U g1^T.
    const DUt = D.map((d) => U.map((u) => dot(d, u)));
    const rest = solveLinear([[DUt[0]![0]!, DUt[1]![0]!], [DUt[0]![1]!, DUt[1]![1]!]], U.map((u) => dot(J[0]!, u)))!;
    const paper = [1 - rest[0]! - rest[1]!, ...rest];
    close(imtlgWeights(gramOf(J)), paper, 1e-6);
  }
});
