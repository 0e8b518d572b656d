// Nash-MTL with 3 and 4 tasks in the graph (graph/nashRule.ts: damped Newton steps on the scaled
// bargaining equation in a While loop that stops when converged; built alone here) gives
// the core rule's coefficients (nashMtl.ts nashMtlWeights,
// reciprocalSystem.ts looping to its tolerance) within 1e-6 relative: by hand, on degenerate
// Gramians (equal, parallel, opposed gradients, a zero one, all zero) and on thousands of seeded
// ones built to be hard (tasks nearly opposed, so that the solution's x_i = alpha_i |g_i| runs up
// to the bound MAX_ALPHA_GAIN, gradients of scales 1e-3 to 1e3). The worst case: the rule with its
// loop capped at two Newton steps fewer than it takes still converges on every one of them (nashRule.ts header).
// CI checks the first 1000 of each seeded set and every one near the bound (HARD_IN_CI);
// `npm run test:nash` (MTS_NASH_FULL=1) all 3000.
// Each also as the native op (MtsNashMtl, scripts/native/ruleKernels.cc) that the binding we build registers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_ALPHA_GAIN, nashMtlWeights } from '../../../src/core/weighting/nashMtl';
import { solveReciprocalSystem } from '../../../src/core/weighting/reciprocalSystem';
import { SeededRandom } from '../../../src/core/random';
import { loadBackend } from '../../../src/trainer/backend';
import { GraphBuilder } from '../../../src/trainer/graph/graphDef';
import { ruleOps } from '../../../src/trainer/graph/graphRules';
import { NEWTON_STEPS, PREFIX_STEPS, nashMtlNewton } from '../../../src/trainer/graph/nashRule';
import { NASH_KERNEL } from '../../../src/trainer/graph/ruleKernels';
import type { RuleIo } from '../../../src/trainer/graph/ruleState';
import { openSession } from '../../../src/trainer/graph/session';
import { gramianOf, kernelsOrSkip, FOUR_TASK_CASES, THREE_TASK_CASES } from './ruleOnGraph';
import { hardGradients } from '../../../bench/hardGradients';

/** Each coefficient within `relative` of the expected one's size (and 1e-30 absolute, for zeros). */
const close = (got: readonly number[], want: readonly number[], label: string, relative = 1e-6) =>
  got.forEach((w, i) => assert.ok(Math.abs(w - want[i]!) <= relative * Math.abs(want[i]!) + 1e-30, `${label}: graph [${got}] vs expected [${want}]`));

/**
 * The rule alone with at most `steps` Newton steps, on each Gramian (float32 in and out, as
 * graphRules.ts's rules): as graph ops, or as the native op (`kernel`), whose graph must hold it.
 */
async function nashOnGraph(maxNorm: number, gramians: number[][][], steps = NEWTON_STEPS, kernel = false): Promise<number[][]> {
  const { tf } = await loadBackend('tensorflow');
  const k = gramians[0]!.length;
  const g = new GraphBuilder();
  const G = g.placeholder('gramian', [k, k]);
  const G64 = g.op('Cast', [G], { SrcT: { type: 'float' }, DstT: { type: 'double' }, Truncate: { b: false } }, 'gramian64');
  const io: RuleIo = { updates: [], resets: [], kernels: kernel ? [NASH_KERNEL] : [] };
  const w = nashMtlNewton(ruleOps(g, 'rule', k), G64, maxNorm, steps, io);
  assert.equal(io.kernel, kernel ? NASH_KERNEL : undefined, 'the form the rule was built in');
  const out = g.op('Cast', [w], { SrcT: { type: 'double' }, DstT: { type: 'float' }, Truncate: { b: false } }, 'coefficients32');
  const session = openSession(tf, g.savedModel(['serve']));
  const result = gramians.map((gram) => {
    const fed = tf.tensor2d(gram);
    const [t] = session.run([{ name: G }], [fed], [out]);
    const values = Array.from(t!.dataSync());
    tf.dispose([t!, fed]);
    return values;
  });
  session.dispose();
  return result;
}

