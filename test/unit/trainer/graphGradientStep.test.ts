// Gradient-family task weighting on the fused graph step (graph/taskGradients.ts,
// graphGradientStep.ts) trains exactly like the eager compiled step (native/denseStep.ts
// gradientUpdate): every rule method, on the shared parameters and on the shared
// representation, with two and three tasks, under a rate that changes every step, gives the
// same weights after two epochs and the same reported task weights.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ExperimentSpec, WeightingSpec } from '../../../src/core/spec';
import { WEIGHTING_METHODS } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import { GRAPH_STEP_PATH, compileGraphStep, graphStepUnsupported } from '../../../src/trainer/graph/graphStep';
import { sharedBlocks } from '../../../src/trainer/insight/conflict';
import { buildModel } from '../../../src/trainer/model/build';
import { makeWeighting } from '../../../src/trainer/weighting/index';
import { analyzeGraph } from '../../../src/core/graph';
import { makeHeads } from '../../../src/trainer/heads';
import { graphMasks, graphSpec, trainWith, type Trained } from './graphTraining';
import { withDropout } from './stepFixtures';
import { convData, convSpec } from './convFixtures';
import { STACKED, recurrentData, recurrentSpec } from './recurrentFixtures';

const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };

/** The equivalence network without its regression task (and its head): two tasks. */
function twoTasks(s: ExperimentSpec): ExperimentSpec {
  const { reg: _reg, ...outputs } = s.model.outputs;
  return { ...s, tasks: s.tasks.filter((t) => t.id !== 'reg'), model: { ...s.model, layers: s.model.layers.filter((l) => l.id !== 'regHead'), outputs } };
}

// Each optimizer path of the eager step: plain SGD folds the rate into the task gradients (and
// divides it back out of the Gramian), momentum carries it in its velocity, Adam with clipping
// takes unscaled gradients. L2 on the trunk's `trunk` layer joins the combined direction once.
const OPTIMIZERS = [
  ['plain SGD', { optimizer: { type: 'sgd' as const, learningRate: 0.05 } }],
  ['SGD with momentum', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9 } }],
  ['Adam with clipping', { optimizer: { type: 'adam' as const, learningRate: 0.01 }, clipNorm: 0.5 }],
] as const;

/** The same validation losses, reported task weights, running train losses and weights after training (and enough of them moved). */
function assertTrainsAlike(graph: Trained, eager: Trained, tasks: number): void {
  // Relative above 1: a loss can pass 1.
  graph.validationLoss.forEach((v, e) => assert.ok(Math.abs(v - eager.validationLoss[e]!) < 1e-4 * Math.max(1, Math.abs(eager.validationLoss[e]!)), `epoch ${e + 1} validation loss: graph ${v} vs eager ${eager.validationLoss[e]}`));
  // The effective weights the panel plots: each task's coefficient, averaged between reports.
  assert.deepEqual(graph.reportedWeights.map((w) => w.split('=')[0]), eager.reportedWeights.map((w) => w.split('=')[0]));
  assert.ok(graph.reportedWeights.length >= 2 * tasks);
  graph.reportedWeights.forEach((w, r) => {
    const [a, b] = [w, eager.reportedWeights[r]!].map((x) => Number(x.split('=')[1]));
    assert.ok(Math.abs(a! - b!) < 1e-4 * Math.max(1, Math.abs(b!)), `report ${r}: graph ${w} vs eager ${eager.reportedWeights[r]}`);
  });
  graph.trainLoss.forEach((p, r) => assert.ok(Math.abs(p.value - eager.trainLoss[r]!.value) < 1e-5 * Math.max(1, Math.abs(p.value)), `train loss ${r} of ${p.task}`));
  assert.equal(graph.weights.length, eager.weights.length);
  let moved = 0;
  graph.weights.forEach((w, i) => {
    const e = eager.weights[i]!;
    for (let j = 0; j < w.length; j++) {
      // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
      assert.ok(Math.abs(w[j]! - e[j]!) < 1e-5 * Math.max(1, Math.abs(e[j]!)), `weight ${i}[${j}]: graph ${w[j]} vs eager ${e[j]}`);
      if (Math.abs(w[j]! - graph.initial[i]![j]!) > 1e-4) moved++;
    }
  });
  assert.ok(moved > 100, `${moved} weights moved`);
}

