// GradDrop on the fused graph (graph/gradDrop.ts): its uniforms (the eager step's generator,
// core/random.ts fillSymmetric, in graph ops; spread evenly, independent between coordinates,
// steps and blocks), the graph's rule against the eager rule (core/weighting/gradDropDirection.ts)
// given the same uniforms (read back from the graph), the hand-worked 2x4 Jacobian of the eager
// tests, and a run through the loop on the fused graph in both modes: repeatable, reporting kept shares.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec } from '../../../src/core/spec';
import { gradDropDirection, keptShare } from '../../../src/core/weighting/gradDropDirection';
import { WEIGHTING_METHODS } from '../../../src/core/weighting/registry';
import { fillSymmetric, SeededRandom } from '../../../src/core/random';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { gradDropUniform, graphGradDrop, graphGradDropBlocks, uint32Scalar } from '../../../src/trainer/graph/gradDrop';
import { GRAPH_STEP_PATH, graphStepUnsupported } from '../../../src/trainer/graph/graphStep';
import { GRADDROP_XLA_MIN_STEPS, gradDropJitNote } from '../../../src/trainer/graph/gradDropJit';
import { openSession } from '../../../src/trainer/graph/session';
import { makeHeads } from '../../../src/trainer/heads';
import { close } from '../core/weighting/fixtures';
import { graphSpec, trainWith } from './graphTraining';

/** Runs graphGradDrop on `jacobian` ([k, P] rows): with fed uniforms `u`, or drawn from `seed`; returns the uniforms used too. */
async function onGraph(jacobian: number[][], leak: number, from: { u: number[] } | { seed: [number, number] }) {
  const { tf } = await loadBackend('tensorflow');
  const g = new GraphBuilder();
  const j = g.placeholder('j', [jacobian.length, -1]);
  const fed = 'u' in from ? g.placeholder('u', [1, -1]) : undefined;
  const seed = 'seed' in from ? g.placeholder('seed', [2], 'int32') : undefined;
  let uniform = '';
  const rows = g.op('Unpack', [j], { T: { type: 'float' }, num: { i: jacobian.length }, axis: { i: 0 } }, 'rows');
  const tasks = jacobian.map((_, i) => g.op('ExpandDims', [i === 0 ? rows : `${rows}:${i}`, g.constant(`row_axis_${i}`, { dtype: 'int32', shape: [], values: [0] })], { T: { type: 'float' }, Tdim: { type: 'int32' } }, `task_${i}`));
  // XLA's loop, as on the shared parameters (graphGradDropBlocks); the same bits as TensorFlow's kernels (a test below).
  const drop = graphGradDrop(g, 'drop', tasks, (like) => (uniform = fed ? g.op('Identity', [fed], { T: { type: 'float' } }, 'fed_u') : gradDropUniform(g, 'drop', like, seed!, uint32Scalar(g, 'start', 1 << 24)).uniform), leak);
  const session = openSession(tf, g.savedModel(['serve']));
  const feeds = [{ name: j }, ...(fed ? [{ name: fed }] : [{ name: seed!, tfDtype: 'DT_INT32' }])];
  const values = [tf.tensor2d(jacobian), 'u' in from ? tf.tensor2d([from.u]) : tf.tensor1d(from.seed, 'int32')];
  const out = session.run(feeds, values, [drop.direction, drop.keptDots, uniform]);
  const [direction, dots, u] = out.map((t) => Array.from(t.dataSync()));
  tf.dispose([...out, ...values]);
  session.dispose();
  const norms = jacobian.map((row) => row.reduce((s, x) => s + x * x, 0));
  return { direction: direction!, shares: dots!.map((d, i) => keptShare(d, norms[i]!, leak)), u: u! };
}

/**
 * The graph's uniforms for blocks of `sizes` coordinates laid end to end in one graph, the first
 * starting at word `start` of the stream from the seed pair `seed`; and where the last one ended.
 */