for (const kernel of [false, true]) test(`${kernel ? `${NASH_KERNEL}: ` : ''}Nash-MTL by hand, 3 tasks: orthogonal gradients of lengths 1, 2, 4 give alpha = (1, 1/2, 1/4); maxNorm 1 scales by 1/sqrt(3)`, async (t) => {
  if (kernel && !await kernelsOrSkip(t)) return;
  // G = diag(1, 4, 16): G alpha = (1, 2, 4) = 1/alpha. |d|^2 = alpha^T G alpha = 1 + 1 + 1 = 3.
  const G = [[1, 0, 0], [0, 4, 0], [0, 0, 16]];
  const [free, clipped] = [...await nashOnGraph(0, [G], NEWTON_STEPS, kernel), ...await nashOnGraph(1, [G], NEWTON_STEPS, kernel)];
  close(free!, [1, 0.5, 0.25], 'orthogonal');
  close(clipped!, [1 / Math.sqrt(3), 0.5 / Math.sqrt(3), 0.25 / Math.sqrt(3)], 'orthogonal, maxNorm 1');
});

for (const kernel of [false, true]) test(`${kernel ? `${NASH_KERNEL}: ` : ''}Nash-MTL by hand, 4 tasks: pairwise cosine 1/4, lengths 1, 1, 2, 2: x = 1/sqrt(1.75) each, alpha_i = x / |g_i|`, async (t) => {
  if (kernel && !await kernelsOrSkip(t)) return;
  // C = 3/4 I + 1/4 1 1^T; by symmetry x_i = x: x (x + 3 x / 4) = 1, x^2 = 1 / 1.75, x = 0.7559289.
  // G = D C D with D = diag(1, 1, 2, 2): G_ij = |g_i| |g_j| C_ij.
  const lengths = [1, 1, 2, 2];
  const G = lengths.map((a, i) => lengths.map((b, j) => a * b * (i === j ? 1 : 0.25)));
  const x = 1 / Math.sqrt(1.75);
  assert.ok(Math.abs(x - 0.7559289) < 1e-7);
  const [w] = await nashOnGraph(0, [G], NEWTON_STEPS, kernel);
  close(w!, [x, x, x / 2, x / 2], 'cosine 1/4');
});

for (const kernel of [false, true]) test(`${kernel ? `${NASH_KERNEL}: ` : ''}Nash-MTL by hand, 3 tasks: g1 = (1, 0) and g2 = (-1, 0) are opposed, so alpha_i = 1 / |g_i| = (1, 1, 1/2) with g3 = (0, 2)`, async (t) => {
  if (kernel && !await kernelsOrSkip(t)) return;
  // g1 + g2 = 0: no direction improves both; the bounded rule gives each 1 / |g_i| (nashMtl.ts header).
  const G = gramianOf([[1, 0], [-1, 0], [0, 2]]);
  const [w] = await nashOnGraph(0, [G], NEWTON_STEPS, kernel);
  close(w!, [1, 1, 0.5], 'opposed pair');
  close(nashMtlWeights(G, 0), [1, 1, 0.5], 'the core rule, opposed pair');
});

for (const kernel of [false, true]) test(`${kernel ? `${NASH_KERNEL}: ` : ''}Nash-MTL by hand, 3 tasks: a zero gradient gets 0, the others 1 / |g_i| when orthogonal; all zero: 1 each`, async (t) => {
  if (kernel && !await kernelsOrSkip(t)) return;
  // g1 = (1, 0, 0), g2 = 0, g3 = (0, 0, 3): G = diag(1, 0, 9), alpha = (1, 0, 1/3).
  const [zero, all] = await nashOnGraph(0, [[[1, 0, 0], [0, 0, 0], [0, 0, 9]], [[0, 0, 0], [0, 0, 0], [0, 0, 0]]], NEWTON_STEPS, kernel);
  close(zero!, [1, 0, 1 / 3], 'a zero gradient');
  close(all!, [1, 1, 1], 'every gradient zero');
});

