// Minimising a smooth convex function over the probability simplex {w : w_i >= 0, sum w = 1},
// for CAGrad's inner problem (Liu et al. 2021, eq. 4). (This is also the shape of MGDA's
// min-norm point; the min-norm solver proper lives with MGDA, this one is general.)
//
// Algorithm: projected gradient descent with backtracking (the sufficient-decrease test of
// Beck & Teboulle 2009 for a step on a convex set), the step grown again after each accepted
// step, and the exact Euclidean projection onto the simplex (sort and threshold: Held, Wolfe &
// Crowder 1974; Duchi et al. 2008). Why: a handful of variables (one per task), a function
// that is smooth but not quadratic (CAGrad has a square root), and no step size to tune.
// Tolerance: stop when an accepted step moves no coordinate more than SIMPLEX_TOLERANCE, or
// lowers f by no more than rounding (SIMPLEX_STALL times |f|: there f is flat to machine
// precision, so w is within ~1e-8 of the minimiser and f-based steps only wander), or after
// SIMPLEX_MAX_ITERATIONS steps; callers scale their problem to O(1) first.

export const SIMPLEX_TOLERANCE = 1e-12;
export const SIMPLEX_STALL = 1e-15;
export const SIMPLEX_MAX_ITERATIONS = 100_000;

/** The point of the simplex nearest to x (Euclidean). */
export function projectOntoSimplex(x: readonly number[]): number[] {
  const sorted = [...x].sort((a, b) => b - a);
  let sum = 0;
  let theta = 0;
  for (let k = 0; k < sorted.length; k++) {
    sum += sorted[k]!;
    const t = (sum - 1) / (k + 1);
    if (sorted[k]! - t > 0) theta = t;
  }
  return x.map((v) => Math.max(0, v - theta));
}

/** argmin f over the simplex, from `start` (a point of the simplex). */
export function minimizeOnSimplex(f: (w: number[]) => number, gradient: (w: number[]) => number[], start: readonly number[]): number[] {
  let w = [...start];
  let fw = f(w);
  let step = 1;
  for (let it = 0; it < SIMPLEX_MAX_ITERATIONS; it++) {
    const g = gradient(w);
    let next: number[];
    let fNext: number;
    for (;;) {
      next = projectOntoSimplex(w.map((v, i) => v - step * g[i]!));
      fNext = f(next);
      // f(next) <= f(w) + <g, next - w> + |next - w|^2 / (2 step): the step is short enough.
      const model = fw + next.reduce((s, v, i) => s + g[i]! * (v - w[i]!) + (v - w[i]!) ** 2 / (2 * step), 0);
      if (fNext <= model + 1e-15 * Math.abs(fw) || step < 1e-20) break;
      step /= 2;
    }
    const moved = Math.max(...next.map((v, i) => Math.abs(v - w[i]!)));
    const gain = fw - fNext;
    if (gain < 0) break; // the step was accepted on rounding alone: keep w
    w = next;
    fw = fNext;
    if (moved <= SIMPLEX_TOLERANCE || gain <= SIMPLEX_STALL * Math.max(1, Math.abs(fw))) break;
    step *= 2;
  }
  return w;
}