async function chained(sizes: number[], seed: [number, number], start: number, skip: 0 | 1 = 0): Promise<{ blocks: number[][]; end: number }> {
  const { tf } = await loadBackend('tensorflow');
  const g = new GraphBuilder();
  const s = g.placeholder('seed', [2], 'int32');
  let at = uint32Scalar(g, 'start', start);
  const likes = sizes.map((_, i) => g.placeholder(`like_${i}`, [1, -1]));
  const us = likes.map((like, i) => {
    const drawn = gradDropUniform(g, `drop_${i}`, like, s, at, i === 0 ? skip : 0);
    at = drawn.end;
    return drawn.uniform;
  });
  const end = g.op('Bitcast', [at], { T: { type: 'uint32' }, type: { type: 'int32' } }, 'end_int');
  const session = openSession(tf, g.savedModel(['serve']));
  const values = [...sizes.map((n) => tf.zeros([1, n])), tf.tensor1d(seed, 'int32')];
  const out = session.run([...likes.map((name) => ({ name })), { name: s, tfDtype: 'DT_INT32' }], values, [...us, end]);
  const result = out.map((t) => Array.from(t.dataSync()));
  tf.dispose([...out, ...values]);
  session.dispose();
  return { blocks: result.slice(0, -1), end: result.at(-1)![0]! >>> 0 };
}

/** The graph's uniforms for `size` coordinates of a block starting at word `start` (its high half with `skip` 1), from the seed pair `seed`. */
async function draws(size: number, seed: [number, number], start: number, skip: 0 | 1 = 0): Promise<number[]> {
  return (await chained([size], seed, start, skip)).blocks[0]!;
}

const WEYL = 0x6d2b79f5;

test('GradDrop\'s uniforms in the graph are the eager step\'s generator (fillSymmetric from key seed[0] + 2^31 seed[1]), each word\'s halves swapped; a block starting at word w continues the stream there', async () => {
  const seed: [number, number] = [1234567, 89];
  const key = (seed[0] + 2 ** 31 * (seed[1] & 1)) >>> 0;
  // The eager step's V = 1 - 2U, high half first; the graph's U, low half first. An odd size: the last word's second half is cut.
  const expected = (from: number, size: number) => {
    const v = fillSymmetric(new Float32Array(size + 1), from);
    return Array.from({ length: size }, (_, i) => (1 - v[i ^ 1]!) / 2);
  };
  assert.deepEqual(await draws(4097, seed, 0), expected(key, 4097));
  assert.deepEqual(await draws(1000, seed, 3 * 2 ** 24), expected((key + Math.imul(3 * 2 ** 24, WEYL)) >>> 0, 1000));
  // A start past 2^31 (int32 arithmetic overflowed there from the 128th block of 2^24 words).
  assert.deepEqual(await draws(1000, seed, 2 ** 31 + 7), expected((key + Math.imul(2 ** 31 + 7, WEYL)) >>> 0, 1000));
  // The key takes seed[1]'s low bit: another pair, another stream.
  assert.deepEqual(await draws(1000, [seed[0], 90], 0), expected((key + 2 ** 31) >>> 0, 1000));
});

test('GradDrop\'s blocks lie end to end in one stream: 999 then 1,000 coordinates take words 0-499 and 500-999, as 1,999 coordinates would (and 300 blocks do not overflow)', async () => {
  const seed: [number, number] = [42, 7];
  const [whole, parts] = [await draws(2000, seed, 0), await chained([999, 1000], seed, 0)];
  assert.deepEqual(parts.blocks[0], whole.slice(0, 999));
  assert.deepEqual(parts.blocks[1], whole.slice(1000, 2000));
  assert.equal(parts.end, 1000);
  const many = await chained(new Array<number>(300).fill(2 ** 17), seed, 0);
  assert.equal(many.end, 300 * 2 ** 16);
  assert.deepEqual(many.blocks[299], await draws(2 ** 17, seed, 299 * 2 ** 16));
});

test('GradDrop\'s block that starts at a word\'s high half (skip 1: XLA\'s blocks after an odd offset in the joined row) draws the row\'s numbers from there', async () => {
  const seed: [number, number] = [42, 7];
  const whole = await draws(2000, seed, 0);
  // Coordinates 1,001-1,007 of the row: word 500's high half, then words 501-503 (the last one's high half cut).
  assert.deepEqual(await draws(7, seed, 500, 1), whole.slice(1001, 1008));
  assert.deepEqual(await draws(1, seed, 999, 1), whole.slice(1999, 2000));
  // skip 0 is the block from the word's low half.
  assert.deepEqual(await draws(7, seed, 500), whole.slice(1000, 1007));
});

