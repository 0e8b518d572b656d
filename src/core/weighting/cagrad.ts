// CAGrad (Liu, Liu, Jin, Stone & Liu 2021, "Conflict-Averse Gradient Descent for Multi-task
// Learning", NeurIPS, Sect. 3.1, eq. 4 and Alg. 1): the direction maximises the worst task's
// improvement min_i <g_i, d> within a ball around the mean gradient g0, |d - g0| <= c |g0|.
// Its dual over the simplex: w* = argmin_w  g_w^T g0 + c |g0| |g_w|  (g_w = sum_i w_i g_i),
// and then d = g0 + (c |g0| / |g_w*|) g_w*. On the Gramian: g_w^T g0 = w^T G 1/n,
// |g_w|^2 = w^T G w, |g0|^2 = mean of G's entries; so d's coefficients are
// 1/n + (c |g0| / |g_w*|) w*_i. c = 0 is the mean gradient; large c approaches MGDA.
// Rescale: the paper's d is used as is ('none', our default). The authors' code and LibMTL
// (rescale=1 by default) divide d by 1 + c^2, or by 1 + c (rescale=2); both are offered.
import { num, oneOf } from '../docSchema';
import { normSquared } from './gramian';
import { defineMethod } from './method';
import { isFiniteGramian, normalizedPsd } from './psdGramian';
import { minimizeOnSimplex } from './simplexMinimize';

export type CagradRescale = 'none' | 'onePlusCSquared' | 'onePlusC';

/** Smoothing inside the square root (on G scaled to a unit largest diagonal): keeps the gradient finite where g_w = 0. */
const SMOOTHING = 1e-14;

/** CAGrad's coefficients c (d = sum_i c_i g_i) for a Gramian, with the radius factor c. */
export function cagradWeights(gramian: readonly (readonly number[])[], c: number, rescale: CagradRescale = 'none'): number[] {
  const n = gramian.length;
  // The minimiser does not change when G is scaled (the objective scales with it): scaled to
  // O(1), and made positive semi-definite where float32 rounding left it slightly indefinite
  // (psdGramian.ts: else |g_w|^2 < 0 near opposed gradients, and its square root is NaN).
  const g = normalizedPsd(gramian);
  if (!g) return gramian.map(() => 1 / n); // every gradient is zero
  if (!isFiniteGramian(g)) return gramian.map(() => NaN); // reported by the trainer
  const b = g.map((row) => row.reduce((s, x) => s + x, 0) / n); // G 1/n
  const g0Norm = Math.sqrt(Math.max(0, b.reduce((s, x) => s + x, 0) / n));
  const k = c * g0Norm;
  // Loops into one reused array (the solver calls these ~30 times a step: simplexMinimize.ts).
  const q = new Array<number>(n);
  /** q = G w; returns w^T G w. */
  const quadratic = (w: readonly number[]) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += g[i]![j]! * w[j]!;
      q[i] = s;
    }
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i]! * q[i]!;
    return s;
  };
  const f = (w: number[]) => {
    const wqw = quadratic(w);
    let linear = 0;
    for (let i = 0; i < n; i++) linear += w[i]! * b[i]!;
    return linear + k * Math.sqrt(Math.max(0, wqw) + SMOOTHING);
  };
  const gradient = (w: number[]) => {
    const norm = Math.sqrt(Math.max(0, quadratic(w)) + SMOOTHING);
    return b.map((x, i) => x + (k * q[i]!) / norm);
  };
  const w = minimizeOnSimplex(f, gradient, g.map(() => 1 / n));
  const gwNorm = Math.sqrt(normSquared(w, g));
  const lambda = gwNorm > 1e-7 ? k / gwNorm : 0; // g_w = 0: the ball's centre is already optimal
  const scale = rescale === 'onePlusCSquared' ? 1 / (1 + c * c) : rescale === 'onePlusC' ? 1 / (1 + c) : 1;
  return w.map((x) => (1 / n + lambda * x) * scale);
}

export const cagrad = defineMethod({
  description: {
    id: 'cagrad', title: 'CAGrad', family: 'gradient', engine: 'rule', needs: {},
    summary: 'Moves the mean gradient within a ball of radius c times its norm to raise the worst task\'s improvement.',
    paper: 'Liu, Liu, Jin, Stone & Liu 2021, "Conflict-Averse Gradient Descent for Multi-task Learning", NeurIPS.',
    params: {
      c: num('Radius of the ball around the mean gradient, relative to its norm: 0 is the mean gradient, larger is closer to MGDA; at most 1e6 (float32 arithmetic). Default 0.4 (the paper\'s NYUv2 setting).', { min: 0, max: 1e6 }),
      rescale: oneOf(['none', 'onePlusCSquared', 'onePlusC'], 'Divide the direction by nothing (the paper, default), 1 + c^2 (the authors\' code and LibMTL\'s default) or 1 + c.'),
    },
    defaults: { c: 0.4, rescale: 'none' },
  },
  create: (p) => ({ weights: (ctx) => cagradWeights(ctx.gramian!, p.c, p.rescale as CagradRescale) }),
});
