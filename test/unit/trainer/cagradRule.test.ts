// CAGrad with 3 and 4 tasks in the graph (graph/cagradRule.ts: every support's stationary point
// in closed form, the least objective among them) gives the core rule's coefficients
// (cagrad.ts, projected gradient descent) within 1e-5: on hand-worked Gramians, degenerate ones
// (equal, parallel, opposed gradients, zero gradients, all zero), seeded random ones in few
// dimensions (the minimum often on a face: some weights 0), for several radii and each rescale.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cagradWeights, type CagradRescale } from '../../../src/core/weighting/cagrad';
import { normalizedPsd } from '../../../src/core/weighting/psdGramian';
import { SeededRandom } from '../../../src/core/random';
import { hasGraphRule } from '../../../src/trainer/graph/graphRules';
import { gramianOf, ruleOnGraph, seededDims, seededGramians, THREE_TASK_CASES, DEGENERATE_THREE_TASK_CASES } from './ruleOnGraph';

/**
 * Within 1e-5, or 1e-5 of the coefficient's size (the graph's come out in float32): where 0 is
 * nearly in the gradients' hull, |g_w| is small and lambda = c |g0| / |g_w| makes them large.
 * Past lambda = 1000 (0 within about 1e-3 of the hull, c > 1, on rank-deficient random Gramians)
 * within 1e-3 of their size: lambda multiplies the core solver's own error in w (its stopping
 * rule, simplexMinimize.ts), which reached 2e-4 there, while the closed form's w meets the
 * optimality conditions (equal partial derivatives on the support) to 1e-12 (checked in float64
 * against a JavaScript transcription of cagradRule.ts on those Gramians, 2026-12-01).
 */
const close = (got: readonly number[], want: readonly number[], label: string, lambda = 0) => {
  const tolerance = lambda > 1000 ? 1e-3 : 1e-5;
  got.forEach((w, i) => assert.ok(Math.abs(w - want[i]!) < tolerance * Math.max(1, Math.abs(want[i]!)), `${label}: graph [${got}] vs expected [${want}]`));
};

/** |d - d'|^2 = (x - y)^T G (x - y): how far apart the directions of coefficients x and y are. */
const apart = (G: number[][], x: readonly number[], y: readonly number[]) =>
  x.reduce((s, _, i) => s + x.reduce((t, __, j) => t + (x[i]! - y[i]!) * (x[j]! - y[j]!) * G[i]![j]!, 0), 0);

/**
 * Where the minimiser's gradients are affinely dependent (equal ones, more than 3 in a plane),
 * several weightings give one direction d: the graph's and the core rule's are checked by their
 * directions (|d - d'| within 1e-5 of the longest gradient) and by each coefficient being at
 * least the mean's (1/n times the rescale: w >= 0, lambda >= 0).
 */
const sameDirection = (G: number[][], got: readonly number[], want: readonly number[], floor: number, label: string) => {
  const top = Math.max(...G.map((row, i) => row[i]!));
  assert.ok(apart(G, got, want) <= 1e-10 * top, `${label}: |d - d'|^2 = ${apart(G, got, want)}: graph [${got}] vs expected [${want}]`);
  assert.ok(got.every((x) => x >= floor * (1 - 1e-6)), `${label}: [${got}] under ${floor}`);
};
/**
 * CAGrad's objective F(w) = w^T b + k sqrt(w^T G w + s) (cagrad.ts) at the w behind coefficients
 * x (x = (1/n + lambda w) f, w summing to 1), on G scaled and clamped as the core rule does; an
 * upper bound when lambda is 0.
 */