test('GradDrop\'s uniforms in the graph: uniform on [0, 1) in 16-bit steps, no correlation between neighbours, the halves of a word, steps (seed pairs) or blocks', async () => {
  const n = 1 << 16;
  const [a, b, c] = [await draws(n, [271828, 1828], 0), await draws(n, [314159, 2653], 0), await draws(n, [271828, 1828], 2 ** 24)];
  for (const u of [a, b, c]) {
    assert.ok(u.every((x) => x >= 0 && x < 1 && Number.isInteger(x * 2 ** 16)));
    // Mean 1/2 - 2^-17, standard deviation sqrt(1/12 / n): five of them.
    const mean = u.reduce((s, x) => s + x, 0) / n;
    assert.ok(Math.abs(mean - 0.5) < 5 * Math.sqrt(1 / 12 / n), `mean ${mean}`);
    // Chi-square over 64 equal bins: 63 degrees of freedom, mean 63, standard deviation 11.2; five of them.
    const bins = new Array<number>(64).fill(0);
    for (const x of u) bins[Math.floor(x * 64)]!++;
    const chi = bins.reduce((s, k) => s + (k - n / 64) ** 2 / (n / 64), 0);
    assert.ok(chi < 63 + 5 * 11.2, `chi-square ${chi}`);
  }
  /** Pearson's correlation; for independent uniforms about normal with standard deviation 1 / sqrt(length). */
  const corr = (x: number[], y: number[]) => {
    const m = (v: number[]) => v.reduce((s, t) => s + t, 0) / v.length;
    const [mx, my] = [m(x), m(y)];
    let [sxy, sxx, syy] = [0, 0, 0];
    x.forEach((t, i) => { sxy += (t - mx) * (y[i]! - my); sxx += (t - mx) ** 2; syy += (y[i]! - my) ** 2; });
    return sxy / Math.sqrt(sxx * syy);
  };
  const bound = (len: number) => 5 / Math.sqrt(len);
  const pairs: Array<[string, number[], number[]]> = [
    ['neighbours', a.slice(0, -1), a.slice(1)],
    ['halves of a word', a.filter((_, i) => i % 2 === 0), a.filter((_, i) => i % 2 === 1)],
    ['neighbouring words', a.filter((_, i) => i % 2 === 0).slice(0, -1), a.filter((_, i) => i % 2 === 0).slice(1)],
    ['two steps', a, b],
    ['two blocks', a, c],
  ];
  for (const [what, x, y] of pairs) { const r = corr(x, y); assert.ok(Math.abs(r) < bound(x.length), `${what}: correlation ${r}`); }
  // No coordinate repeats the other step's or block's draw more often than chance (1 in 2^16: about 1 here).
  assert.ok(a.filter((x, i) => x === b[i]).length < 10 && a.filter((x, i) => x === c[i]).length < 10);
});

// g1 = (1, -2, 3, 0), g2 = (1, 1, -1, 0), U = 1/2: worked out in test/unit/trainer/weighting/graddrop.test.ts.
const J = [[1, -2, 3, 0], [1, 1, -1, 0]];

test('GradDrop in the graph, hand-worked: U = 1/2 gives d = (2, -2, 3, 0), shares 1 and 1/3; leak 1/4 gives (2, -1.75, 2.75, 0), shares 1 and 1/2; U = 1 keeps the negative parts; P = U keeps neither', async () => {
  const half = { u: [0.5, 0.5, 0.5, 0.5] };
  let out = await onGraph(J, 0, half);
  close(out.direction, [2, -2, 3, 0]);
  close(out.shares, [1, 1 / 3]);
  out = await onGraph(J, 0.25, half);
  close(out.direction, [2, -1.75, 2.75, 0]);
  close(out.shares, [1, 0.5]);
  close((await onGraph(J, 0, { u: [1, 1, 1, 1] })).direction, [0, -2, -1, 0]);
  // P = U exactly (g = (1, -1) and (2, -2), P = 1/2): neither sign kept, as the eager rule (s = 0); with a leak, l times the sum 0.
  const tie = [[1, 2], [-1, -2]];
  close((await onGraph(tie, 0, { u: [0.5, 0.5] })).direction, Array.from(gradDropDirection(tie.flat(), 2, [0, 0], 0).direction));
  close((await onGraph(tie, 0, { u: [0.5, 0.5] })).direction, [0, 0]);
});

