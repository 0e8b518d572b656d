// UPGrad with 3 and 4 tasks in the graph (graph/upgradRule.ts: every support's projection, the
// least objective per task) gives the core rule's coefficients (upgrad.ts, Lawson-Hanson's active
// set on the nearest PSD Gramian: nonnegativeQp.ts) within 1e-5 (of the coefficient's size past 1:
// the graph's come out in float32): on hand-worked Gramians, degenerate ones (equal, parallel,
// opposed, zero gradients, all zero) and seeded random ones in few dimensions (projections on faces:
// some v_j at their bound 0). Where the gradients are linearly dependent several coefficients give
// one direction; there the directions are compared, and the core rule's are checked against the
// projections found by their optimality conditions (kktProjections, below): on seeded Gramians of
// k gradients in fewer than k dimensions float32 rounding leaves G's null eigenvalue at ~1e-8, and
// a projection's v can be ~300 along that valley (seed 23, 4 tasks, #25: the Gauss-Seidel sweeps the
// core rule had before stopped there at v^T G v = 0.26 against a minimum of 0.0026).
// Its direction is in the dual cone of the gradients: <d, g_j> >= 0.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizedPsd } from '../../../src/core/weighting/psdGramian';
import { upgradWeights } from '../../../src/core/weighting/upgrad';
import { SeededRandom } from '../../../src/core/random';
import { hasGraphRule } from '../../../src/trainer/graph/graphRules';
import { upgradSupports } from '../../../src/trainer/graph/upgradRule';
import { gramianOf, ruleOnGraph, seededDims, seededGramians, FOUR_TASK_CASES, THREE_TASK_CASES, DEGENERATE_THREE_TASK_CASES } from './ruleOnGraph';

/** Within 1e-5, or 1e-5 of the coefficient's size past 1 (a short gradient opposed to another gets a large v_j). */
const close = (got: readonly number[], want: readonly number[], label: string) =>
  got.forEach((w, i) => assert.ok(Math.abs(w - want[i]!) < 1e-5 * Math.max(1, Math.abs(want[i]!)), `${label}: graph [${got}] vs expected [${want}]`));

/** |d - d'|^2 = (x - y)^T G (x - y): how far apart the directions of coefficients x and y are. */
const apart = (G: number[][], x: readonly number[], y: readonly number[]) =>
  x.reduce((s, _, i) => s + x.reduce((t, __, j) => t + (x[i]! - y[i]!) * (x[j]! - y[j]!) * G[i]![j]!, 0), 0);

/**
 * Dependent gradients: one direction, several coefficients. |d - d'| within 1e-5 of the longest
 * gradient, and each coefficient at least 1/k (v_i >= e_i and v >= 0 for every task).
 */
const sameDirection = (G: number[][], got: readonly number[], want: readonly number[], label: string) => {
  const top = Math.max(...G.map((row, i) => row[i]!));
  assert.ok(apart(G, got, want) <= 1e-10 * top, `${label}: |d - d'|^2 = ${apart(G, got, want)}: graph [${got}] vs expected [${want}]`);
  assert.ok(got.every((x) => x >= (1 / G.length) * (1 - 1e-6)), `${label}: [${got}] under 1/${G.length}`);
};

/** <d, g_j> = (G c)_j >= 0 for every task, to float32 rounding of c (1e-6 of the scale, times |c|). */
const inDualCone = (G: number[][], c: readonly number[], label: string) => {
  const top = Math.max(...G.map((row, i) => row[i]!));
  const size = Math.max(1, ...c.map(Math.abs));
  G.forEach((row, j) => {
    const inner = row.reduce((s, x, i) => s + x * c[i]!, 0);
    assert.ok(inner >= -1e-6 * top * size, `${label}: <d, g_${j}> = ${inner} (scale ${top}), c = [${c}]`);
  });
};

/** x with A x = b by Gaussian elimination with partial pivoting (NaN or infinite where A is singular). */
function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / M[c]![c]!;
      for (let q = c; q <= n; q++) M[r]![q]! -= f * M[c]![q]!;
    }
  }
  return M.map((row, i) => row[n]! / row[i]!);
}

/**
 * UPGrad's coefficients from each projection's optimality conditions, independently of both rules:
 * on the core rule's PSD Gramian P, for task i the v = e_i + x (x >= 0 on a support F, 0 off it)
 * with (P v)_F = 0 and (P v)_j >= 0 off F (KKT: v minimises v^T P v over v >= e_i). Every support
 * tried (Gaussian elimination; a singular one gives NaN and fails the test); none found is an error.
 */
