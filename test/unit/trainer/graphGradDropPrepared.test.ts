// GradDrop's fused step runs as one prepared call a step (graph/graphGradientStep.ts: preparedRun.ts,
// its seed pair fed as an Int32Array), one prepared run per fetch set: a step that reads nothing
// back fetches only the update, a step whose shares are reported its kept parts and Gramian too.
// The loop's epochs in trainWith (7 steps) report every step, so they never reach the first: here
// an epoch of 48 steps, driven on compileGraphStep as the loop drives it, with the shares reported
// every 10th step (as a 200-step epoch of a run: 20 reports), trains to the weights of the same
// 48 steps all reported. A wrong seed, a lost feed or an update that did not run in either fetch
// set moves the weights by far more than 1e-5.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { weightingMethod } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import { toDevice } from '../../../src/trainer/deviceData';
import { compileGraphStep } from '../../../src/trainer/graph/graphStep';
import { gradDropJitNote } from '../../../src/trainer/graph/gradDropJit';
import { makeHeads } from '../../../src/trainer/heads';
import { buildModel } from '../../../src/trainer/model/build';
import { makeWeighting } from '../../../src/trainer/weighting/index';
import { graphSpec } from './graphTraining';
import { equivalenceData } from './stepFixtures';

const STEPS = 48;
const BATCH = 16;
/** A reported step every this many (the loop's reportEvery for a 200-step epoch). */
const REPORT_EVERY = 10;

/** The binding's runSavedModel calls, and those through the backend's (the session's own call): the difference is the prepared calls. */
function countCalls(tf: Awaited<ReturnType<typeof loadBackend>>['tf']) {
  const backend = tf.backend() as unknown as { binding: { runSavedModel(...a: unknown[]): unknown }; runSavedModel(...a: unknown[]): unknown };
  const binding = backend.binding;
  const viaBackend = backend.runSavedModel;
  const counts = { binding: 0, backend: 0 };
  // The binding's own properties are read-only: the backend gets a view of it that counts.
  const counting = Object.create(binding) as typeof binding;
  Object.defineProperty(counting, 'runSavedModel', { value: (...a: unknown[]) => { counts.binding++; return binding.runSavedModel(...a); } });
  backend.binding = counting;
  backend.runSavedModel = function (this: unknown, ...a: unknown[]) { counts.backend++; return viaBackend.apply(this, a); };
  return { counts, restore: () => { backend.binding = binding; backend.runSavedModel = viaBackend; } };
}

/** 48 steps of GradDrop on the fused graph from the same start; `reported(step)`: whether that step's shares are read back. */
async function steps(s: ExperimentSpec, plannedSteps: number, reported: (step: number) => boolean) {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const initial = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  const weighting = makeWeighting(tf, s.training.weighting, heads.map((h) => h.task), s.training.seed ?? 0, weightingMethod('graddrop')!);
  const train = toDevice(tf, s, heads, equivalenceData(STEPS * BATCH, { seed: 9 }));
  const fused = compileGraphStep(tf, s, built, heads, topo, weighting.variables, new Set(), weighting, undefined, plannedSteps);
  fused.bind(train.x, train.targets);
  const rng = new SeededRandom(11);
  const order = Int32Array.from({ length: STEPS * BATCH }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
  const calls = countCalls(tf);
  const shares: number[] = [];
  try {
    for (let step = 0; step < STEPS; step++) {
      weighting.begin(step, 1, heads.map(() => true), reported(step));
      // A rate that changes every step, as a schedule's: the prepared call feeds it too.
      fused.step(order.subarray(step * BATCH, (step + 1) * BATCH), 0.05 * (1 - step / (2 * STEPS)), heads.map(() => 1));
      weighting.afterStep([]);
      if (reported(step)) shares.push(...weighting.coefficients());
    }
  } finally {
    calls.restore();
  }
  fused.sync();
  const weights = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  const note = fused.note;
  fused.dispose();
  weighting.dispose();
  built.model.dispose();
  tf.dispose([...train.x.values()]);
  return { weights, initial, shares, prepared: calls.counts.binding - calls.counts.backend, sessionCalls: calls.counts.backend, note };
}

for (const [mode, plannedSteps] of [['parameters', 100_000], ['parameters', STEPS], ['representation', STEPS]] as const) {
  const how = mode === 'parameters' ? `, ${plannedSteps > STEPS ? 'XLA\'s compiled mask' : 'the mask on TensorFlow\'s kernels'}` : '';
  test(`GradDrop's prepared step not reported trains as the reported one does: 48 steps on the shared ${mode}${how}, reported every 10th against every one`, { timeout: 120_000 }, async () => {
    const s = graphSpec({ optimizer: { type: 'sgd', learningRate: 0.05, momentum: 0.9 }, weighting: { method: 'graddrop', mode, leak: 0.1 } as ExperimentSpec['training']['weighting'] });
    const few = await steps(s, plannedSteps, (step) => (step + 1) % REPORT_EVERY === 0);
    const all = await steps(s, plannedSteps, () => true);
    if (mode === 'parameters') assert.equal(few.note, gradDropJitNote(plannedSteps > STEPS, plannedSteps));
    // The paths under test ran: one prepared call a step, reported or not, none through the session's own call (tfjs tensors).
    const reportedSteps = Math.floor(STEPS / REPORT_EVERY);
    for (const r of [few, all]) assert.deepEqual([r.prepared, r.sessionCalls], [STEPS, 0], `prepared and session calls: ${r.prepared}, ${r.sessionCalls}`);
    // The reported steps' shares are the same steps' shares (the 10th, 20th, ... of both runs).
    assert.equal(few.shares.length, reportedSteps * 3);
    few.shares.forEach((v, i) => assert.ok(Math.abs(v - all.shares[(Math.floor(i / 3) * REPORT_EVERY + REPORT_EVERY - 1) * 3 + (i % 3)]!) < 1e-5, `share ${i}: ${v}`));
    assert.ok(few.weights.some((w, i) => w.some((x, j) => Math.abs(x - few.initial[i]![j]!) > 1e-3)), 'weights moved');
    few.weights.forEach((w, i) => w.forEach((x, j) => assert.ok(Math.abs(x - all.weights[i]![j]!) < 1e-5, `weight ${i}[${j}]: ${x} reported every 10th, ${all.weights[i]![j]} every step`)));
  });
}