test('GradDrop in the graph equals the eager rule given the same uniforms (read back from the graph), leak 0 and 0.3, 3 tasks', async () => {
  const rng = new SeededRandom(8);
  // Mixed signs and sizes, so that the draws decide most coordinates.
  const jacobian = Array.from({ length: 3 }, () => Array.from({ length: 5000 }, () => rng.normal()));
  for (const leak of [0, 0.3]) {
    const graph = await onGraph(jacobian, leak, { seed: [12345, 678] });
    assert.equal(graph.u.length, 5000);
    assert.ok(graph.u.every((x) => x >= 0 && x < 1 && Number.isInteger(x * 2 ** 16)), 'uniforms k / 2^16 in [0, 1)');
    const eager = gradDropDirection(jacobian.flat(), 3, graph.u.map((x) => 1 - 2 * x), leak);
    // A coordinate sums up to 3 tasks' parts and can pass 1: relative above 1.
    graph.direction.forEach((v, p) => assert.ok(Math.abs(v - eager.direction[p]!) < 1e-5 * Math.max(1, Math.abs(eager.direction[p]!)), `coordinate ${p}: ${v} vs ${eager.direction[p]}`));
    // A share reads a float32 Sum of 5000 squares (>= 0), whose order follows the thread count: any
    // order is within (n - 1) 2^-24 of the sum relative, and the squares add 3 2^-24 of rounding.
    const tolerance = (jacobian[0]!.length + 2) * 2 ** -24;
    graph.shares.forEach((v, i) => assert.ok(Math.abs(v - eager.shares[i]!) <= tolerance * Math.abs(eager.shares[i]!), `share ${i}: ${v} vs ${eager.shares[i]}`));
  }
  // The draws are a function of the seed pair alone: another pair, other draws.
  const again = await onGraph(jacobian, 0, { seed: [12345, 678] });
  const other = await onGraph(jacobian, 0, { seed: [12345, 679] });
  assert.deepEqual(again.u, (await onGraph(jacobian, 0, { seed: [12345, 678] })).u);
  assert.ok(other.u.some((x, p) => x !== again.u[p]));
});

test('GradDrop over several blocks gives the same bits whether XLA\'s compiled function or TensorFlow\'s kernels run it, with a leak, in every fetch set', async () => {
  // The two ways of graphGradDropBlocks (gradDropJit.ts chooses by the run's length): the same
  // directions to the bit; the shares' dots from the same signs (summed alike: outside XLA).
  const { tf } = await loadBackend('tensorflow');
  const shapes = [[40, 25], [25], [7]];
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const rng = new SeededRandom(11);
  const g = new GraphBuilder();
  const seed = g.placeholder('seed', [2], 'int32');
  const blocks = shapes.map((shape, b) => [0, 1, 2].map((t) => g.placeholder(`g_${t}_${b}`, shape)));
  const [xla, ops] = [true, false].map((jit) => graphGradDropBlocks(g, jit ? 'xla' : 'ops', blocks, sizes, seed, uint32Scalar(g, `start_${jit}`, 3), 0.3, jit));
  const session = openSession(tf, g.savedModel(['serve']));
  for (let call = 0; call < 3; call++) {
    const values = [tf.tensor1d([1234 + call, 99], 'int32'), ...shapes.flatMap((shape) => [0, 1, 2].map(() => tf.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()), shape)))];
    const feeds = [{ name: seed, tfDtype: 'DT_INT32' }, ...blocks.flatMap((block) => block.map((name) => ({ name })))];
    // Fetch sets as the step's: the directions alone, with the shares, each way alone.
    const both = session.run(feeds, values, [...xla!.directions, ...ops!.directions, xla!.keptDots, ops!.keptDots]).map((t) => { const v = Array.from(t.dataSync()); t.dispose(); return v; });
    const alone = session.run(feeds, values, xla!.directions).map((t) => { const v = Array.from(t.dataSync()); t.dispose(); return v; });
    tf.dispose(values);
    const n = sizes.length;
    for (let b = 0; b < n; b++) {
      assert.deepEqual(both[b], both[n + b], `call ${call}, block ${b}: XLA's direction is not the kernels'`);
      assert.deepEqual(alone[b], both[b], `call ${call}, block ${b}: another fetch set, another direction`);
    }
    assert.deepEqual(both[2 * n], both[2 * n + 1], `call ${call}: the shares' dots differ`);
    assert.ok(both[0]!.some((x) => x !== 0), 'the direction is not all zeros');
  }
  session.dispose();
});