function kktProjections(G: number[][]): number[] {
  const k = G.length;
  const P = normalizedPsd(G) ?? G;
  const c = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    let found: number[] | undefined;
    for (let s = 0; s < 2 ** k && !found; s++) {
      const F = Array.from({ length: k }, (_, j) => j).filter((j) => j !== i && (s >> j) & 1);
      const x = F.length ? solve(F.map((a) => F.map((b) => P[a]![b]!)), F.map((a) => -P[a]![i]!)) : [];
      const v = Array.from({ length: k }, (_, j): number => (j === i ? 1 : 0));
      F.forEach((j, n) => { v[j] = x[n]!; });
      const Pv = P.map((row) => row.reduce((t, p, j) => t + p * v[j]!, 0));
      if (x.every((t) => t >= 0) && Pv.every((t, j) => j === i || F.includes(j) || t >= -1e-9)) found = v;
    }
    assert.ok(found, `no KKT point for task ${i} of ${JSON.stringify(G)}`);
    found.forEach((x, j) => { c[j]! += x / k; });
  }
  return c;
}

test('UPGrad by hand, 3 tasks: g1 = e1, g2 = e2, g3 = (-1, -1, 1): c = (5/6, 5/6, 2/3)', async () => {
  // G = [[1, 0, -1], [0, 1, -1], [-1, -1, 3]].
  // Task 1: G e1 = (1, 0, -1), so v3 rises: v = (1, 0, 1/3) has (G v)_2 = -1/3 < 0, so v2 rises too:
  // on F = {2, 3}, [[1, -1], [-1, 3]] x = -G_F1 = (0, 1): x = [[3, 1], [1, 1]] (0, 1) / 2 = (1/2, 1/2),
  // v1 = (1, 1/2, 1/2); G v1 = (1/2, 0, 0) >= 0 (KKT). Task 2 likewise: v2 = (1/2, 1, 1/2).
  // Task 3: G e3 = (-1, -1, 3): on F = {1, 2}, I x = (1, 1): v3 = (1, 1, 1), G v3 = (0, 0, 1) >= 0.
  // c = (v1 + v2 + v3) / 3 = ((1 + 1/2 + 1) / 3, (1/2 + 1 + 1) / 3, (1/2 + 1/2 + 1) / 3) = (5/6, 5/6, 2/3).
  // d = (5/6 - 2/3, 5/6 - 2/3, 2/3) = (1/6, 1/6, 2/3): <d, g> = (1/6, 1/6, 1/3), none negative.
  const G = [[1, 0, -1], [0, 1, -1], [-1, -1, 3]];
  const [c] = await ruleOnGraph('upgrad', {}, [G]);
  close(c!, [5 / 6, 5 / 6, 2 / 3], 'by hand');
  close(upgradWeights(G), [5 / 6, 5 / 6, 2 / 3], 'the core rule by hand');
});

test('UPGrad by hand, 4 tasks: g1, g2, g3 = e1, e2, e3, g4 = (-1, -1, -1, 1): c = (3/4, 3/4, 3/4, 5/8)', async () => {
  // G = I on tasks 1-3, G_i4 = -1, G44 = 4.
  // Task 1: F = {4} alone (x4 = 1/4) leaves (G v)_2 = -1/4 < 0; F = {2, 4} leaves (G v)_3 = -1/3 < 0.
  // F = {2, 3, 4}: x2 - x4 = 0, x3 - x4 = 0, -x2 - x3 + 4 x4 = 1, so x4 = 1/2 = x2 = x3:
  // v1 = (1, 1/2, 1/2, 1/2), (G v1)_1 = 1 - 1/2 = 1/2 >= 0. Tasks 2 and 3 by symmetry.
  // Task 4: G e4 = (-1, -1, -1, 4): F = {1, 2, 3}, I x = (1, 1, 1): v4 = (1, 1, 1, 1), (G v4)_4 = 1 >= 0.
  // c_1 = (1 + 1/2 + 1/2 + 1) / 4 = 3/4 (c_2, c_3 likewise), c_4 = (3 (1/2) + 1) / 4 = 5/8.
  // d = (1/8, 1/8, 1/8, 5/8): <d, g4> = -3/8 + 5/8 = 1/4 >= 0.
  const G = [[1, 0, 0, -1], [0, 1, 0, -1], [0, 0, 1, -1], [-1, -1, -1, 4]];
  const [c] = await ruleOnGraph('upgrad', {}, [G]);
  close(c!, [3 / 4, 3 / 4, 3 / 4, 5 / 8], 'by hand');
  close(upgradWeights(G), [3 / 4, 3 / 4, 3 / 4, 5 / 8], 'the core rule by hand');
});