test('the loop takes no round once the prefix\'s steps have converged, and goes on while they have not', async () => {
  // Orthogonal unit gradients: C = I, x = 1 gives x o Cx = 1 at once; each prefix step keeps it (y = 0).
  // Pairwise cosine 1/4, 4 tasks: x = 1 gives x o Cx = 1.75 each, x^T C x = 7; the first step's ray
  // s^2 = 4 / 7 makes x = sqrt(4/7) = 1 / sqrt(1.75) each, the solution (a test above), whose Newton
  // right-hand side x o Cx s^2 - 1 = 1.75 * 4/7 - 1 = 0: the next steps keep it.
  // Nearly opposed (g4 = -(g1 + g2 + g3) / 2 + a small part of its own): x runs to ~30 (past what
  // PREFIX_STEPS steps reach from 1), so the loop goes on and ends converged.
  const { tf } = await loadBackend('tensorflow');
  const cosine = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (i === j ? 1 : 0.25)));
  const opposed = gramianOf([[1, 0, 0], [0, 1, 0], [0, 0, 1], [-0.5, -0.5, -0.5 + 0.01]]);
  const taken = [];
  for (const G of [[[1, 0, 0], [0, 1, 0], [0, 0, 1]], cosine, opposed]) {
    const k = G.length;
    const g = new GraphBuilder();
    const gram = g.placeholder('gramian', [k, k]);
    const G64 = g.op('Cast', [gram], { SrcT: { type: 'float' }, DstT: { type: 'double' }, Truncate: { b: false } }, 'gramian64');
    const w = g.op('Cast', [nashMtlNewton(ruleOps(g, 'rule', k), G64, 0)], { SrcT: { type: 'double' }, DstT: { type: 'float' }, Truncate: { b: false } }, 'coefficients32');
    const session = openSession(tf, g.savedModel(['serve']));
    const fed = tf.tensor2d(G);
    // The loop's outputs: x, p, C, the steps taken (the prefix's included), whether to go on (nashRule.ts solvedX).
    const [steps, coefficients] = session.run([{ name: gram }], [fed], ['rule_nash:3', w]);
    taken.push(steps!.dataSync()[0]);
    close(Array.from(coefficients!.dataSync()), nashMtlWeights(G, 0), `${k} tasks`);
    tf.dispose([steps!, coefficients!, fed]);
    session.dispose();
  }
  assert.equal(taken[0], PREFIX_STEPS);
  assert.equal(taken[1], PREFIX_STEPS);
  assert.ok(taken[2]! > PREFIX_STEPS, `the opposed Gramian took ${taken[2]} steps`);
  assert.ok(Math.max(...solvedX(opposed)!) > 10, 'the opposed Gramian\'s x runs far from 1');
});

test('Nash-MTL\'s Newton rule refuses a cap on steps that leaves the loop none', () => {
  const g = new GraphBuilder();
  const G = g.placeholder('gramian', [3, 3]);
  assert.throws(() => nashMtlNewton(ruleOps(g, 'rule', 3), G, 0, PREFIX_STEPS), /more than 3 steps/);
});

const THREE = {
  ...THREE_TASK_CASES,
  'a zero gradient': gramianOf([[1, 0, 0.5], [0, 0, 0], [0, 2, 1]]),
  'two zero gradients': gramianOf([[0, 0, 0], [0.5, 1, 0], [0, 0, 0]]),
  'every gradient zero': gramianOf([[0, 0], [0, 0], [0, 0]]),
  'three in a plane summing to 0 (opposed)': gramianOf([[1, 0], [-0.5, 0.8], [-0.5, -0.8]]),
  'large scale': gramianOf([[300, 0, 10], [-100, 250, 0], [0, 40, 900]]),
  'small scale': gramianOf([[3e-3, 0, 1e-4], [-1e-3, 2.5e-3, 0], [0, 4e-4, 9e-3]]),
};
const FOUR = FOUR_TASK_CASES;

for (const kernel of [false, true]) for (const maxNorm of [0, 1]) {
  for (const [k, set] of [[3, THREE], [4, FOUR]] as const) {
    test(`${kernel ? `${NASH_KERNEL}: ` : ''}Nash-MTL maxNorm ${maxNorm} with ${k} tasks in the graph equals the core rule on degenerate Gramians`, async (t) => {
      if (kernel && !await kernelsOrSkip(t)) return;
      const cases = Object.entries(set);
      const graph = await nashOnGraph(maxNorm, cases.map(([, G]) => G), NEWTON_STEPS, kernel);
      cases.forEach(([label, G], c) => close(graph[c]!, nashMtlWeights(G, maxNorm), label));
    });
  }
}

/** Seeded hard Gramians of k tasks (bench/hardGradients.ts), rounded to float32 as the graph holds them. */
const hardGramians = (random: SeededRandom, k: number, count: number): number[][][] => hardGradients(random, k, count).map(gramianOf);

/** The core solver's x_i = alpha_i |g_i| (undefined: every gradient zero). */
const solvedX = (G: number[][]) => solveReciprocalSystem(G)?.map((a, i) => a * Math.sqrt(G[i]![i]!));

