// The quadratic programme of UPGrad's projection (Quinton & Rey 2024, Prop. 1): for a
// Gramian G (G[i][j] = <g_i, g_j>) and a lower bound u,
//     minimise v^T G v  subject to  v >= u (each coordinate),
// whose solution v gives J^T v, the projection of J^T u onto the dual cone {x : <x, g_j> >= 0}.
//
// Algorithm: Lawson & Hanson's active-set method for non-negative least squares (1974, "Solving
// Least Squares Problems", ch. 23), on the Gramian: with v = u + x, x >= 0, it is NNLS for
// |J^T u + J^T x|^2. A passive set P of free coordinates grows by the first j (index order) with
// (G v)_j < 0; v is then the minimiser with x off P at 0 (G_PP x_P = -(G u)_P), walking back to the
// last feasible point and dropping the coordinates that reach 0 when some x_P would go negative.
// Why: it is exact and ends in finitely many steps (each passive set's objective is lower than
// the last), and it needs no regularisation when G is singular (dependent or zero gradients): a
// coordinate joins P only where (G v)_j < 0, i.e. where its gradient is not in the span of P's
// (the residual J^T v is orthogonal to that span), so G_PP stays invertible. The earlier projected
// Gauss-Seidel sweeps crawled along the valley of a nearly singular G (4 gradients in 3
// dimensions: v^T G v 0.26 at its sweep limit against a minimum of 0.0026).
// Tolerance: optimal when (G v)_j >= -QP_TOLERANCE * scale off P (KKT; on P (G v)_j = 0 by the
// solve), scale = max G_ii * max(1, |v|), far below the float32 rounding (~1e-7) of the Gramian
// the trainer computes. A coordinate whose solve is singular to rounding, or that would leave P
// at once, is not tried again until P changes (Lawson & Hanson's guard against cycling).
// Cost (measured 2026-12-01, load 6, alternated with the sweeps, medians of 11 rounds on seeded
// Gramians): UPGrad's n solves 1.6, 11, 25, 38 us for 2, 4, 5, 6 independent tasks (the sweeps 0.9,
// 5.5, 20, 56), 6-18 us for 2-5 dependent ones (the sweeps 2-640 us, at their limit).

import { solveLinear } from './solvers';

export const QP_TOLERANCE = 1e-12;

/** The v >= lower minimising v^T G v (G symmetric positive semi-definite). */
export function minQuadraticAbove(gramian: readonly (readonly number[])[], lower: readonly number[]): number[] {
  const n = lower.length;
  const v = [...lower];
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    if (!gramian[i]!.every(Number.isFinite)) return v.map(() => NaN); // reported by the trainer
    maxDiag = Math.max(maxDiag, gramian[i]![i]!);
  }
  if (maxDiag === 0) return v; // every gradient is zero: any v gives the zero direction
  // Loops into reused arrays: the rule runs once a training step, n times (one QP per task).
  const gu = new Array<number>(n);
  const gv = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += gramian[i]![j]! * lower[j]!;
    gu[i] = s;
  }
  const x = new Array<number>(n).fill(0);
  const inP = new Array<boolean>(n).fill(false);
  const barred = new Array<boolean>(n).fill(false);
  // Each pass adds one coordinate and each inner step drops at least one: 3n outer passes is
  // Lawson and Hanson's practical bound; 10n + 10 leaves room for rounding, never reached in the tests.
  for (let outer = 0; outer < 10 * n + 10; outer++) {
    let size = 1;
    for (let i = 0; i < n; i++) {
      let s = gu[i]!;
      for (let j = 0; j < n; j++) s += gramian[i]![j]! * x[j]!;
      gv[i] = s;
      size = Math.max(size, Math.abs(lower[i]! + x[i]!));
    }
    const cut = -QP_TOLERANCE * maxDiag * size;
    let entering = -1;
    for (let j = 0; j < n && entering < 0; j++) {
      if (!inP[j] && !barred[j] && gramian[j]![j]! > 0 && gv[j]! < cut) entering = j;
    }
    if (entering < 0) break;
    inP[entering] = true;
    for (;;) {
      const trial: number[] = [];
      for (let j = 0; j < n; j++) if (inP[j]) trial.push(j);
      if (trial.length === 0) break;
      const z = solveLinear(trial.map((a) => trial.map((b) => gramian[a]![b]!)), trial.map((a) => -gu[a]!));
      if (!z) { // dependent within rounding: keep the feasible x reached, P its positive coordinates
        for (let j = 0; j < n; j++) inP[j] = x[j]! > 0;
        barred[entering] = true;
        break;
      }
      if (z.every((t) => t > 0)) {
        x.fill(0);
        trial.forEach((j, m) => { x[j] = z[m]!; });
        barred.fill(false);
        break;
      }
      // Walk from x towards z until the first coordinate reaches 0; drop those at 0.
      let alpha = 1;
      trial.forEach((j, m) => { if (z[m]! <= 0) alpha = Math.min(alpha, x[j]! / (x[j]! - z[m]!)); });
      trial.forEach((j, m) => {
        x[j] = x[j]! + alpha * (z[m]! - x[j]!);
        if (!(x[j]! > 0)) { x[j] = 0; inP[j] = false; }
      });
      // The entering coordinate would leave at once (only rounding allows it): not tried again until P changes.
      if (alpha === 0 && !inP[entering]) { barred[entering] = true; break; }
    }
  }
  for (let j = 0; j < n; j++) v[j] = lower[j]! + x[j]!;
  return v;
}
