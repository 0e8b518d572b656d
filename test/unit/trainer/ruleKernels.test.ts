// GradVac's and PCGrad's rules as one native op each (MtsGradVac, MtsPcGrad:
// scripts/native/ruleKernels.cc, registered by the binding we build, used by graph/gradVacRule.ts
// and pcGradRule.ts when the binding lists them): the graph holds the op, and its coefficients
// (and GradVac's new targets) are the core rule's (core/weighting/gradvac.ts, pcgrad.ts) BIT FOR
// BIT, step after step (GradVac's targets carried), 2 to 6 tasks, on seeded gradients and on
// zero, equal, parallel and antiparallel ones; beta 1 drives targets to exactly 1 (the skipped
// adjustment). Bad shapes and task indices fail the run with the op's message, and the session
// runs on afterwards. (Nash-MTL's op: nashRule.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../src/core/random';
import { gradvacWeights } from '../../../src/core/weighting/gradvac';
import { GraphBuilder, type Attr } from '../../../src/trainer/graph/graphDef';
import { gradvacRule } from '../../../src/trainer/graph/gradVacRule';
import { ruleOps } from '../../../src/trainer/graph/graphRules';
import { projectConflicting } from '../../../src/core/weighting/pcgrad';
import { pcgradRule } from '../../../src/trainer/graph/pcGradRule';
import { GRADVAC_KERNEL, PCGRAD_KERNEL } from '../../../src/trainer/graph/ruleKernels';
import type { RuleIo } from '../../../src/trainer/graph/ruleState';
import { openSession } from '../../../src/trainer/graph/session';
import { visitOrders } from '../../../src/trainer/weighting/index';
import { gramianOf, kernelsOrSkip } from './ruleOnGraph';

const D: Attr = { type: 'double' };
const I32: Attr = { type: 'int32' };

/** The float64 values whose bits an int32 tensor holds (Bitcast double [n] -> int32 [n, 2]). */
function doubles(bits: ArrayLike<number>): number[] {
  const view = new DataView(new Int32Array(Array.from(bits)).buffer);
  return Array.from({ length: bits.length / 2 }, (_, i) => view.getFloat64(8 * i, true));
}


/** Task `k`'s gradients for one step: seeded ones in 2-5 dimensions, or a degenerate case among them. */
function gradients(random: SeededRandom, k: number, step: number): number[][] {
  const dims = 2 + (step % 4);
  const rows = Array.from({ length: k }, () => Array.from({ length: dims }, () => random.next() * 2 - 1));
  const [a, b] = [Math.floor(random.next() * k), Math.floor(random.next() * k)];
  switch (step % 7) {
    case 1: rows[a] = rows[a]!.map(() => 0); break; // a zero gradient
    case 2: if (a !== b) rows[b] = rows[a]!.map((x) => 2 * x); break; // parallel
    case 3: if (a !== b) rows[b] = rows[a]!.map((x) => -0.5 * x); break; // antiparallel
    case 4: rows.forEach((_, i) => { rows[i] = [...rows[0]!]; }); break; // all equal
    case 5: rows.forEach((_, i) => { rows[i] = rows[0]!.map(() => 0); }); break; // every gradient zero
    default: break;
  }
  return rows;
}