const methods = WEIGHTING_METHODS.filter((m) => m.description.family === 'gradient' && m.description.engine === 'rule');

methods.forEach((m, k) => {
  for (const mode of ['parameters', 'representation'] as const) {
    for (const tasks of [2, 3]) {
      const [optimizerLabel, optimizer] = OPTIMIZERS[(k + tasks + (mode === 'parameters' ? 0 : 1)) % OPTIMIZERS.length]!;
      test(`fused graph and eager steps agree: ${m.description.id} on the shared ${mode}, ${tasks} tasks, ${optimizerLabel} under SGDR`, { timeout: 60_000 }, async () => {
        const three = graphSpec({ ...optimizer, schedule: SGDR, weighting: { method: m.description.id, mode } as ExperimentSpec['training']['weighting'] });
        const s = tasks === 2 ? twoTasks(three) : three;
        const { tf } = await loadBackend('tensorflow');
        assert.equal(graphStepUnsupported(s, makeHeads(tf, s), false, m.description), undefined);
        const graph = await trainWith(s, 'tensorflow');
        const eager = await trainWith(s, 'tensorflow', { fusedGraph: false });
        assert.equal(graph.path, `${GRAPH_STEP_PATH}, task gradients on the shared ${mode}`);
        assert.equal(eager.path, `native, task gradients on the shared ${mode}`);
        assertTrainsAlike(graph, eager, tasks);
      });
    }
  }
});

// The first call draws the masks and moves the draws on, the second must not draw again. The
// eager step draws from the model's forward, given the graph's masks (graphTraining.ts).
// Dropout with task gradients on the representation stays off both steps (nativeStepUnsupported).
for (const method of ['pcgrad', 'gradnorm'] as const) {
  test(`fused graph and eager steps agree with dropout: ${method} on the shared parameters, SGD with momentum under SGDR`, { timeout: 60_000 }, async () => {
    const s = withDropout(graphSpec({ optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, schedule: SGDR, weighting: { method, mode: 'parameters' } as ExperimentSpec['training']['weighting'] }));
    const { tf } = await loadBackend('tensorflow');
    const graph = await trainWith(s, 'tensorflow');
    const eager = await trainWith(s, 'tensorflow', { fusedGraph: false, forward: graphMasks(tf, s) });
    assert.equal(graph.path, `${GRAPH_STEP_PATH}, task gradients on the shared parameters`);
    assert.equal(eager.path, 'native, task gradients on the shared parameters');
    graph.weights.forEach((w, i) => {
      // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
      for (let j = 0; j < w.length; j++) assert.ok(Math.abs(w[j]! - eager.weights[i]![j]!) < 1e-5 * Math.max(1, Math.abs(eager.weights[i]![j]!)), `weight ${i}[${j}]: graph ${w[j]} vs eager ${eager.weights[i]![j]}`);
    });
    assert.ok(graph.weights.some((w, i) => w.some((x, j) => Math.abs(x - graph.initial[i]![j]!) > 1e-3)), 'weights moved');
  });
}

test('task gradients stay off the fused graph when the tasks share no weights (no Gramian to take)', async () => {
  const { tf } = await loadBackend('tensorflow');
  const shared = graphSpec({ weighting: { method: 'upgrad' } });
  // Each task on its own tower from the inputs: nothing serves two tasks.
  const s: ExperimentSpec = { ...shared, model: { ...shared.model, layers: [
    { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['x'] },
    { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['x'] },
    { id: 'regHead', type: 'dense', units: 1, from: ['z'] },
  ] } };
  const m = WEIGHTING_METHODS.find((w) => w.description.id === 'upgrad')!;
  assert.equal(graphStepUnsupported(s, makeHeads(tf, s), false, m.description), 'task gradients without a shared layer');
  assert.equal(graphStepUnsupported(shared, makeHeads(tf, shared), false, m.description), undefined);
});

