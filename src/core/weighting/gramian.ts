// Arithmetic on combinations of task gradients known only through their Gramian
// G[i][j] = <g_i, g_j>. A gradient-family rule never sees the gradients themselves: a vector
// v = sum_k c_k g_k is held as its coefficients c, and every inner product or norm the
// methods need follows from G. That is why PCGrad's and GradVac's projections, written on
// vectors in their papers, can be rules here: each projection adds a multiple of an
// original gradient, so the result stays a combination of them.

/** A task Gramian: symmetric, positive semi-definite, one row per active task. */
export type Gramian = readonly (readonly number[])[];

/** <sum_k c_k g_k, g_j> = (c^T G)_j. */
export function innerWith(c: readonly number[], G: Gramian, j: number): number {
  let s = 0;
  for (let k = 0; k < c.length; k++) s += c[k]! * G[k]![j]!;
  return s;
}

/** ||sum_k c_k g_k||^2 = c^T G c (clamped at 0: rounding can make it slightly negative). */
export function normSquared(c: readonly number[], G: Gramian): number {
  let s = 0;
  for (let j = 0; j < c.length; j++) s += c[j]! * innerWith(c, G, j);
  return Math.max(0, s);
}

/** G times a vector. */
export function gramianTimes(G: Gramian, w: readonly number[]): number[] {
  return G.map((row) => row.reduce((s, g, k) => s + g * w[k]!, 0));
}

/** 0..n-1 in a random order (Fisher-Yates, drawing from `random`, uniform in [0, 1)). */
export function randomOrder(n: number, random: () => number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