test(`GradVac's rule runs as one ${GRADVAC_KERNEL} op, and gives the core rule's coefficients and targets bit for bit over chained steps, 2 to 6 tasks`, async (t) => {
  const ok = await kernelsOrSkip(t);
  if (!ok) return;
  const { tf, kernels } = ok;
  for (const k of [2, 3, 4, 5, 6]) {
    for (const beta of [0.01, 0.5, 1]) {
      const g = new GraphBuilder();
      const G32 = g.placeholder('gramian', [k, k]);
      const G = g.op('Cast', [G32], { SrcT: { type: 'float' }, DstT: D, Truncate: { b: false } }, 'gramian64');
      const io: RuleIo = { updates: [], resets: [], kernels };
      const w = gradvacRule(ruleOps(g, 'rule', k), G, io, beta);
      assert.equal(io.kernel, GRADVAC_KERNEL);
      assert.equal(g.added().filter((n) => n.op === GRADVAC_KERNEL).length, 1, 'the graph holds the op, once');
      assert.ok(!g.added().some((n) => n.op === 'OneHot' || n.op === 'MatMul'), 'and none of the op graph');
      const bits = (x: string, name: string) => g.op('Bitcast', [x], { T: D, type: I32 }, name);
      const wBits = g.op('Identity', [bits(w, 'w_bits'), ...io.updates.map((u) => `^${u}`)], { T: I32 }, 'step');
      const targetsBits = bits(g.op('ReadVariableOp', ['rule/gradvac_targets'], { dtype: D }, 'targets_now'), 'targets_bits');
      const reset = g.op('Identity', [g.constant('zero', { dtype: 'float', shape: [], values: [0] }), ...io.resets.map((r) => `^${r}`)], { T: { type: 'float' } }, 'reset');
      const session = openSession(tf, g.savedModel(['serve']));
      try {
        tf.dispose(session.run([], [], [reset]));
        const [draws, data] = [new SeededRandom(7 + k), new SeededRandom(100 * k)];
        const targets = Array.from({ length: k }, () => new Array<number>(k).fill(0));
        let reachedOne = 0;
        for (let step = 0; step < 120; step++) {
          const gram = gramianOf(gradients(data, k, step));
          const orders = visitOrders(k, () => draws.next());
          const feeds = [tf.tensor2d(gram), ...(io.orders ? [tf.tensor1d(orders, 'int32')] : [])];
          const [wOut] = session.run([{ name: G32 }, ...(io.orders ? [{ name: io.orders, tfDtype: 'DT_INT32' }] : [])], feeds, [wBits]);
          const [tOut] = session.run([], [], [targetsBits]);
          const got = doubles(wOut!.dataSync());
          const gotTargets = doubles(tOut!.dataSync());
          tf.dispose([wOut!, tOut!, ...feeds]);
          // The core rule with the same orders (row i: the others in i's order; with two tasks the graph's fixed [1, 0]).
          const want = gradvacWeights(gram, targets, beta, (i) => Array.from(orders.subarray(i * (k - 1), (i + 1) * (k - 1))));
          const at = `k ${k}, beta ${beta}, step ${step}`;
          want.forEach((v, i) => assert.ok(Object.is(got[i], v), `${at}: coefficient ${i} ${got[i]} vs the core rule's ${v}`));
          targets.flat().forEach((v, i) => assert.ok(Object.is(gotTargets[i], v), `${at}: target ${i} ${gotTargets[i]} vs the core rule's ${v}`));
          if (targets.flat().includes(1)) reachedOne++;
        }
        assert.ok(targets.flat().some((v) => v !== 0 && v !== 1 && v !== -1), 'the targets moved');
        if (beta === 1) assert.ok(reachedOne > 0, 'a target reached 1 (parallel gradients, beta 1): the next step skips its adjustment');
      } finally {
        session.dispose();
      }
    }
  }
});

test(`PCGrad's rule runs as one ${PCGRAD_KERNEL} op, and gives the core rule's coefficients bit for bit, 2 to 6 tasks`, async (t) => {
  const ok = await kernelsOrSkip(t);
  if (!ok) return;
  const { tf, kernels } = ok;
  for (const k of [2, 3, 4, 5, 6]) {
    const g = new GraphBuilder();
    const G32 = g.placeholder('gramian', [k, k]);
    const G = g.op('Cast', [G32], { SrcT: { type: 'float' }, DstT: D, Truncate: { b: false } }, 'gramian64');
    const io: RuleIo = { updates: [], resets: [], kernels };
    const w = g.op('Bitcast', [pcgradRule(ruleOps(g, 'rule', k), G, io)], { T: D, type: I32 }, 'w_bits');
    assert.equal(io.kernel, PCGRAD_KERNEL);
    assert.equal(g.added().filter((n) => n.op === PCGRAD_KERNEL).length, 1, 'the graph holds the op, once');
    assert.ok(!g.added().some((n) => n.op === 'OneHot' || n.op === 'GatherV2'), 'and none of the op graph');
    const session = openSession(tf, g.savedModel(['serve']));
    try {
      const [draws, data] = [new SeededRandom(11 + k), new SeededRandom(200 * k)];
      let projected = 0;
      for (let step = 0; step < 120; step++) {
        const gram = gramianOf(gradients(data, k, step));
        const orders = visitOrders(k, () => draws.next());
        const feeds = [tf.tensor2d(gram), ...(io.orders ? [tf.tensor1d(orders, 'int32')] : [])];
        const [out] = session.run([{ name: G32 }, ...(io.orders ? [{ name: io.orders, tfDtype: 'DT_INT32' }] : [])], feeds, [w]);
        const got = doubles(out!.dataSync());
        tf.dispose([out!, ...feeds]);
        // The core rule with the same orders: each task's projected coefficients (pcgrad.ts), summed in task order.
        const want = new Array<number>(k).fill(0);
        for (let i = 0; i < k; i++) {
          const c = projectConflicting(gram, i, Array.from(orders.subarray(i * (k - 1), (i + 1) * (k - 1))));
          c.forEach((v, m) => { want[m]! += v; });
          if (c.some((v, m) => m !== i && v !== 0)) projected++;
        }
        want.forEach((v, i) => assert.ok(Object.is(got[i], v), `k ${k}, step ${step}: coefficient ${i} ${got[i]} vs the core rule's ${v}`));
      }
      assert.ok(projected > 0, 'some gradients were projected');
    } finally {
      session.dispose();
    }
  }
});

