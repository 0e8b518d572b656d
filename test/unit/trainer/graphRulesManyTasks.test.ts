// The graph rules that serve any number of tasks (IMTL-G, Aligned-MTL, PCGrad, GradVac) and MGDA's
// enumerated hull (3 and 4 tasks) against the core rules with 5 to 8 tasks, where no hand-worked
// test reaches: seeded Gramians of fewer dimensions than tasks (rank-deficient), identical, all-zero,
// one zero and pairwise opposite gradients, and scales of 1e3 and 1e-4. Within 1e-4 relative to
// the largest coefficient (float32 Gramians); MGDA with 5 or more tasks has no graph rule (Wolfe's
// loop in JavaScript) and says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../src/core/random';
import { alignedMtlWeights } from '../../../src/core/weighting/alignedMtl';
import { imtlgWeights } from '../../../src/core/weighting/imtlg';
import { mgdaWeights } from '../../../src/core/weighting/mgda';
import { gradvacWeights } from '../../../src/core/weighting/gradvac';
import { randomOrder } from '../../../src/core/weighting/gramian';
import { pcgradWeights } from '../../../src/core/weighting/pcgrad';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { graphRule, hasGraphRule } from '../../../src/trainer/graph/graphRules';
import type { RuleIo } from '../../../src/trainer/graph/ruleState';
import { openSession } from '../../../src/trainer/graph/session';
import { visitOrders } from '../../../src/trainer/weighting/index';
import { gramianOf } from './ruleOnGraph';

function jacobians(k: number, seed: number): Record<string, number[][]> {
  const r = new SeededRandom(seed);
  const rnd = (dim: number) => Array.from({ length: k }, () => Array.from({ length: dim }, () => r.next() * 2 - 1));
  const base = rnd(3)[0]!;
  return {
    'random, 3 dims': rnd(3),
    'random, 10 dims': rnd(10),
    'random, 2 dims': rnd(2),
    'identical': Array.from({ length: k }, () => base),
    'all zero': Array.from({ length: k }, () => [0, 0, 0]),
    'one zero': rnd(4).map((row, i) => (i === 1 ? row.map(() => 0) : row)),
    'opposite pairs': Array.from({ length: k }, (_, i) => base.map((x) => (i % 2 ? -x : x))),
    'scaled 1e3': rnd(5).map((row) => row.map((x) => x * 1e3)),
    'tiny 1e-4': rnd(5).map((row) => row.map((x) => x * 1e-4)),
  };
}

const sessions: Array<{ dispose(): void }> = [];
async function session(id: string, params: Record<string, unknown>, k: number, random: () => number) {
  const { tf } = await loadBackend('tensorflow');
  const g = new GraphBuilder();
  const G = g.placeholder('gramian', [k, k]);
  const io: RuleIo = { updates: [], resets: [] };
  const out = graphRule(g, 'rule', id, params, k, G, io)!;
  const done = g.op('Identity', [out, ...io.updates.map((u) => `^${u}`)], { T: { type: 'float' } }, 'done');
  const resetDone = g.op('Identity', [g.constant('zero', { dtype: 'float', shape: [], values: [0] }), ...io.resets.map((r) => `^${r}`)], { T: { type: 'float' } }, 'reset');
  const s = openSession(tf, g.savedModel(['serve']));
  if (io.resets.length) tf.dispose(s.run([], [], [resetDone]));
  sessions.push(s);
  return (gram: number[][]) => {
    const fed = [tf.tensor2d(gram), ...(io.orders ? [tf.tensor1d(visitOrders(k, random), 'int32')] : [])];
    const [w] = s.run([{ name: G }, ...(io.orders ? [{ name: io.orders, tfDtype: 'DT_INT32' }] : [])], fed, [done]);
    const v = Array.from(w!.dataSync());
    tf.dispose([w!, ...fed]);
    return v;
  };
}

const rel = (got: number[], want: number[]) => {
  const scale = Math.max(1, ...want.map(Math.abs));
  return Math.max(...got.map((w, i) => Math.abs(w - want[i]!) / scale));
};

for (const k of [4, 5, 6, 7, 8]) {
  test(`${k} tasks: the graph rules give the core rules' coefficients on degenerate and seeded Gramians`, { timeout: 300_000 }, async () => {
    const bad: string[] = [];
    assert.equal(hasGraphRule('mgda', k), k <= 4, 'MGDA in the graph up to 4 tasks');
    for (const seed of [1]) {
      const cases = jacobians(k, seed * 100 + k);
      for (const [label, J] of Object.entries(cases)) {
        const G = gramianOf(J);
        for (const [id, core] of [['imtlg', imtlgWeights], ['aligned-mtl', alignedMtlWeights]] as const) {
          const run = await session(id, {}, k, () => 0);
          const got = run(G); const want = core(G);
          if (!(rel(got, want) < 1e-4)) bad.push(`${id} ${label} s${seed}: graph [${got.map((x) => x.toFixed(5))}] core [${want.map((x) => x.toFixed(5))}]`);
        }
        if (hasGraphRule('mgda', k)) for (const norm of ['none', 'l2']) {
          const run = await session('mgda', { normalization: norm }, k, () => 0);
          const got = run(G); const want = mgdaWeights(G, norm);
          if (!(rel(got, want) < 1e-4)) bad.push(`mgda ${norm} ${label} s${seed}: graph [${got.map((x) => x.toFixed(5))}] core [${want.map((x) => x.toFixed(5))}]`);
        }
        {
          const [a, b] = [new SeededRandom(seed), new SeededRandom(seed)];
          const run = await session('pcgrad', {}, k, () => a.next());
          const got = run(G); const want = pcgradWeights(G, () => b.next());
          if (!(rel(got, want) < 1e-4)) bad.push(`pcgrad ${label} s${seed}: graph [${got.map((x) => x.toFixed(5))}] core [${want.map((x) => x.toFixed(5))}]`);
        }
        {
          const [a, b] = [new SeededRandom(seed), new SeededRandom(seed)];
          const run = await session('gradvac', { beta: 0.5 }, k, () => a.next());
          const targets = G.map(() => G.map(() => 0));
          for (let step = 0; step < 3; step++) {
            const got = run(G); const want = gradvacWeights(G, targets, 0.5, () => randomOrder(k, () => b.next()));
            if (!(rel(got, want) < 1e-4)) bad.push(`gradvac ${label} s${seed} step ${step}: graph [${got.map((x) => x.toFixed(5))}] core [${want.map((x) => x.toFixed(5))}]`);
          }
        }
      }
    }
    for (const s of sessions.splice(0)) s.dispose();
    assert.deepEqual(bad, []);
  });
}