function objective(G0: number[][], x: readonly number[], c: number, rescale: CagradRescale): number {
  const n = G0.length;
  const G = normalizedPsd(G0)!;
  const b = G.map((row) => row.reduce((s, v) => s + v, 0) / n);
  const k = c * Math.sqrt(b.reduce((s, v) => s + v, 0) / n);
  const lambda = lambdaOf(x, c, rescale);
  // lambda = 0 (to float32 rounding): |g_w| <= 1e-7, so F <= |g_w| |g0| + k sqrt(1e-14 + s), at most this.
  if (lambda < 1e-6) return 1e-7 * Math.sqrt(b.reduce((s, v) => s + v, 0) / n) + k * Math.sqrt(2e-14);
  const w = x.map((v) => (v / factorOf(c, rescale) - 1 / n) / lambda);
  const wGw = w.reduce((s, a, i) => s + w.reduce((t, v, j) => t + a * v * G[i]![j]!, 0), 0);
  return w.reduce((s, v, i) => s + v * b[i]!, 0) + k * Math.sqrt(Math.max(0, wGw) + 1e-14);
}
const factorOf = (c: number, rescale: CagradRescale) => (rescale === 'onePlusCSquared' ? 1 / (1 + c * c) : rescale === 'onePlusC' ? 1 / (1 + c) : 1);
const floorOf = (n: number, c: number, rescale: CagradRescale) => factorOf(c, rescale) / n;
/** The core rule's lambda: its coefficients are (1/n + lambda w) times the rescale, and w sums to 1. */
const lambdaOf = (coefficients: readonly number[], c: number, rescale: CagradRescale) => coefficients.reduce((s, x) => s + x, 0) / factorOf(c, rescale) - 1;

/** Each coefficient within 1e-6 of the hand-worked one. */
const near = (got: readonly number[], want: readonly number[]) => assert.ok(got.every((x, i) => Math.abs(x - want[i]!) < 1e-6), `[${got}] vs [${want}]`);

test('CAGrad by hand, 3 tasks, G = diag(1, 1, 4): the edge w = (1/2, 1/2, 0) at c = 0.4, inside the simplex at c = 2', async () => {
  // Scaled by 4: G = diag(1/4, 1/4, 1), b = G 1/3 = (1/12, 1/12, 1/3), |g0|^2 = (1/12 + 1/12 + 1/3) / 3 = 1/6, k = c / sqrt(6).
  // On the edge w3 = 0, by symmetry w = (1/2, 1/2, 0): |g_w| = sqrt(2 / 16) = 1 / (2 sqrt 2), and
  // dF/dw1 = 1/12 + k (1/4)(1/2) / |g_w| = 1/12 + k sqrt(2) / 4, dF/dw3 = 1/3 (w3 = 0): the edge is the
  // minimum while 1/3 >= 1/12 + k sqrt(2) / 4, i.e. k <= 1 / sqrt(2), c <= sqrt(3).
  // c = 0.4: lambda = k / |g_w| = (0.4 / sqrt 6) 2 sqrt 2 = 0.8 / sqrt 3 = 0.4618802; c_i = 1/3 + lambda w_i.
  const [edge] = await ruleOnGraph('cagrad', { c: 0.4, rescale: 'none' }, [[[1, 0, 0], [0, 1, 0], [0, 0, 4]]]);
  const lambda = 0.8 / Math.sqrt(3);
  near([lambda], [0.4618802]);
  near(edge!, [1 / 3 + lambda / 2, 1 / 3 + lambda / 2, 1 / 3]);
  // c = 2 > sqrt 3: w = (p, p, 1 - 2p), r = |g_w|, r^2 = p^2 / 2 + (1 - 2p)^2. dF/dw1 = dF/dw3:
  // 1/12 + k p / (4 r) = 1/3 + k (1 - 2p) / r, so k (9p/4 - 1) = r / 4; squared with k^2 = 2/3:
  // (32/3)(81 p^2 / 16 - 9p / 2 + 1) = p^2 / 2 + (1 - 2p)^2, i.e. 49.5 p^2 - 44 p + 29/3 = 0,
  // p = (44 + sqrt(1936 - 1914)) / 99 = (44 + sqrt 22) / 99 = 0.4918224 (the root with 9p/4 > 1).
  const p = (44 + Math.sqrt(22)) / 99;
  near([p], [0.4918224]);
  const r = Math.sqrt(p * p / 2 + (1 - 2 * p) ** 2);
  const inner = 2 / Math.sqrt(6) / r;
  const [inside] = await ruleOnGraph('cagrad', { c: 2, rescale: 'none' }, [[[1, 0, 0], [0, 1, 0], [0, 0, 4]]]);
  near(inside!, [1 / 3 + inner * p, 1 / 3 + inner * p, 1 / 3 + inner * (1 - 2 * p)]);
  // The rescale divides by 1 + c^2 = 5.
  const [rescaled] = await ruleOnGraph('cagrad', { c: 2, rescale: 'onePlusCSquared' }, [[[1, 0, 0], [0, 1, 0], [0, 0, 4]]]);
  near(rescaled!, inside!.map((x) => x / 5));
});

