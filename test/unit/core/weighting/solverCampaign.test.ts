// Every JavaScript solver of the gradient methods on the Gramians training really produces:
// float32 gradients that are nearly opposed or nearly dependent (the rounded Gramian can be
// slightly indefinite), huge and tiny (subnormal) scales, zero gradients. Each result must be
// finite and keep its method's property, checked on the exact Gramian of the same gradients:
// rounding in G may cost a float32-sized error, never a wrong or non-finite answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../../src/core/random';
import { alignedMtlWeights } from '../../../../src/core/weighting/alignedMtl';
import { cagradWeights } from '../../../../src/core/weighting/cagrad';
import { imtlgWeights } from '../../../../src/core/weighting/imtlg';
import { mgdaWeights } from '../../../../src/core/weighting/mgda';
import { nashMtlWeights } from '../../../../src/core/weighting/nashMtl';
import { normalizedPsd } from '../../../../src/core/weighting/psdGramian';
import { symmetricEigen } from '../../../../src/core/weighting/symmetricEigen';
import { upgradWeights } from '../../../../src/core/weighting/upgrad';
import { roundedGramians, type RoundedGramian } from './roundedGramians';

/**
 * A property holds to this share of max |g_i|^2: 1e-5 (float32 rounding of G is ~1e-7 of its
 * largest entry), or 10 n times how far rounding moved this G, if more (subnormal entries).
 */
const tolerance = ({ rounding, exact }: RoundedGramian) => Math.max(1e-5, 10 * exact.length * rounding);

const times = (G: readonly (readonly number[])[], c: readonly number[]) => G.map((row) => row.reduce((s, g, j) => s + g * c[j]!, 0));
const quadratic = (G: readonly (readonly number[])[], c: readonly number[]) => times(G, c).reduce((s, x, i) => s + x * c[i]!, 0);
const maxDiag = (G: readonly (readonly number[])[]) => Math.max(0, ...G.map((row, i) => row[i]!));
const finite = (label: string, w: readonly number[]) => assert.ok(w.every(Number.isFinite), `${label}: weights [${w.join(', ')}]`);

const CASES: RoundedGramian[] = roundedGramians(new SeededRandom(2024), 2, 6);

test('UPGrad: finite, in the dual cone, no longer than the longest gradient, coefficients of the size of the exact ones', () => {
  for (const one of CASES) {
    const { label, rounded, exact } = one;
    const ROUNDING = tolerance(one);
    const c = upgradWeights(rounded);
    finite(label, c);
    // c_j >= 1/n (v_i >= e_i); here the exact coefficients are at most 2 (the cases' gradients are O(1) combinations of each other).
    assert.ok(c.every((x) => x >= 1 / c.length - ROUNDING && x <= 2), `${label}: c = [${c.join(', ')}]`);
    const top = maxDiag(exact);
    // <d, g_j> >= 0 for every task, to rounding (Quinton & Rey 2024, Prop. 1).
    times(exact, c).forEach((inner, j) => assert.ok(inner >= -ROUNDING * top, `${label}: <d, g_${j}> = ${inner} (max |g|^2 ${top}), c = [${c.join(', ')}]`));
    // d is the mean of projections, each no longer than its gradient.
    assert.ok(quadratic(exact, c) <= top * (1 + ROUNDING), `${label}: |d|^2 = ${quadratic(exact, c)} > ${top}`);
  }
});

test('MGDA (Wolfe, 5 and 6 tasks too): on the simplex, and no task loss increases to first order', () => {
  for (const one of CASES) {
    const { label, rounded, exact } = one;
    const ROUNDING = tolerance(one);
    for (const normalization of ['none', 'l2']) {
      const w = mgdaWeights(rounded, normalization);
      finite(label, w);
      assert.ok(w.every((x) => x >= 0), `${label} (${normalization}): [${w.join(', ')}]`);
      // <d, g_i> >= 0 (>= |d|^2 on the problem solved): -d increases no task's loss.
      // The terms of sum_i w_i <g_i, g_j>: w_i <= 1 ('none') or 1 / |g_i| ('l2').
      const scale = exact.length * (normalization === 'l2' ? Math.sqrt(maxDiag(exact)) : maxDiag(exact));
      times(exact, w).forEach((inner, j) => assert.ok(inner >= -ROUNDING * scale, `${label} (${normalization}): <d, g_${j}> = ${inner}`));
    }
  }
});

