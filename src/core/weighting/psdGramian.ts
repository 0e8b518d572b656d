// The trainer computes a Gramian from float32 gradients, so it is positive semi-definite only
// up to rounding: for nearly dependent gradients (two nearly opposed, or one a positive
// combination of the others) its smallest eigenvalue, truly ~0, comes out slightly negative,
// and for tiny gradients its entries are subnormal floats, exact to a few digits only. A
// solver that assumes v^T G v >= 0 then breaks: UPGrad's QP (nonnegativeQp.ts) becomes
// unbounded along the negative direction (its former Gauss-Seidel sweeps grew v to 1e11 on a
// Gramian of 1e-40 entries), and CAGrad takes the square root of a negative |g_w|^2 (NaN).
//
// So those solvers run on the nearest positive semi-definite matrix in the Frobenius norm
// (Higham 1988, "Computing a nearest symmetric positive semidefinite matrix", Linear Algebra
// Appl. 103): G = V Lambda V^T, negative eigenvalues set to 0, on G scaled to a largest
// diagonal of 1 (the minimisers of both problems do not change with G's scale, and float64
// arithmetic on O(1) numbers keeps subnormal inputs from losing more digits). A Gramian that
// is PSD already is returned to within rounding (1e-16 relative). Why not TorchJD's way
// (normalise, add 1e-4 I before quadprog): the ridge moves every answer by ~1e-4, which the
// hand-worked tests (1e-5) would see; the clamp moves an answer only by G's own rounding.
import { symmetricEigen } from './symmetricEigen';

/** Whether every entry of G is finite (a NaN or infinite loss makes it not). */
export const isFiniteGramian = (gramian: readonly (readonly number[])[]): boolean => gramian.every((row) => row.every(Number.isFinite));

/**
 * G / max_i G_ii with its negative eigenvalues set to 0; undefined when every gradient is zero.
 * A G that is not finite (a NaN or infinite loss) gives NaN everywhere, so that the solver's
 * weights are not finite either and the trainer reports it (weighting/index.ts), never hides it.
 */
export function normalizedPsd(gramian: readonly (readonly number[])[]): number[][] | undefined {
  if (!isFiniteGramian(gramian)) return gramian.map((row) => row.map(() => NaN));
  const top = Math.max(0, ...gramian.map((row, i) => row[i]!));
  if (top === 0) return undefined;
  const scaled = gramian.map((row) => row.map((x) => x / top));
  // The usual case, independent gradients: a Cholesky factorisation with positive pivots proves G
  // positive definite (to float64 rounding, far below what the solvers see) without the Jacobi
  // sweeps, which cost 10-25 us a call, more than MGDA's or UPGrad's own solve on 2-4 tasks.
  if (positiveDefinite(scaled)) return scaled;
  const { values, vectors } = symmetricEigen(scaled);
  if (values.every((lambda) => lambda >= 0)) return scaled;
  const n = scaled.length;
  return scaled.map((_, i) => Array.from({ length: n }, (__, j) =>
    values.reduce((s, lambda, k) => (lambda > 0 ? s + lambda * vectors[k]![i]! * vectors[k]![j]! : s), 0)));
}

/** Whether the Cholesky factorisation of A meets only positive pivots. */
function positiveDefinite(a: readonly (readonly number[])[]): boolean {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let pivot = a[j]![j]!;
    for (let k = 0; k < j; k++) pivot -= l[j]![k]! ** 2;
    if (!(pivot > 0)) return false;
    const root = Math.sqrt(pivot);
    l[j]![j] = root;
    for (let i = j + 1; i < n; i++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = s / root;
    }
  }
  return true;
}