test('CAGrad by hand, 4 tasks, G = diag(1, 1, 1, 4), c = 0.4: w = (1/3, 1/3, 1/3, 0), lambda = 0.1 sqrt 21', async () => {
  // Scaled by 4: G = diag(1/4, 1/4, 1/4, 1), b = (1/16, 1/16, 1/16, 1/4), |g0|^2 = (7/16) / 4 = 7/64, k = 0.4 sqrt(7) / 8.
  // w = (1/3, 1/3, 1/3, 0): |g_w|^2 = 3 (1/9)(1/4) = 1/12; dF/dw_i = 1/16 + k (1/12) / |g_w| = 1/16 + k / (2 sqrt 3)
  // (0.1394) < dF/dw4 = 1/4: the minimum (while k <= 3 sqrt(3) / 8). lambda = k / |g_w| = 0.4 sqrt(7) sqrt(12) / 8 = 0.1 sqrt 21.
  const lambda = 0.1 * Math.sqrt(21);
  const [w] = await ruleOnGraph('cagrad', { c: 0.4, rescale: 'none' }, [[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 4]]]);
  near(w!, [0.25 + lambda / 3, 0.25 + lambda / 3, 0.25 + lambda / 3, 0.25]);
});

test('CAGrad by hand, 3 tasks: every gradient zero gives 1/3 each; equal orthogonal ones (1 + c) / 3 each', async () => {
  // G = I: by symmetry w = 1/3 each, |g_w| = 1 / sqrt 3 = |g0|, lambda = c |g0| / |g_w| = c.
  const [zero, orthogonal] = await ruleOnGraph('cagrad', { c: 0.4, rescale: 'none' }, [[[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]]);
  near(zero!, [1 / 3, 1 / 3, 1 / 3]);
  near(orthogonal!, [1.4 / 3, 1.4 / 3, 1.4 / 3]);
});

const THREE = {
  ...THREE_TASK_CASES,
  ...DEGENERATE_THREE_TASK_CASES,
  'the third shortest, inside the others\' cone': gramianOf([[2, 0], [0, 2], [0.5, 0.5]]),
  'nearly opposed': gramianOf([[1, 0.01, 0], [-1, 0, 0.001], [0.1, 0.2, 0.3]]),
  'large scale': gramianOf([[300, 0, 10], [-100, 250, 0], [0, -50, 80]]),
  'tiny scale': gramianOf([[3e-4, 0, 1e-5], [-1e-4, 2.5e-4, 0], [0, -5e-5, 8e-5]]),
};
const FOUR = {
  'hand-worked': gramianOf([[1, 0, 0.5, 0], [0.2, 1, -0.3, 0.1], [-0.4, 0.1, 2, 0.3], [0.3, -0.5, 0.2, 1]]),
  'two equal gradients': gramianOf([[1, 0, 0.5], [1, 0, 0.5], [0, 2, 1], [-1, 0.2, 0]]),
  'two pairs of equal gradients': gramianOf([[1, 0], [0, 1], [1, 0], [0, 1]]),
  'rank one (parallel)': gramianOf([[1, 2], [2, 4], [-1, -2], [3, 6]]),
  'two opposed pairs': gramianOf([[1, 0, 0], [-1, 0, 0], [0, 2, 0], [0, -1, 0.1]]),
  'a zero gradient': gramianOf([[1, 0, 0.5], [0, 0, 0], [0, 2, 1], [1, 1, 1]]),
  'every gradient zero': gramianOf([[0], [0], [0], [0]]),
  'four in a plane (affinely dependent)': gramianOf([[1, 0], [0, 1], [-1, 0.2], [0.3, -1]]),
  'all in one half-space': gramianOf([[1, 0.1, 0], [1, -0.1, 0.2], [0.9, 0, -0.2], [1.2, 0.3, 0.1]]),
};
/** The cases above whose minimiser's weighting is not unique (see sameDirection). */
const DEPENDENT = new Set(['two equal gradients', 'all equal', 'two pairs of equal gradients', 'rank one (parallel)', 'four in a plane (affinely dependent)']);
const SETTINGS: [number, CagradRescale][] = [[0.4, 'none'], [0, 'none'], [0.7, 'onePlusC'], [2, 'onePlusCSquared'], [10, 'none']];

for (const [c, rescale] of SETTINGS) {
  for (const [k, set] of [[3, THREE], [4, FOUR]] as const) {
    test(`CAGrad c = ${c}, rescale ${rescale}, ${k} tasks in the graph equals the core rule on hand-picked and degenerate Gramians`, async () => {
      const cases = Object.entries(set);
      const graph = await ruleOnGraph('cagrad', { c, rescale }, cases.map(([, G]) => G));
      cases.forEach(([label, G], i) => (DEPENDENT.has(label) ? sameDirection(G, graph[i]!, cagradWeights(G, c, rescale), floorOf(k, c, rescale), label)
        : close(graph[i]!, cagradWeights(G, c, rescale), label)));
    });
  }
}

for (const [c, rescale] of SETTINGS) {
  test(`CAGrad c = ${c}, rescale ${rescale} in the graph equals the core rule on 400 seeded random Gramians of 3 and 4 tasks in 2 to 5 dimensions`, async () => {
    const random = new SeededRandom(17);
    for (const k of [3, 4]) {
      const gramians = seededGramians(random, k);
      const graph = await ruleOnGraph('cagrad', { c, rescale }, gramians);
      gramians.forEach((G, i) => {
        const label = `random ${k} tasks #${i} ${JSON.stringify(G)}`;
        // 4 gradients in 2 dimensions are affinely dependent: a minimiser inside their hull has many weightings.
        const want = cagradWeights(G, c, rescale);
        const lambda = lambdaOf(want, c, rescale);
        if (seededDims(i) >= k - 1) return close(graph[i]!, want, label, lambda);
        // 4 gradients in a plane holding 0 (to rounding) with c > 1: the minimiser is a point within
        // about 1e-4 of 0, where G's rounding decides g_w's direction (lambda over 1000): neither
        // rule's weights nor direction are determined there, and the core solver stops short (F 1.7e-5
        // where the closed form reaches 4.6e-8, |g_w| under 1e-7, #56 at c = 2). The graph's is checked
        // by its objective being no higher than the core solver's (F from float32 coefficients: within 1e-7).
        if (lambda > 1000) return assert.ok(objective(G, graph[i]!, c, rescale) <= objective(G, want, c, rescale) + 1e-7, `${label}: F ${objective(G, graph[i]!, c, rescale)} at graph [${graph[i]}] vs ${objective(G, want, c, rescale)} at [${want}]`);
        sameDirection(G, graph[i]!, want, floorOf(k, c, rescale), label);
      });
    }
  });
}

test('CAGrad has a graph rule with 2, 3 and 4 tasks, not 5', () => {
  const p = { c: 0.4, rescale: 'none' };
  assert.ok(hasGraphRule('cagrad', 2, p) && hasGraphRule('cagrad', 3, p) && hasGraphRule('cagrad', 4, p) && !hasGraphRule('cagrad', 5, p));
});