test('CAGrad: finite, and its dual objective no worse than at the simplex\'s corners and centre', () => {
  for (const one of CASES) {
    const { label, rounded, exact } = one;
    const ROUNDING = tolerance(one);
    const n = exact.length;
    const c = 0.4;
    const weights = cagradWeights(rounded, c);
    finite(label, weights);
    const top = maxDiag(exact);
    if (top === 0) continue;
    // Back from d's coefficients (1/n + lambda w) to w on the simplex, when lambda > 0.
    const shifted = weights.map((x) => x - 1 / n);
    const total = shifted.reduce((s, x) => s + x, 0);
    if (!(total > 1e-9)) continue; // lambda = 0: g_w = 0, the mean gradient (the ball's centre)
    const w = shifted.map((x) => x / total);
    const G = exact.map((row) => row.map((x) => x / top));
    const b = times(G, G.map(() => 1 / n));
    const k = c * Math.sqrt(Math.max(0, b.reduce((s, x) => s + x, 0) / n));
    const dual = (v: readonly number[]) => v.reduce((s, x, i) => s + x * b[i]!, 0) + k * Math.sqrt(Math.max(0, quadratic(G, v)));
    const ends = [G.map(() => 1 / n), ...G.map((_, i) => G.map((__, j) => (i === j ? 1 : 0)))];
    for (const end of ends) assert.ok(dual(w) <= dual(end) + ROUNDING, `${label}: F(w) = ${dual(w)} > F([${end.join(', ')}]) = ${dual(end)}`);
  }
});

test('MGDA and CAGrad on n gradients in fewer than n dimensions: at their minimum (Frank-Wolfe gap), no iteration limit cutting them short', () => {
  // For a convex f on the simplex the Frank-Wolfe gap <grad f(w), w> - min_j (grad f(w))_j bounds
  // f(w) - f* from above (f* >= f(w) + <grad f(w), e_j - w> at the best corner j). Checked on the
  // problem each solver solves: G = normalizedPsd(rounded G), largest diagonal 1.
  // MGDA: f = w^T G w, grad = 2 G w; its active set (Wolfe) is exact: gap within 1e-10 (measured
  // <= 2e-12). CAGrad: f = w^T b + k |g_w| (b = G 1/n, k = c |g0|), grad = b + k G w / |g_w|; its
  // projected gradient stops on a stall: gap within 1e-6 (measured <= 2.2e-7 on 6 tasks, the
  // direction within 2e-7 of the longest gradient of one run to rounding).
  const random = new SeededRandom(23);
  for (let trial = 0; trial < 200; trial++) {
    const n = 3 + (trial % 4);
    const dims = 1 + random.int(n - 1);
    const rows = Array.from({ length: n }, () => Array.from({ length: dims }, () => random.normal() + (trial % 3) * 0.3));
    const rounded = rows.map((a) => rows.map((b) => Math.fround(a.reduce((s, x, i) => s + x * b[i]!, 0))));
    const G = normalizedPsd(rounded)!;
    const label = `trial ${trial}: ${n} gradients in ${dims} dimensions`;
    const a = mgdaWeights(rounded, 'none');
    const ga = times(G, a);
    const gapMgda = 2 * (quadratic(G, a) - Math.min(...ga));
    assert.ok(gapMgda <= 1e-10, `${label}: MGDA's gap ${gapMgda}, w = [${a.join(', ')}]`);
    const c = 0.4;
    const shifted = cagradWeights(rounded, c).map((x) => x - 1 / n);
    const total = shifted.reduce((s, x) => s + x, 0);
    if (!(total > 1e-9)) continue; // lambda = 0: g_w = 0, the mean gradient (the ball's centre)
    const w = shifted.map((x) => x / total);
    const b = times(G, G.map(() => 1 / n));
    const k = c * Math.sqrt(Math.max(0, b.reduce((s, x) => s + x, 0) / n));
    const gw = times(G, w);
    const norm = Math.sqrt(Math.max(0, quadratic(G, w)) + 1e-14);
    const grad = b.map((x, j) => x + (k * gw[j]!) / norm);
    const gapCagrad = grad.reduce((s, x, j) => s + x * w[j]!, 0) - Math.min(...grad);
    assert.ok(gapCagrad <= 1e-6, `${label}: CAGrad's gap ${gapCagrad}, w = [${w.join(', ')}]`);
  }
});

