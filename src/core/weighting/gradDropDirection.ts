// GradDrop's direction on numbers (the formula: graddrop.ts): one pass over the Jacobian,
// coordinate by coordinate. The trainer uses it on every backend but for large Jacobians on
// native TensorFlow (weighting/tensor/graddrop.ts): for a few thousand coordinates (the
// shared representation of a batch) one read-back and this loop cost less than the
// TensorFlow ops of the raw-op version; for 10^5 and more (the shared parameters) the ops win.
// Per coordinate p, with S = sum_i g_ip and A = sum_i |g_ip| the purity is
// P = 0.5 (1 + S / A), and with V = 1 - 2U (the draws come as V: core/random.ts fillSymmetric)
// P > U  <=>  0.5 (1 + S / A) > 0.5 (1 - V)  <=>  S + V A > 0 (A > 0; no division; where A = 0
// every g_ip is 0 and nothing is kept or dropped). s = sign(S + V A) keeps the positive parts
// (s = 1), the negative ones (s = -1) or neither (P = U); a dropped part passes at `leak`.

export interface GradDropOut {
  /** The direction, sum_i kept_i, times the scale: one number per coordinate. */
  direction: Float32Array;
  /** Each task's kept share <kept_i, g_i> / ||g_i||^2 (1 for a zero gradient: nothing to drop). */
  shares: number[];
}

/**
 * A task's kept share of its gradient g from <masked, g> (its parts of the mask's sign) and
 * ||g||^2: the dropped rest passes at `leak`; 1 for a zero gradient (nothing to drop).
 */
export function keptShare(maskedDot: number, norm: number, leak: number): number {
  return norm === 0 ? 1 : (leak * norm + (1 - leak) * maskedDot) / norm;
}

/**
 * `jacobian`: row-major [tasks, P]; `v`: one draw V = 1 - 2U per coordinate (U uniform in
 * [0, 1)); `scale` multiplies the direction (the learning rate, when the caller folds it in).
 */
export function gradDropDirection(jacobian: ArrayLike<number>, tasks: number, v: ArrayLike<number>, leak: number, scale = 1): GradDropOut {
  const P = v.length;
  const direction = new Float32Array(P);
  const dots = new Float64Array(tasks);
  const norms = new Float64Array(tasks);
  for (let p = 0; p < P; p++) {
    let sum = 0;
    let total = 0;
    for (let i = 0, q = p; i < tasks; i++, q += P) {
      const g = jacobian[q]!;
      sum += g;
      total += Math.abs(g);
    }
    const s = Math.sign(sum + v[p]! * total);
    let d = 0;
    for (let i = 0, q = p; i < tasks; i++, q += P) {
      const g = jacobian[q]!;
      const kept = s * g > 0 ? g : leak * g;
      d += kept;
      dots[i]! += kept * g;
      norms[i]! += g * g;
    }
    direction[p] = d * scale;
  }
  return { direction, shares: Array.from(norms, (n, i) => (n === 0 ? 1 : dots[i]! / n)) };
}