test(`${GRADVAC_KERNEL} refuses bad shapes and task indices with its message, and the session runs on`, async (t) => {
  const ok = await kernelsOrSkip(t);
  if (!ok) return;
  const { tf } = ok;
  const g = new GraphBuilder();
  const G = g.op('Cast', [g.placeholder('gramian', [-1, -1])], { SrcT: { type: 'float' }, DstT: D, Truncate: { b: false } }, 'gramian64');
  const targets = g.op('Cast', [g.placeholder('targets', [-1, -1])], { SrcT: { type: 'float' }, DstT: D, Truncate: { b: false } }, 'targets64');
  const beta = g.op('Cast', [g.placeholder('beta', [-1])], { SrcT: { type: 'float' }, DstT: D, Truncate: { b: false } }, 'beta64');
  const orders = g.placeholder('orders', [-1], 'int32');
  const op = g.op(GRADVAC_KERNEL, [G, targets, orders, g.op('Reshape', [beta, g.constant('scalar', { dtype: 'int32', shape: [0], values: [] })], { T: D, Tshape: I32 }, 'beta_scalar')], {}, 'gradvac');
  const opVectorBeta = g.op(GRADVAC_KERNEL, [G, targets, orders, beta], {}, 'gradvac_vector_beta');
  const out = (x: string) => g.op('Bitcast', [x], { T: D, type: I32 }, 'bits');
  const [w, wVector] = [out(op), out(opVectorBeta)];
  const session = openSession(tf, g.savedModel(['serve']));
  const run = (gram: number[][], tg: number[][], ord: number[], fetch = w) => {
    const feeds = [tf.tensor2d(gram), tf.tensor2d(tg), tf.tensor1d([0.5]), tf.tensor1d(ord, 'int32')];
    try {
      const [r] = session.run(['gramian', 'targets', 'beta', 'orders'].map((name) => (name === 'orders' ? { name, tfDtype: 'DT_INT32' } : { name })), feeds, [fetch]);
      const values = doubles(r!.dataSync());
      r!.dispose();
      return values;
    } finally {
      tf.dispose(feeds);
    }
  };
  try {
    const zeros = (n: number) => Array.from({ length: n }, () => new Array<number>(n).fill(0));
    assert.throws(() => run([[1, 0, 0], [0, 1, 0]], zeros(2), [1, 0]), /MtsGradVac: the Gramian must be a square matrix \[k, k\] with k >= 1, got \[2, 3\]/);
    assert.throws(() => run([[1, 0], [0, 1]], zeros(3), [1, 0]), /MtsGradVac: the targets must be \[k, k\] = \[2, 2\], got \[3, 3\]/);
    assert.throws(() => run(zeros(3), zeros(3), [1, 2, 0]), /MtsGradVac: the task orders must be a vector of k \(k - 1\) = 6 task indices for 3 tasks, got \[3\]/);
    assert.throws(() => run(zeros(3), zeros(3), [1, 2, 0, 2, 0, 3]), /MtsGradVac: task 2's order names task 3, not another of the 3 tasks/);
    assert.throws(() => run(zeros(2), zeros(2), [0, 1]), /MtsGradVac: task 0's order names task 0, not another of the 2 tasks/);
    assert.throws(() => run(zeros(2), zeros(2), [1, 0], wVector), /MtsGradVac: beta must be a scalar, got \[1\]/);
    // And then a good step: g1 = (1, 0), g2 = (-1, 1), targets 0: PCGrad's projection, (2, 1.5) exactly.
    assert.deepEqual(run([[1, -1], [-1, 2]], zeros(2), [1, 0]), [2, 1.5]);
  } finally {
    session.dispose();
  }
});