test('GradDrop over several blocks at once (the shared parameters: graphGradDropBlocks) is the rule on the blocks joined, with one stream of uniforms over them, split back block by block', async () => {
  const { tf } = await loadBackend('tensorflow');
  const shapes = [[2, 3], [3], [5]];
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const rng = new SeededRandom(21);
  const grads = [0, 1].map(() => shapes.map((s) => Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal())));
  const g = new GraphBuilder();
  const seed = g.placeholder('seed', [2], 'int32');
  const blocks = shapes.map((shape, b) => [0, 1].map((t) => g.constant(`g_${t}_${b}`, { dtype: 'float', shape, values: grads[t]![b]! })));
  const drop = graphGradDropBlocks(g, 'drop', blocks, sizes, seed, uint32Scalar(g, 'start', 0), 0.2);
  const session = openSession(tf, g.savedModel(['serve']));
  const pair = tf.tensor1d([4242, 17], 'int32');
  const out = session.run([{ name: seed, tfDtype: 'DT_INT32' }], [pair], drop.directions);
  const directions = out.map((t) => Array.from(t.dataSync()));
  tf.dispose([...out, pair]);
  session.dispose();
  // The joined row's uniforms: one block of all 14 coordinates from word 0 of the same stream.
  const u = await draws(14, [4242, 17], 0);
  const joined = gradDropDirection([...grads[0]!.flat(), ...grads[1]!.flat()], 2, u.map((x) => 1 - 2 * x), 0.2).direction;
  let at = 0;
  directions.forEach((d, b) => {
    assert.equal(d.length, sizes[b]);
    close(d, Array.from(joined.slice(at, at + sizes[b]!)));
    at += sizes[b]!;
  });
});

test('GradDrop in the graph with opposite signs keeps one task\'s part per coordinate, the first with its purity as chance', async () => {
  const rng = new SeededRandom(4);
  const wide = Array.from({ length: 2 }, (_, i) => Array.from({ length: 2 ** 14 }, () => (i === 0 ? 1 : -1) * (0.1 + rng.next())));
  const { direction } = await onGraph(wide, 0, { seed: [3, 1] });
  let first = 0;
  let chance = 0;
  direction.forEach((v, p) => {
    const [g1, g2] = [wide[0]![p]!, wide[1]![p]!];
    assert.ok(Math.abs(v - g1) < 1e-6 || Math.abs(v - g2) < 1e-6, `coordinate ${p}: ${v}`);
    if (Math.abs(v - g1) < 1e-6) first++;
    chance += Math.abs(g1) / (Math.abs(g1) + Math.abs(g2));
  });
  // Binomial: the standard deviation of the count is below sqrt(2^14) / 2 = 64; 5 of them.
  assert.ok(Math.abs(first - chance) < 320, `${first} coordinates kept the first task's part, expected about ${chance.toFixed(0)}`);
});

