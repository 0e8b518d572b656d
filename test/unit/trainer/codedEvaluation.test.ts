// Evaluating a split held as byte codes (native/byteInputs.ts) decodes its rows a part at a time
// (evaluate.ts, DECODE_ROWS): a block's decoded values and their int32 indices were the largest
// allocations of digits-parity's training, and the C allocator kept them. The parts' outputs
// must give the float32 split's metrics to float32 rounding, with digits' shapes (784 pixels, a 128-unit
// layer), on the eager forward and on the fused graph's evaluation in its session.
import assert from 'node:assert/strict';
import test from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { disposeSplit, toDevice } from '../../../src/trainer/deviceData';
import { DECODE_ROWS, evaluate, type EvalForward, type EvalScores } from '../../../src/trainer/evaluate';
import { compileGraphStep } from '../../../src/trainer/graph/graphStep';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { digitsParity } from '../../fixtures/digitsParity';

const PIXELS = 784;

/** Digits as digits-parity has them: bytes scaled by 1/255 (a third of them background), a class of 10 and its parity. */
function digits(n: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const features = Float32Array.from({ length: n * PIXELS }, () => (rng.int(3) === 0 ? 0 : rng.int(256) * 0.00392156862745098));
  const label = Float32Array.from({ length: n }, () => rng.int(10));
  return { n, featureNames: Array.from({ length: PIXELS }, (_, i) => `p${i}`), features, featureShape: [PIXELS], targets: { label, parity: label.map((v) => v % 2) }, report: [] };
}

/** digits-parity's network and tasks (test/fixtures/digitsParity.ts), one epoch at a larger rate. */
const spec = (): ExperimentSpec => {
  const d = digitsParity();
  return { ...d, name: 'coded-evaluation', training: { ...d.training, optimizer: { type: 'sgd', learningRate: 0.05 }, epochs: 1 } };
};

/**
 * Equal to float32 rounding (relative 1e-6): bit for bit on this machine, but a forward over 256 rows
 * and one over all of them may take different oneDNN kernels on another CPU.
 */
function assertNear(actual: unknown, expected: unknown, path = ''): void {
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', path);
    const a = actual as number;
    assert.ok(a === expected || Math.abs(a - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${path}: ${a} vs ${expected}`);
    return;
  }
  assert.deepEqual(Object.keys(actual as object).sort(), Object.keys(expected as object).sort(), path);
  for (const [k, v] of Object.entries(expected as object)) assertNear((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
}

/** Rows more than two parts and a remainder. */
const ROWS = 2 * DECODE_ROWS + 77;

test('a byte-coded split is evaluated a part of DECODE_ROWS rows at a time, to the float32 split\'s values (eager forward)', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec();
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const ds = digits(ROWS, 11);
  const plain = toDevice(tf, s, heads, ds);
  const coded = toDevice(tf, s, heads, ds, { coded: true });
  assert.ok(coded.coded?.has('image'), 'the split is held as byte codes');
  let most = 0;
  const counting: EvalForward = (inputs, training) => { most = Math.max(most, inputs.get('image')!.shape[0]!); return forward(inputs, training); };
  const tensors = tf.memory().numTensors;
  const fromCodes = evaluate(tf, counting, heads, coded);
  assert.equal(tf.memory().numTensors, tensors, 'the parts\' outputs are disposed');
  assert.ok(most <= DECODE_ROWS, `the forward took ${most} decoded rows at once`);
  assertNear(fromCodes, evaluate(tf, forward, heads, plain));
  built.model.dispose();
  disposeSplit(plain);
  disposeSplit(coded);
});

test('the fused graph\'s evaluation of byte-coded validation and training rows equals the float32 splits\' evaluation', async () => {
  const { tf } = await loadBackend('tensorflow');
  const run = async (coded: boolean) => {
    const s = spec();
    const topo = analyzeGraph(s).order;
    const heads = makeHeads(tf, s);
    const built = buildModel(tf, s, topo, 3);
    const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
    const train = toDevice(tf, s, heads, digits(ROWS, 5), { coded });
    const validation = toDevice(tf, s, heads, digits(ROWS, 6), { coded });
    const values: number[] = [];
    const result = await trainLoop({ tf, backend: 'tensorflow', spec: s, built, forward, heads, topo, train, validation, epochs: 1, phase: { kind: 'shared' },
      events: { progress: () => undefined, epochEnd: (_e, points) => values.push(...points.map((p) => p.value)), cancelled: () => false } });
    const held = train.coded !== undefined && validation.coded !== undefined;
    built.model.dispose();
    disposeSplit(train);
    disposeSplit(validation);
    return { path: result.stepPath, values, held };
  };
  const plain = await run(false);
  const coded = await run(true);
  assert.ok(coded.held && !plain.held);
  assert.ok(coded.path.startsWith('fused graph'), coded.path);
  assert.ok(coded.values.length > 4);
  assertNear(coded.values, plain.values);
});

test('the fused graph\'s session scores a byte-coded split DECODE_ROWS rows at a time too, to the float32 split\'s values', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec();
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const ds = digits(ROWS, 12);
  const plain = toDevice(tf, s, heads, ds);
  const coded = toDevice(tf, s, heads, ds, { coded: true });
  const step = compileGraphStep(tf, s, built, heads, topo);
  step.bind(plain.x, plain.targets);
  step.sync();
  const scores = step.evaluationScores!;
  assert.ok(scores, 'the graph scores evaluation');
  let most = 0;
  const counting: EvalScores = (inputs, truths) => { most = Math.max(most, inputs.get('image')!.shape[0]!); return scores(inputs, truths); };
  const forward = step.evaluationForward!;
  const fromCodes = evaluate(tf, forward, heads, coded, Infinity, counting);
  assert.ok(most <= DECODE_ROWS, `the session scored ${most} decoded rows at once`);
  assertNear(fromCodes, evaluate(tf, forward, heads, plain, Infinity, scores));
  step.dispose?.();
  built.model.dispose();
  disposeSplit(plain);
  disposeSplit(coded);
});