// Convolutions (L2 on c2: its decay joins the combined direction once) and stacked LSTMs in the
// trunk: on the representation the second call runs their forward again.
for (const [label, network, data] of [
  ['convolutions and max pooling', (w: WeightingSpec) => convSpec({ weighting: w }), (n: number) => convData(n)],
  ['stacked LSTMs', (w: WeightingSpec) => recurrentSpec({ weighting: w }, STACKED), (n: number) => recurrentData(n)],
] as const) {
  for (const [method, mode] of [['upgrad', 'parameters'], ['upgrad', 'representation'], ['gradnorm', 'representation']] as const) {
    test(`fused graph and eager steps agree on ${label}: ${method} on the shared ${mode}`, { timeout: 120_000 }, async () => {
      const s = network({ method, mode } as WeightingSpec);
      const { tf } = await loadBackend('tensorflow');
      assert.equal(graphStepUnsupported(s, makeHeads(tf, s), false, WEIGHTING_METHODS.find((m) => m.description.id === method)!.description), undefined);
      const graph = await trainWith(s, 'tensorflow', { data });
      const eager = await trainWith(s, 'tensorflow', { data, fusedGraph: false });
      assert.equal(graph.path, `${GRAPH_STEP_PATH}, task gradients on the shared ${mode}`);
      assert.equal(eager.path, `native, task gradients on the shared ${mode}`);
      graph.weights.forEach((w, i) => {
        // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
        for (let j = 0; j < w.length; j++) assert.ok(Math.abs(w[j]! - eager.weights[i]![j]!) < 1e-5 * Math.max(1, Math.abs(eager.weights[i]![j]!)), `weight ${i}[${j}]: graph ${w[j]} vs eager ${eager.weights[i]![j]}`);
      });
      eager.weights.forEach((w, i) => assert.ok(w.some((x, j) => Math.abs(x - eager.initial[i]![j]!) > 1e-4), `weight ${i} did not move`));
    });
  }
}

// At batch 4 a dense trunk layer's Gramian and combined gradient cost less from its input and the
// tasks' gradients at its pre-activation (denseGramian.ts denseDirectionCosts): `a` (12 -> 16),
// `trunk` and `side` (24 -> 16) take that form, `b` (3 -> 8) its weights' gradients, and the
// regression task does not reach `side` (a zero row). One call (MGDA, CAGrad with three tasks;
// GradNorm reading the losses), two calls (UPGrad with three tasks, Nash-MTL reusing alpha: the
// second reads the kept pre-activation gradients and layer inputs), and the conflict measurement
// the step serves. (GradDrop's masks read each task's weight gradients: it keeps that form.)
for (const [method, tasks, extra] of [['mgda', 3, {}], ['cagrad', 3, {}], ['gradnorm', 2, {}], ['upgrad', 3, {}], ['nash-mtl', 2, { updateEvery: 2 }]] as const) {
  test(`fused graph and eager steps agree with Gramians from activations (batch 4): ${method}, ${tasks} tasks, on the shared parameters`, { timeout: 120_000 }, async () => {
    const three = { ...graphSpec({ optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, schedule: SGDR, batchSize: 4, weighting: { method, mode: 'parameters', ...extra } as WeightingSpec }), evaluation: { conflict: { every: 5 } } };
    const s = tasks === 2 ? twoTasks(three) : three;
    const graph = await trainWith(s, 'tensorflow', { rows: 40 });
    const eager = await trainWith(s, 'tensorflow', { fusedGraph: false, rows: 40 });
    assert.equal(graph.path, `${GRAPH_STEP_PATH}, task gradients on the shared parameters`);
    assert.equal(eager.path, 'native, task gradients on the shared parameters');
    assertTrainsAlike(graph, eager, tasks);
    assert.ok(graph.conflict.length >= 4 * tasks, `${graph.conflict.length} conflict values`);
    assert.equal(graph.conflict.length, eager.conflict.length);
    graph.conflict.forEach((v, k) => assert.ok(Math.abs(v - eager.conflict[k]!) < 1e-4 * Math.max(1, Math.abs(v)), `conflict value ${k}: graph ${v} vs eager ${eager.conflict[k]}`));
  });
}