test('UPGrad by hand: no two gradients conflict (G >= 0) gives the mean, 1/k each; every gradient zero too', async () => {
  // Each G e_i >= 0: v_i = e_i already satisfies the KKT conditions, so c = (1/k) sum e_i.
  const [agree3, zero3] = await ruleOnGraph('upgrad', {}, [[[1, 0.5, 0], [0.5, 2, 0.1], [0, 0.1, 1]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]]);
  close(agree3!, [1 / 3, 1 / 3, 1 / 3], 'agreeing, 3 tasks');
  close(zero3!, [1 / 3, 1 / 3, 1 / 3], 'zero, 3 tasks');
  const [agree4] = await ruleOnGraph('upgrad', {}, [[[1, 0, 0, 0.2], [0, 1, 0.3, 0], [0, 0.3, 1, 0], [0.2, 0, 0, 1]]]);
  close(agree4!, [0.25, 0.25, 0.25, 0.25], 'agreeing, 4 tasks');
});

const THREE = {
  ...THREE_TASK_CASES,
  ...DEGENERATE_THREE_TASK_CASES,
  'nearly opposed': gramianOf([[1, 0.01, 0], [-1, 0, 0.001], [0.1, 0.2, 0.3]]),
  'a short gradient opposed to a long one': gramianOf([[1, 0, 0], [-0.01, 0.001, 0], [0, 0, 1]]),
  'large scale': gramianOf([[300, 0, 10], [-100, 250, 0], [0, -50, 80]]),
  'tiny scale': gramianOf([[3e-4, 0, 1e-5], [-1e-4, 2.5e-4, 0], [0, -5e-5, 8e-5]]),
};
const FOUR = {
  ...FOUR_TASK_CASES,
  'two opposed pairs': gramianOf([[1, 0, 0], [-1, 0, 0], [0, 2, 0], [0, -1, 0.1]]),
  'large scale': gramianOf([[300, 0, 10, 0], [-100, 250, 0, 5], [0, -50, 80, 0], [-20, 0, -30, 100]]),
};

for (const [k, set] of [[3, THREE], [4, FOUR]] as const) {
  test(`UPGrad with ${k} tasks in the graph equals the core rule on hand-picked and degenerate Gramians, its direction in the dual cone`, async () => {
    const cases = Object.entries(set);
    const graph = await ruleOnGraph('upgrad', {}, cases.map(([, G]) => G));
    cases.forEach(([label, G], i) => {
      // Dependent ones too (equal, parallel, opposed, four in a plane): both take the smallest
      // support, the first in index order, among the minimisers.
      close(graph[i]!, upgradWeights(G), label);
      inDualCone(G, graph[i]!, label);
    });
  });
}

test('UPGrad in the graph equals the core rule on 400 seeded random Gramians of 3 and 4 tasks in 2 to 5 dimensions (dependent ones: one direction, the KKT points\' too), its direction in the dual cone', async () => {
  const random = new SeededRandom(23);
  for (const k of [3, 4]) {
    const gramians = seededGramians(random, k);
    const graph = await ruleOnGraph('upgrad', {}, gramians);
    gramians.forEach((G, i) => {
      const label = `random ${k} tasks #${i} ${JSON.stringify(G)}`;
      // k gradients in fewer than k dimensions are linearly dependent: one direction, several
      // coefficients; the core rule's checked against the KKT points there too (the header).
      const core = upgradWeights(G);
      if (seededDims(i) >= k) close(graph[i]!, core, label);
      else {
        sameDirection(G, graph[i]!, core, label);
        sameDirection(G, core, kktProjections(G), `${label}, the core rule against the KKT points`);
      }
      inDualCone(G, graph[i]!, label);
    });
  }
});

test('the KKT reference finds the hand-worked projections (it checks the rule above, so it is checked too)', () => {
  close(kktProjections([[1, 0, -1], [0, 1, -1], [-1, -1, 3]]), [5 / 6, 5 / 6, 2 / 3], '3 tasks');
  close(kktProjections([[1, 0, 0, -1], [0, 1, 0, -1], [0, 0, 1, -1], [-1, -1, -1, 4]]), [3 / 4, 3 / 4, 3 / 4, 5 / 8], '4 tasks');
});

test('the supports UPGrad enumerates: the empty one first, then every proper non-empty subset once, the smallest first', () => {
  assert.deepEqual(upgradSupports(3), [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1]]);
  assert.equal(new Set(upgradSupports(4).map((m) => m.join(''))).size, 15);
  assert.ok(upgradSupports(4).every((m) => m.includes(0)));
});

test('UPGrad has a graph rule with 2, 3 and 4 tasks, not 5', () => {
  assert.ok(hasGraphRule('upgrad', 2) && hasGraphRule('upgrad', 3) && hasGraphRule('upgrad', 4) && !hasGraphRule('upgrad', 5));
});