for (const mode of ['parameters', 'representation'] as const) {
  test(`GradDrop trains on the fused graph on the shared ${mode}: the same run twice gives the same weights; its shares, in [leak, 1], average as the eager step's`, { timeout: 60_000 }, async () => {
    const s = graphSpec({ optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, weighting: { method: 'graddrop', mode, leak: 0.1 } as ExperimentSpec['training']['weighting'] });
    const { tf } = await loadBackend('tensorflow');
    assert.equal(graphStepUnsupported(s, makeHeads(tf, s), false, WEIGHTING_METHODS.find((m) => m.description.id === 'graddrop')!.description), undefined);
    const [a, b] = [await trainWith(s, 'tensorflow'), await trainWith(s, 'tensorflow')];
    // A run of 14 steps: the parameters mode's mask on TensorFlow's kernels (gradDropJit.ts), said in the run log.
    assert.equal(a.path, `${GRAPH_STEP_PATH}, task gradients on the shared ${mode}${mode === 'parameters' ? `; ${gradDropJitNote(false, 14)}` : ''}`);
    assert.deepEqual(a.weights, b.weights);
    if (mode === 'parameters') {
      // The same run planned as a long one: XLA's compiled mask, the same weights to the bit.
      const long = await trainWith(s, 'tensorflow', { plannedSteps: GRADDROP_XLA_MIN_STEPS });
      assert.equal(long.path, `${GRAPH_STEP_PATH}, task gradients on the shared ${mode}; ${gradDropJitNote(true, GRADDROP_XLA_MIN_STEPS)}`);
      assert.deepEqual(long.weights, a.weights);
      assert.deepEqual(long.reportedWeights, a.reportedWeights);
    }

    assert.ok(a.weights.some((w, i) => w.some((x, j) => Math.abs(x - a.initial[i]![j]!) > 1e-3)), 'weights moved');
    assert.ok(a.reportedWeights.length >= 6, `${a.reportedWeights.length} reports`);
    // A share is at least the leak (a dropped part passes at 0.1) and at most 1; with 3 tasks of mixed signs, below 1 somewhere.
    const shares = a.reportedWeights.map((w) => Number(w.split('=')[1]));
    assert.ok(shares.every((x) => x >= 0.1 - 1e-6 && x <= 1 + 1e-6), shares.join(', '));
    assert.ok(shares.some((x) => x < 0.99), shares.join(', '));
    // The eager step draws other uniforms (JavaScript's), so its shares differ step by step; each
    // task's mean over the run's reports agrees (a flipped mask or a lost leak moves it by far more).
    const eager = await trainWith(s, 'tensorflow', { fusedGraph: false });
    assert.equal(eager.path, `native, task gradients on the shared ${mode}`);
    const meanShares = (reports: string[]) => {
      const by = new Map<string, number[]>();
      for (const r of reports) { const [task, v] = r.split('='); by.set(task!, [...(by.get(task!) ?? []), Number(v)]); }
      return new Map([...by].map(([task, v]) => [task, v.reduce((x, y) => x + y, 0) / v.length]));
    };
    const [mine, theirs] = [meanShares(a.reportedWeights), meanShares(eager.reportedWeights)];
    assert.deepEqual([...mine.keys()], [...theirs.keys()]);
    for (const [task, v] of mine) assert.ok(Math.abs(v - theirs.get(task)!) < 0.08, `task ${task}: mean share ${v} on the graph, ${theirs.get(task)} eager`);
  });
}

test('GradDrop on the shared parameters at batch 4, a last batch of 2, blocks of odd sizes: XLA\'s mask block by block trains as the joined row on TensorFlow\'s kernels, to the bit, with conflicting tasks', { timeout: 120_000 }, async () => {
  // Layer b of 7 units: its kernel (3 x 7 = 21) and bias (7) are odd, so later blocks start at odd
  // offsets of the joined row (at a word's high half in XLA's function: gradDrop.ts graphGradDropBlocks).
  const base = graphSpec({ optimizer: { type: 'sgd', learningRate: 0.02 }, batchSize: 4, weighting: { method: 'graddrop', mode: 'parameters', leak: 0.2 } as ExperimentSpec['training']['weighting'] });
  const s: ExperimentSpec = { ...base, model: { ...base.model, layers: base.model.layers.map((l) => (l.id === 'b' ? { ...l, units: 7 } : l)) } };
  const rows = 42;
  const steps = s.training.epochs * Math.ceil(rows / 4);
  const kernels = await trainWith(s, 'tensorflow', { rows });
  const xla = await trainWith(s, 'tensorflow', { rows, plannedSteps: GRADDROP_XLA_MIN_STEPS });
  assert.equal(kernels.path, `${GRAPH_STEP_PATH}, task gradients on the shared parameters; ${gradDropJitNote(false, steps)}`);
  assert.equal(xla.path, `${GRAPH_STEP_PATH}, task gradients on the shared parameters; ${gradDropJitNote(true, GRADDROP_XLA_MIN_STEPS)}`);
  assert.deepEqual(xla.weights, kernels.weights);
  assert.deepEqual(xla.reportedWeights, kernels.reportedWeights);
  assert.ok(xla.weights.some((w, i) => w.some((x, j) => Math.abs(x - xla.initial[i]![j]!) > 1e-3)), 'weights moved');
  // The tasks conflict: each one's kept share is below 1 on some report (a share is 1 where nothing of it was dropped).
  const shares = (task: string) => xla.reportedWeights.filter((w) => w.startsWith(`${task}=`)).map((w) => Number(w.split('=')[1]));
  for (const task of s.tasks.map((t) => t.id)) assert.ok(shares(task).some((x) => x < 0.95), `${task}: ${shares(task).join(', ')}`);
});
