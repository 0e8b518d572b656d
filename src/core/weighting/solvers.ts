// The small optimisations of the gradient-family methods, solved on the task Gramian in
// plain TypeScript (a few tasks: the matrices are 2x2 to 10x10, so exact dense algorithms
// in float64 cost microseconds next to the backward passes that made the Gramian). Each
// solver is one function stating its algorithm, its tolerance and why that one; MGDA,
// IMTL-G and the later CAGrad, Nash-MTL, Aligned-MTL and UPGrad share them.
import { gramianTimes, normSquared, type Gramian } from './gramian';
import { isFiniteGramian, normalizedPsd } from './psdGramian';
import { symmetricEigen } from './symmetricEigen';

/** The one Jacobi eigen-solver (symmetricEigen.ts), also for pseudoInverseSolve below. */
export { symmetricEigen };

/**
 * Solves A x = b (A square) by Gaussian elimination with partial pivoting; undefined when a
 * pivot is below `singular` times the largest entry of A (the system has no unique solution).
 * Why: the systems here are at most (tasks + 1) square, where elimination is exact to
 * rounding and a singular system must be reported, not divided through.
 */
export function solveLinear(A: readonly (readonly number[])[], b: readonly number[], singular = 1e-13): number[] | undefined {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(...A.flatMap((row) => row.map(Math.abs)), 0);
  if (scale === 0) return undefined;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) <= singular * scale) return undefined;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    for (let r = col + 1; r < n; r++) {
      const f = m[r]![col]! / m[col]![col]!;
      if (f !== 0) for (let c = col; c <= n; c++) m[r]![c]! -= f * m[col]![c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let c = r + 1; c < n; c++) s -= m[r]![c]! * x[c]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

/**
 * The point of least norm in the convex hull of the task gradients, as its weights alpha
 * (alpha >= 0, sum 1): min_alpha alpha^T G alpha over the simplex. MGDA's subproblem (Sener &
 * Koltun 2018, eq. 3; Desideri 2012).
 *
 * Algorithm: Wolfe's min-norm-point algorithm (Wolfe 1976, "Finding the nearest point in a
 * polytope", Math. Programming 11), written on the Gramian: keep a set S of affinely
 * independent gradients ("corral") whose affine hull's least-norm point lies inside their
 * hull; add the gradient most opposed to the current point x (least <x, g_j>) while
 * <x, g_j> < ||x||^2, and drop gradients whose weight reaches 0 on the way to the new
 * affine minimiser. It ends in finitely many steps at the exact minimiser (up to rounding).
 * Why not Frank-Wolfe (the paper's Algorithm 2, LibMTL, TorchJD): Frank-Wolfe converges
 * sublinearly and stops at a tolerance (1e-3 in TorchJD), so its weights are only near the
 * min-norm element; Wolfe's active-set method gives the element itself, which the tests
 * check to 1e-5 and which the first-order guarantee (<d, g_i> >= ||d||^2 >= 0) needs.
 * Tolerance: optimal when ||x||^2 - min_j <x, g_j> <= 1e-12 * max_i ||g_i||^2, far below the
 * float32 rounding (about 1e-7 relative) of the Gramian the trainer computes.
 * When every gradient is 0, any weights give 0: the uniform weights are returned.
 * `warm`: a guess of the answer's support (the tasks with weight > 0), e.g. the last training
 * step's, whose Gramian is close to this one's. Its affine minimiser is taken when it is
 * certified optimal (every weight > 0 and the stopping test above), else the search starts
 * cold: the guess changes the time (one linear solve instead of one per task added: 7 µs
 * instead of 18 a solve on the Gramians of 4 tasks training in representation mode, where
 * every task keeps a weight), never the answer beyond the tolerance.
 */
export function minNormInHull(gramian: Gramian, tolerance = 1e-12, warm?: readonly number[]): number[] {
  const n = gramian.length;
  if (n === 0) return [];
  // The minimiser does not change with G's scale: solved on G / max G_ii, made positive
  // semi-definite (psdGramian.ts). Unscaled, the pivots of a Gramian of gradients below ~1e-7
  // fell under solveLinear's cut next to the KKT system's ones, and the search stopped at its
  // first gradient (weights [1, 0, 0] for three opposed gradients: solverCampaign.test.ts).
  const G = normalizedPsd(gramian);
  if (!G) return gramian.map(() => 1 / n);
  if (!isFiniteGramian(G)) return gramian.map(() => NaN); // reported by the trainer
  const tol = tolerance;
  let start = 0;
  for (let i = 1; i < n; i++) if (G[i]![i]! < G[start]![start]!) start = i;
  if (n === 2) return minNormOnSegment(G, start, tol);
  const guessed = warm && warm.length > 1 && warm.every((k) => k < n) ? certifiedOnSupport(G, warm, tol) : undefined;
  if (guessed) return guessed;
  let w: number[] = G.map((_, i) => (i === start ? 1 : 0));
  let corral = [start];
  // Each major step adds one gradient; each minor step removes one: 2n^2 bounds both in practice.
  for (let major = 0; major < 4 * n * n + 10; major++) {
    const Gw = gramianTimes(G, w);
    const xx = normSquared(w, G);
    let j = 0;
    for (let k = 1; k < n; k++) if (Gw[k]! < Gw[j]!) j = k;
    if (xx - Gw[j]! <= tol || corral.includes(j)) break;
    corral = [...corral, j];
    for (let minor = 0; minor <= n; minor++) {
      const v = affineMinimiser(G, corral);
      if (!v) return finish(w); // affinely dependent within rounding: the current point is the answer
      if (v.every((vk) => vk > 0)) {
        w = G.map(() => 0);
        corral.forEach((k, m) => { w[k] = v[m]!; });
        break;
      }
      // Walk from w towards v until the first weight reaches 0; drop the gradients at 0.
      let theta = 1;
      corral.forEach((k, m) => { if (v[m]! <= 0) theta = Math.min(theta, w[k]! / (w[k]! - v[m]!)); });
      corral.forEach((k, m) => { w[k] = (1 - theta) * w[k]! + theta * v[m]!; });
      corral = corral.filter((k) => w[k]! > 1e-15);
      for (let k = 0; k < n; k++) if (!corral.includes(k)) w[k] = 0;
    }
  }
  return finish(w);
}

/**
 * Two tasks: the least-norm point of the segment between g1 and g2 in closed form (Sener &
 * Koltun 2018, Algorithm 1): gamma = <g2 - g1, g2> / ||g1 - g2||^2 clipped to [0, 1], the
 * point gamma g1 + (1 - gamma) g2. The answer Wolfe's method reaches in its one or two steps,
 * without its bookkeeping (this runs every training step). Gradients equal within rounding:
 * the shorter one (`start`), where Wolfe's method stops too.
 */
function minNormOnSegment(G: Gramian, start: number, tol: number): number[] {
  const [a, b, c] = [G[0]![0]!, G[1]![1]!, G[0]![1]!];
  const distance = a + b - 2 * c; // ||g1 - g2||^2
  if (!(distance > tol)) return start === 0 ? [1, 0] : [0, 1];
  const gamma = Math.min(1, Math.max(0, (b - c) / distance));
  return [gamma, 1 - gamma];
}

/**
 * The affine minimiser on support S when it is the min-norm point of the hull: its weights
 * all > 0 (so it lies in S's hull) and no gradient passes the stopping test of minNormInHull
 * (so no other point of the hull is shorter); undefined otherwise.
 */
function certifiedOnSupport(G: Gramian, S: readonly number[], tol: number): number[] | undefined {
  const v = affineMinimiser(G, S);
  if (!v || !v.every((vk) => vk > 0)) return undefined;
  const w = G.map(() => 0);
  S.forEach((k, m) => { w[k] = v[m]!; });
  const Gw = gramianTimes(G, w);
  const xx = normSquared(w, G);
  return Gw.every((gw) => xx - gw <= tol) ? finish(w) : undefined;
}

/** Clamps rounding below 0 and renormalises the weights to sum 1. */
function finish(w: readonly number[]): number[] {
  const clamped = w.map((v) => Math.max(0, v));
  const sum = clamped.reduce((a, b) => a + b, 0);
  return clamped.map((v) => v / sum);
}

/**
 * The least-norm point of the affine hull of the gradients in S, as weights summing to 1
 * (possibly negative): the KKT system [G_S 1; 1^T 0] [v; mu] = [0; 1].
 */
function affineMinimiser(G: Gramian, S: readonly number[]): number[] | undefined {
  const m = S.length;
  const A = S.map((a) => [...S.map((b) => G[a]![b]!), 1]);
  A.push([...S.map(() => 1), 0]);
  const x = solveLinear(A, [...S.map(() => 0), 1]);
  return x?.slice(0, m);
}

/**
 * x = pinv(S) b for a symmetric positive semi-definite S (a Gramian), through its
 * eigendecomposition: the components along eigenvalues at most `rcond` times the largest are
 * left out. Why a pseudo-inverse: a Gramian is singular whenever two tasks' gradients are
 * parallel (or one is 0), where a plain solve divides by rounding; on an invertible Gramian
 * it is the inverse. Tolerance: rcond 1e-6 by default, because the trainer computes the
 * Gramian in float32 (relative rounding about 1e-7): smaller eigenvalues are rounding, not signal.
 */
export function pseudoInverseSolve(S: Gramian, b: readonly number[], rcond = 1e-6): number[] {
  const { values, vectors } = symmetricEigen(S);
  const top = Math.max(0, ...values);
  const x = b.map(() => 0);
  if (top === 0) return x;
  values.forEach((lambda, k) => {
    if (lambda <= rcond * top) return;
    const u = vectors[k]!;
    const coef = u.reduce((s, uk, i) => s + uk * b[i]!, 0) / lambda;
    u.forEach((uk, i) => { x[i]! += coef * uk; });
  });
  return x;
}
