// The quadratic programme of UPGrad's projection (Quinton & Rey 2024, Prop. 1): for a
// Gramian G (G[i][j] = <g_i, g_j>) and a lower bound u,
//     minimise v^T G v  subject to  v >= u (each coordinate),
// whose solution v gives J^T v, the projection of J^T u onto the dual cone {x : <x, g_j> >= 0}.
//
// Algorithm: projected Gauss-Seidel (cyclic coordinate descent, each coordinate set to its exact
// minimiser and clamped to its bound; Hildreth 1957). Why: the problem has one variable per
// task (a handful), each sweep costs O(n^2) with no factorisation, and it needs no regularisation
// when G is singular (dependent or zero task gradients), where an active-set or interior-point
// solver (TorchJD's quadprog adds 1e-4 I) would have to perturb the problem.
// Tolerance: stop when the KKT conditions hold to QP_TOLERANCE relative to the problem's scale
// (|(Gv)_i| where v_i > u_i, (Gv)_i >= 0 where v_i = u_i), or after QP_MAX_SWEEPS sweeps. The
// direction J^T v converges even where v converges slowly (the slow directions are G's small
// eigenvalues, which move J^T v little).

export const QP_TOLERANCE = 1e-12;
export const QP_MAX_SWEEPS = 20_000;

/** The v >= lower minimising v^T G v (G symmetric positive semi-definite). */
export function minQuadraticAbove(gramian: readonly (readonly number[])[], lower: readonly number[]): number[] {
  const n = lower.length;
  const v = [...lower];
  // gv = G v, kept up to date as coordinates move.
  const gv = gramian.map((row) => row.reduce((s, g, j) => s + g * v[j]!, 0));
  const maxDiag = Math.max(0, ...gramian.map((row, i) => row[i]!));
  if (maxDiag === 0) return v; // every gradient is zero: any v gives the zero direction
  for (let sweep = 0; sweep < QP_MAX_SWEEPS; sweep++) {
    for (let i = 0; i < n; i++) {
      const gii = gramian[i]![i]!;
      if (gii <= 0) continue; // a zero gradient: its coordinate does not change the objective
      const next = Math.max(lower[i]!, v[i]! - gv[i]! / gii);
      const delta = next - v[i]!;
      if (delta === 0) continue;
      v[i] = next;
      for (let k = 0; k < n; k++) gv[k]! += delta * gramian[k]![i]!;
    }
    const scale = maxDiag * Math.max(1, ...v.map(Math.abs));
    let violation = 0;
    for (let i = 0; i < n; i++) {
      violation = Math.max(violation, v[i]! > lower[i]! ? Math.abs(gv[i]!) : -gv[i]!);
    }
    if (violation <= QP_TOLERANCE * scale) break;
  }
  return v;
}
