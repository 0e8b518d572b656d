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

// Written as loops into reused arrays (the same arithmetic in the same order as maps and
// reduces): the solver runs once a training step, and with arrays made afresh at each of its
// ~30 iterations garbage collection took about 40 % of its time (CAGrad: 70-90 µs a solve,
// bench/weightingCost.ts --profile, a fifth of an equal-weighting step).

/** The point of the simplex nearest to x (Euclidean), written into `out`. */
export function projectOntoSimplex(x: readonly number[], out: number[] = new Array<number>(x.length)): number[] {
  const n = x.length;
  // Ascending; read from the end for the largest first (ties are equal values: any order).
  const sorted = Float64Array.from(x).sort();
  let sum = 0;
  let theta = 0;
  for (let k = 0; k < n; k++) {
    const v = sorted[n - 1 - k]!;
    sum += v;
    const t = (sum - 1) / (k + 1);
    if (v - t > 0) theta = t;
  }
  for (let i = 0; i < n; i++) out[i] = Math.max(0, x[i]! - theta);
  return out;
}

/** argmin f over the simplex, from `start` (a point of the simplex). `f` and `gradient` must not keep the array they are given. */
export function minimizeOnSimplex(f: (w: number[]) => number, gradient: (w: number[]) => number[], start: readonly number[]): number[] {
  const n = start.length;
  let w = [...start];
  let next = new Array<number>(n);
  const trial = new Array<number>(n);
  let fw = f(w);
  let step = 1;
  for (let it = 0; it < SIMPLEX_MAX_ITERATIONS; it++) {
    const g = gradient(w);
    let fNext: number;
    for (;;) {
      for (let i = 0; i < n; i++) trial[i] = w[i]! - step * g[i]!;
      projectOntoSimplex(trial, next);
      fNext = f(next);
      // f(next) <= f(w) + <g, next - w> + |next - w|^2 / (2 step): the step is short enough.
      let change = 0;
      for (let i = 0; i < n; i++) change = change + g[i]! * (next[i]! - w[i]!) + (next[i]! - w[i]!) ** 2 / (2 * step);
      if (fNext <= fw + change + 1e-15 * Math.abs(fw) || step < 1e-20) break;
      step /= 2;
    }
    let moved = -Infinity;
    for (let i = 0; i < n; i++) moved = Math.max(moved, Math.abs(next[i]! - w[i]!));
    const gain = fw - fNext;
    if (gain < 0) break; // the step was accepted on rounding alone: keep w
    [w, next] = [next, w];
    fw = fNext;
    if (moved <= SIMPLEX_TOLERANCE || gain <= SIMPLEX_STALL * Math.max(1, Math.abs(fw))) break;
    step *= 2;
  }
  return w;
}