const nearBound = (x: number) => x > 30 && x <= MAX_ALPHA_GAIN;

/**
 * CI's part of each set of 3000: the first 1000 and every one whose solution is near the bound,
 * where Newton takes the most steps. It fails where the whole set does when the loop is capped
 * lower: at three steps fewer both fail on #1705 of the 4-task set (x = 55.9), the first 1000 pass.
 */
const HARD_IN_CI = (c: number, x: number) => c < 1000 || nearBound(x);
const FULL = process.env.MTS_NASH_FULL === '1';

for (const [k, kernel] of [[3, false], [4, false], [3, true], [4, true]] as const) {
  test(`${kernel ? `${NASH_KERNEL}: ` : ''}Nash-MTL with ${k} tasks in the graph equals the core rule within 1e-6 on ${FULL ? '3000' : 'the hardest and first 1000 of 3000'} seeded hard Gramians, with two Newton steps fewer than it takes`, async (t) => {
    if (kernel && !await kernelsOrSkip(t)) return;
    const all = hardGramians(new SeededRandom(40 + k), k, 3000);
    const allGains = all.map((G) => Math.max(...(solvedX(G) ?? [0])));
    const picked = all.map((_, c) => c).filter((c) => FULL || HARD_IN_CI(c, allGains[c]!));
    const gramians = picked.map((c) => all[c]!);
    const gains = picked.map((c) => allGains[c]!);
    // The set holds hard cases: solutions near the bound, and past it (one in ten).
    assert.ok(gains.filter(nearBound).length >= 50, 'solutions with 30 < x <= MAX_ALPHA_GAIN');
    assert.ok(gains.filter((x) => x > MAX_ALPHA_GAIN).length >= picked.length / 10, 'solutions past the bound');
    for (const maxNorm of [0, 1]) {
      const [full, fewer] = [await nashOnGraph(maxNorm, gramians, NEWTON_STEPS, kernel), await nashOnGraph(maxNorm, gramians, NEWTON_STEPS - 2, kernel)];
      gramians.forEach((G, i) => {
        const want = nashMtlWeights(G, maxNorm);
        const label = `#${picked[i]} maxNorm ${maxNorm} x ${gains[i]} ${JSON.stringify(G)}`;
        close(full[i]!, want, label);
        close(fewer[i]!, want, `${NEWTON_STEPS - 2} steps, ${label}`);
      });
    }
  });
}

test(`${NASH_KERNEL} refuses a Gramian that is not square and settings that are not five numbers, with its message; the session runs on`, async (t) => {
  if (!await kernelsOrSkip(t)) return;
  const { tf } = await loadBackend('tensorflow');
  const g = new GraphBuilder();
  const G = g.placeholder('gramian', [-1, -1]);
  const settings = g.placeholder('settings', [-1]);
  const double = (x: string) => g.op('Cast', [x], { SrcT: { type: 'float' }, DstT: { type: 'double' }, Truncate: { b: false } }, `${x}64`);
  const w = g.op('Cast', [g.op(NASH_KERNEL, [double(G), double(settings)], {}, 'nash')], { SrcT: { type: 'double' }, DstT: { type: 'float' }, Truncate: { b: false } }, 'nash32');
  const session = openSession(tf, g.savedModel(['serve']));
  const run = (gram: number[][], set: number[]) => {
    const fed = [tf.tensor2d(gram), tf.tensor1d(set)];
    try {
      const [out] = session.run([{ name: G }, { name: settings }], fed, [w]);
      const values = Array.from(out!.dataSync());
      out!.dispose();
      return values;
    } finally { tf.dispose(fed); }
  };
  assert.throws(() => run([[1, 0, 0], [0, 1, 0]], [0, 1e-9, 100, 11, 3]), /MtsNashMtl: the Gramian must be a square matrix \[k, k\] with k >= 1, got \[2, 3\]/);
  assert.throws(() => run([[1, 0], [0, 1]], [0, 1e-9, 100]), /MtsNashMtl: the settings must be \[max_norm, converged, max_alpha_gain, steps, prefix_steps\], got \[3\]/);
  close(run([[1, 0, 0], [0, 4, 0], [0, 0, 16]], [0, 1e-9, 100, 11, 3]), [1, 0.5, 0.25], 'a good call after the bad ones');
  session.dispose();
});
