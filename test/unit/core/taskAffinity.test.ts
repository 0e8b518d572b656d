// Task affinity and grouping (core/taskAffinity.ts) against hand-worked values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AffinityTally, bestGroupings, groupingScore, lookaheadAffinity } from '../../../src/core/taskAffinity';

const close = (a: number, b: number, what = '') => assert.ok(Math.abs(a - b) <= 1e-5, `${what} ${a} vs ${b}`);

test('Z(i → j) = 1 − L_j(after a step on i) / L_j(before)', () => {
  const z = lookaheadAffinity([9, 16], [[6.9696, 22.2784], [15.6816, 4.3264]]);
  close(z[0]![0]!, 0.2256);
  close(z[0]![1]!, -0.3924);
  close(z[1]![0]!, -0.7424);
  close(z[1]![1]!, 0.7296);
});

test('the tally averages over measurements and skips non-finite entries (a task without labelled rows: 0 / 0)', () => {
  const t = new AffinityTally(['a', 'b']);
  t.add([[0.1, 0.2], [0.3, NaN]]);
  t.add([[0.3, -0.2], [0.1, 0.5]]);
  const m = t.mean();
  close(m[0]![0]!, 0.2); close(m[0]![1]!, 0); close(m[1]![0]!, 0.2); close(m[1]![1]!, 0.5);
  assert.equal(t.measurements, 2);
});

// Z[i][j]: a → b 0.5, b → a 0.3, a → c −0.2, c → a −0.1, b → c 0.1, c → b −0.4.
const Z = [[0, 0.5, -0.2], [0.3, 0, 0.1], [-0.1, -0.4, 0]];

test('a grouping\'s score: per task, the mean affinity onto it from its group\'s other tasks, summed; alone: 0', () => {
  close(groupingScore(Z, [[0, 1], [2]]), 0.8); // 0.3 + 0.5
  close(groupingScore(Z, [[0, 2], [1]]), -0.3); // −0.1 − 0.2
  close(groupingScore(Z, [[0, 1, 2]]), 0.1); // (0.3 − 0.1)/2 + (0.5 − 0.4)/2 + (−0.2 + 0.1)/2
});

test('the best grouping into 2..T−1 groups is found among every partition', () => {
  const g = bestGroupings(['a', 'b', 'c'], Z);
  assert.deepEqual(g.map((x) => x.groups), [[['a', 'b'], ['c']]]);
  close(g[0]!.score, 0.8);
  // Four tasks: c and d help each other (0.9 both ways), a and b as above; 2 and 3 groups.
  const z4 = [[0, 0.5, -0.2, 0], [0.3, 0, 0.1, 0], [-0.1, -0.4, 0, 0.9], [0, 0, 0.9, 0]];
  const g4 = bestGroupings(['a', 'b', 'c', 'd'], z4);
  assert.deepEqual(g4.map((x) => x.groups), [[['a', 'b'], ['c', 'd']], [['a'], ['b'], ['c', 'd']]]);
  close(g4[0]!.score, 2.6);
  assert.deepEqual(bestGroupings(['a', 'b'], [[0, 1], [1, 0]]), []);
});