// The gradient-conflict measurement is a Gramian of the tasks' gradients on each shared layer:
// on the shared parameters without dropout the graph's first call has them, and the loop takes
// them from it instead of a tape pass per task (insight/conflict.ts); on the shared representation
// a session run of its own measures (graph/conflictGramians.ts); with dropout the tape does.
for (const [label, mode, dropout, serves, inSession] of [
  ['UPGrad on the shared parameters: served by the step', 'parameters', false, true, false],
  ['UPGrad on the shared representation: measured in the session', 'representation', false, false, true],
  ['UPGrad on the shared parameters with dropout: measured on the tape', 'parameters', true, false, false],
] as const) {
  test(`gradient conflict on the fused graph equals the eager step's: ${label}`, { timeout: 60_000 }, async () => {
    const base = { ...graphSpec({ optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, schedule: SGDR, weighting: { method: 'upgrad', mode } as WeightingSpec }), evaluation: { conflict: { every: 3 } } };
    const s = dropout ? withDropout(base) : base;
    const { tf } = await loadBackend('tensorflow');
    const topo = analyzeGraph(s).order;
    const built = buildModel(tf, s, topo, 3);
    const step = compileGraphStep(tf, s, built, makeHeads(tf, s), topo, [], new Set(), makeWeighting(tf, s.training.weighting, s.tasks, 1), sharedBlocks({ spec: s, built }).map((b) => b.id));
    assert.equal(step.servesConflict, serves);
    assert.equal(!!step.measureConflict, inSession);
    step.dispose();
    built.model.dispose();
    const graph = await trainWith(s, 'tensorflow');
    const eager = await trainWith(s, 'tensorflow', { fusedGraph: false, ...(dropout ? { forward: graphMasks(tf, s) } : {}) });
    assert.equal(graph.path, `${GRAPH_STEP_PATH}, task gradients on the shared ${mode}`);
    // Every 3rd of 14 steps, 3 task pairs, each block and the whole trunk, cosine and ratio.
    assert.ok(graph.conflict.length >= 5 * 3 * 2, `${graph.conflict.length} conflict values`);
    assert.equal(graph.conflict.length, eager.conflict.length);
    graph.conflict.forEach((v, k) => assert.ok(Math.abs(v - eager.conflict[k]!) < 1e-4 * Math.max(1, Math.abs(v)), `conflict value ${k}: graph ${v} vs eager ${eager.conflict[k]}`));
    graph.weights.forEach((w, i) => {
      // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
      for (let j = 0; j < w.length; j++) assert.ok(Math.abs(w[j]! - eager.weights[i]![j]!) < 1e-5 * Math.max(1, Math.abs(eager.weights[i]![j]!)), `weight ${i}[${j}]: graph ${w[j]} vs eager ${eager.weights[i]![j]}`);
    });
  });
}

// A method whose coefficients the graph computes (graphRules.ts; GradNorm with its state in the
// session) steps in one session call; one the graph has no rule for (Nash-MTL reusing alpha
// across steps) in two. Counted at TensorFlow's binding, which every session call (prepared or
// not) goes through. One test per mode and number of tasks, each against its own two-call run:
// each trains 7 to 10 models, whose cost is their sessions' first runs, not their steps.
const GRAPH_RULES = {
  2: ['mgda', 'imtlg', 'aligned-mtl', 'gradnorm', 'upgrad', 'cagrad', 'nash-mtl', 'pcgrad', 'gradvac'],
  // Three tasks: MGDA's, CAGrad's and UPGrad's supports enumerated in the graph (mgdaRule.ts,
  // cagradRule.ts, upgradRule.ts), Nash-MTL's Newton loop (nashRule.ts), PCGrad and GradVac fed their task orders.
  3: ['mgda', 'cagrad', 'upgrad', 'nash-mtl', 'pcgrad', 'gradvac'],
} as const;