test('Nash-MTL: finite, non-negative, |d| within maxNorm', () => {
  for (const one of CASES) {
    const { label, rounded, exact } = one;
    const ROUNDING = tolerance(one);
    const alpha = nashMtlWeights(rounded, 1);
    finite(label, alpha);
    assert.ok(alpha.every((a) => a >= 0), `${label}: [${alpha.join(', ')}]`);
    assert.ok(Math.sqrt(Math.max(0, quadratic(exact, alpha))) <= 1 + ROUNDING, `${label}: |d| = ${Math.sqrt(quadratic(exact, alpha))}`);
  }
});

test('IMTL-G: finite, summing to 1 (or all 0), equal projections on well-separated gradients', () => {
  for (const one of CASES) {
    const { label, rounded, exact } = one;
    const alpha = imtlgWeights(rounded);
    finite(label, alpha);
    const sum = alpha.reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(sum - 1) <= 1e-9 || alpha.every((a) => a === 0), `${label}: sum ${sum}`);
    // Opposed (g_n = -(sum of the others)): no direction has equal projections (their sum is 0): the shared part gets 0.
    // Not on subnormal Gramians (rounding ~1e-4 of G, beyond the pseudo-inverse's float32 cut): there the
    // coefficients are ~1e4 but the gradients ~1e-20, so the direction is still nothing.
    if (label.startsWith('opposed') && one.rounding < 1e-6) assert.ok(alpha.every((a) => a === 0), `${label}: [${alpha.join(', ')}]`);
    if (!label.startsWith('random') || maxDiag(exact) === 0) continue;
    const projections = times(exact, alpha).map((x, i) => x / Math.sqrt(exact[i]![i]!));
    const spread = Math.max(...projections) - Math.min(...projections);
    assert.ok(spread <= 10 * tolerance(one) * Math.max(...projections.map(Math.abs)), `${label}: projections [${projections.join(', ')}]`);
  }
});

test('Aligned-MTL: finite, |alpha| <= sqrt(n) (B has eigenvalues in [0, 1])', () => {
  for (const { label, rounded } of CASES) {
    const alpha = alignedMtlWeights(rounded);
    finite(label, alpha);
    const norm = Math.sqrt(alpha.reduce((s, x) => s + x * x, 0));
    assert.ok(norm <= Math.sqrt(alpha.length) * (1 + 1e-9), `${label}: |alpha| = ${norm}`);
  }
});

test('Jacobi eigen-decomposition: orthonormal vectors that rebuild the matrix', () => {
  for (const { label, rounded } of CASES) {
    const { values, vectors } = symmetricEigen(rounded);
    const n = rounded.length;
    const size = Math.max(...rounded.flat().map(Math.abs));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const rebuilt = values.reduce((s, l, k) => s + l * vectors[k]![i]! * vectors[k]![j]!, 0);
        assert.ok(Math.abs(rebuilt - rounded[i]![j]!) <= 1e-12 * size, `${label}: [${i}][${j}] ${rebuilt} vs ${rounded[i]![j]}`);
        const dot = vectors[i]!.reduce((s, x, k) => s + x * vectors[j]![k]!, 0);
        assert.ok(Math.abs(dot - (i === j ? 1 : 0)) <= 1e-12, `${label}: <v_${i}, v_${j}> = ${dot}`);
      }
    }
  }
});

test('a Gramian with a NaN or infinite entry (a NaN or infinite loss) gives weights that are not all finite, never a quiet answer', () => {
  const solvers: [string, (G: number[][]) => number[]][] = [
    ['upgrad', upgradWeights], ['mgda', (G) => mgdaWeights(G, 'none')], ['mgda l2', (G) => mgdaWeights(G, 'l2')],
    ['cagrad', (G) => cagradWeights(G, 0.4)], ['nash-mtl', (G) => nashMtlWeights(G, 1)], ['imtlg', imtlgWeights], ['aligned-mtl', alignedMtlWeights],
  ];
  for (const bad of [NaN, Infinity]) {
    for (const tasks of [2, 3, 5]) {
      for (const at of [[0, 0], [tasks - 1, 0]]) {
        const G: number[][] = Array.from({ length: tasks }, (_, i) => Array.from({ length: tasks }, (__, j) => (i === j ? 2 : 0.5)));
        G[at[0]!]![at[1]!] = bad;
        G[at[1]!]![at[0]!] = bad;
        for (const [name, solve] of solvers) {
          const w = solve(G);
          assert.ok(w.some((x) => !Number.isFinite(x)), `${name}, ${tasks} tasks, ${bad} at [${at.join(', ')}]: weights [${w.join(', ')}]`);
        }
      }
    }
  }
});
