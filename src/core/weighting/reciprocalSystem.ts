// Nash-MTL's bargaining equation (Navon et al. 2022, Sect. 3, eq. 3): find alpha > 0 with
//     G alpha = 1 / alpha   (each row: <g_i, d> = 1 / alpha_i for d = sum_j alpha_j g_j).
//
// Algorithm: damped Newton's method on phi(alpha) = alpha^T G alpha / 2 - sum_i log alpha_i,
// whose gradient is G alpha - 1/alpha: the equation is exactly phi's stationarity condition,
// and phi is strictly convex on alpha > 0 (the log barrier is), so its one minimiser is the
// solution. The full step is taken when it shrinks the residual, else halved until alpha stays
// positive and phi decreases (Armijo). Why:
// the paper approximates the solution by a sequence of convex programmes (CCP, 20 iterations
// in its code, with ECOS); on this convex reformulation Newton converges quadratically to
// full precision in a few iterations on a matrix of one row per task, with no QP library.
// A zero gradient has no finite alpha_i (nothing it can gain): it is left out, alpha_i = 0.
// Gradients with a positive combination equal to zero (G has a non-negative null vector) have
// no solution either: a ridge of RIDGE times G's own diagonal keeps the problem solvable there
// and moves a regular solution by ~1e-12 relatively, whatever the tasks' gradient scales.
// Tolerance: stop when max_i |alpha_i (G alpha)_i - 1| <= RECIPROCAL_TOLERANCE (each task's
// equation, relative), or after RECIPROCAL_MAX_ITERATIONS Newton steps.

export const RECIPROCAL_TOLERANCE = 1e-12;
export const RECIPROCAL_MAX_ITERATIONS = 200;
const RIDGE = 1e-12;

/** Solves A x = b for a symmetric positive-definite A (Cholesky). */
function solveSpd(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j]![j]!;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
    y[i] = s / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k]![i]! * x[k]!;
    x[i] = s / l[i]![i]!;
  }
  return x;
}

/** The alpha > 0 with G alpha = 1/alpha (0 for a zero gradient); undefined when every gradient is zero. */
export function solveReciprocalSystem(gramian: readonly (readonly number[])[]): number[] | undefined {
  const live = gramian.map((row, i) => i).filter((i) => gramian[i]![i]! > 0);
  if (!live.length) return undefined;
  const g = live.map((i) => live.map((j) => (i === j ? gramian[i]![i]! * (1 + RIDGE) : gramian[i]![j]!)));
  const times = (x: readonly number[]) => g.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
  const phi = (x: readonly number[]) => {
    const gx = times(x);
    return x.reduce((s, v, i) => s + 0.5 * v * gx[i]! - Math.log(v), 0);
  };
  // Start: the solution if the gradients were orthogonal.
  let alpha = g.map((row, i) => 1 / Math.sqrt(row[i]!));
  const residual = (x: readonly number[]) => {
    const gx = times(x);
    return Math.max(...x.map((a, i) => Math.abs(a * gx[i]! - 1)));
  };
  let r = residual(alpha);
  for (let it = 0; it < RECIPROCAL_MAX_ITERATIONS && r > RECIPROCAL_TOLERANCE; it++) {
    const ga = times(alpha);
    const grad = alpha.map((a, i) => ga[i]! - 1 / a);
    const hessian = g.map((row, i) => row.map((x, j) => (i === j ? x + 1 / alpha[i]! ** 2 : x)));
    const delta = solveSpd(hessian, grad).map((x) => -x);
    // The full Newton step when it keeps alpha positive and shrinks the residual (near the
    // solution phi is flat to rounding, so its decrease cannot be tested there); else halve
    // the step until phi decreases (Armijo).
    let next = alpha.map((a, i) => a + delta[i]!);
    let rNext = next.every((a) => a > 0) ? residual(next) : Infinity;
    if (!(rNext < r)) {
      const slope = grad.reduce((s, x, i) => s + x * delta[i]!, 0);
      const f0 = phi(alpha);
      let t = 1;
      do {
        t /= 2;
        next = alpha.map((a, i) => a + t * delta[i]!);
      } while (t > 1e-12 && (next.some((a) => a <= 0) || phi(next) > f0 + 0.25 * t * slope));
      if (t <= 1e-12) break; // no progress left at this precision
      rNext = residual(next);
    }
    alpha = next;
    r = rNext;
  }
  const out = gramian.map(() => 0);
  live.forEach((i, k) => { out[i] = alpha[k]!; });
  return out;
}