for (const mode of ['parameters', 'representation'] as const) {
  for (const tasks of [2, 3] as const) {
    test(`a method with a graph rule steps in one session call, the others in two: ${tasks} tasks on the shared ${mode}`, { timeout: 300_000 }, async () => {
      const { tf } = await loadBackend('tensorflow');
      // The binding's own properties are read-only: the backend gets a view of it that counts.
      const backend = tf.backend() as unknown as { binding: { runSavedModel(...args: unknown[]): unknown } };
      const original = backend.binding;
      let calls = 0;
      const counting = Object.create(original) as typeof original;
      Object.defineProperty(counting, 'runSavedModel', { value: (...args: unknown[]) => { calls++; return original.runSavedModel(...args); } });
      backend.binding = counting;
      const withTasks = (s: ExperimentSpec) => (tasks === 2 ? twoTasks(s) : s);
      // 32 rows in batches of 16 for two epochs: 4 steps.
      const count = async (weighting: Record<string, unknown>) => {
        calls = 0;
        await trainWith(withTasks(graphSpec({ weighting: { mode, ...weighting } as ExperimentSpec['training']['weighting'] })), 'tensorflow', { rows: 32 });
        return calls;
      };
      try {
        // Nash-MTL reusing alpha (updateEvery 2) keeps its solver in JavaScript: two calls a step.
        const twoCalls = await count({ method: 'nash-mtl', updateEvery: 2 });
        for (const method of GRAPH_RULES[tasks]) assert.equal(twoCalls - await count({ method }), 4, `${method} with ${tasks} tasks on the shared ${mode}`);
      } finally {
        backend.binding = original;
      }
    });
  }
}

// GradNorm keeps its task weights and first losses in the session (graph/gradNormRule.ts); a
// phase (here: the same run again, on the session the first let go of: sessionCache.ts) starts
// them afresh, as the eager step's new rule does: both runs give the same weights and reports.
test('GradNorm in the fused graph starts afresh with each phase on a reused session', { timeout: 60_000 }, async () => {
  for (const mode of ['parameters', 'representation'] as const) {
    const s = graphSpec({ optimizer: { type: 'sgd', learningRate: 0.05 }, weighting: { method: 'gradnorm', mode, learningRate: 0.2 } as WeightingSpec });
    const first = await trainWith(s, 'tensorflow');
    const again = await trainWith(s, 'tensorflow');
    assert.equal(first.path, `${GRAPH_STEP_PATH}, task gradients on the shared ${mode}`);
    // The weights moved away from 1 within the first run (else a missed reset could not show).
    assert.ok(first.reportedWeights.some((w) => Math.abs(Number(w.split('=')[1]) - 1) > 0.01), `reported ${first.reportedWeights.join(' ')}`);
    assert.deepEqual(again.reportedWeights, first.reportedWeights, mode);
    again.weights.forEach((w, i) => assert.deepEqual(w, first.weights[i], `${mode}: weight ${i}`));
  }
});

// GradVac's targets live in the session (graph/gradVacRule.ts): a second run on the session the
// first let go of (sessionCache.ts) starts them at 0 again, as its new weighting does.
test('GradVac on the fused graph: a run on a reused session trains as the first did (its targets set back to 0)', { timeout: 60_000 }, async () => {
  const s = graphSpec({ optimizer: { type: 'sgd', learningRate: 0.05 }, weighting: { method: 'gradvac', mode: 'representation', beta: 0.5 } as WeightingSpec });
  const first = await trainWith(s, 'tensorflow');
  const second = await trainWith(s, 'tensorflow');
  assert.equal(second.path, `${GRAPH_STEP_PATH}, task gradients on the shared representation`);
  assert.deepEqual(second.reportedWeights, first.reportedWeights);
  second.weights.forEach((w, i) => assert.deepEqual(w, first.weights[i]));
});
