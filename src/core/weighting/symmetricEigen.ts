// Eigen-decomposition of a small symmetric matrix (a Gramian of task gradients), for
// Aligned-MTL (Senushkin et al. 2023).
//
// Algorithm: cyclic Jacobi rotations (Jacobi 1846; Golub & Van Loan, "Matrix Computations",
// Alg. 8.5.3): each rotation zeroes one off-diagonal entry; sweeps repeat until the
// off-diagonal part is negligible. Why: the matrix has one row per task (a handful), Jacobi
// is short, needs no library and gives eigenvectors orthonormal to rounding, even for
// repeated or zero eigenvalues (a rank-deficient Gramian).
// Tolerance: stop when the off-diagonal Frobenius norm is at most EIGEN_TOLERANCE times the
// matrix's Frobenius norm, or after EIGEN_MAX_SWEEPS sweeps (Jacobi converges quadratically;
// a few sweeps suffice for n <= 10).

export const EIGEN_TOLERANCE = 1e-15;
export const EIGEN_MAX_SWEEPS = 100;

export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: number[];
  /** vectors[k] is the unit eigenvector of values[k]. */
  vectors: number[][];
}

export function symmetricEigen(matrix: readonly (readonly number[])[]): SymmetricEigen {
  const n = matrix.length;
  const a = matrix.map((row) => [...row]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const norm = Math.sqrt(a.reduce((s, row) => s + row.reduce((t, x) => t + x * x, 0), 0));
  for (let sweep = 0; sweep < EIGEN_MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += 2 * a[p]![q]! ** 2;
    if (Math.sqrt(off) <= EIGEN_TOLERANCE * norm) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        // The rotation (c, s) with tan(2 theta) = 2 a_pq / (a_qq - a_pp), the smaller angle.
        const tau = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        for (let k = 0; k < n; k++) { // A <- A R (columns p, q)
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) { // A <- R^T A (rows p, q)
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) { // V <- V R: the columns of V are the eigenvectors
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = a.map((row, i) => i).sort((i, j) => a[j]![j]! - a[i]![i]!);
  return { values: order.map((i) => a[i]![i]!), vectors: order.map((i) => v.map((row) => row[i]!)) };
}
