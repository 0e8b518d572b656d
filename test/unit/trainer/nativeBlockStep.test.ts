// The compiled step's sharing blocks (src/trainer/native/parallelDense.ts, crossStitch.ts,
// mmoe.ts, ple.ts, select.ts, and soft sharing's penalty in denseStep.ts) train exactly like the tape's
// block layers (model/blockLayers.ts): same starting weights and batches give the same weights
// after two epochs, each case under a learning rate that changes every step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { makeHeads } from '../../../src/trainer/heads';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { sharingBlocks } from '../core/fixtures';
import { assertSameTraining } from './nativeEquivalence';

const FEATURES = 6;
const SGDR = { type: 'sgdr' as const, t0: 1, warmupEpochs: 0.5 };

/** Three columns, one per task: each task's head reads its own column of the last block. */
const HEADS: LayerSpec[] = [
  { id: 'col0', type: 'select', index: 0, from: ['block'] },
  { id: 'col1', type: 'select', index: 1, from: ['block'] },
  { id: 'col2', type: 'select', index: 2, from: ['block'] },
  { id: 'tower0', type: 'dense', units: 5, activation: 'relu', from: ['col0'] },
  { id: 'clsHead', type: 'dense', units: 4, activation: 'softmax', from: ['tower0'] },
  { id: 'binHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['col1'] },
  { id: 'regHead', type: 'dense', units: 1, from: ['col2'] },
];

/** Cross-stitch network: parallel columns (relu, tied) -> stitch -> parallel columns (tanh) -> stitch ('block'). */
const CROSS_STITCH: LayerSpec[] = [
  { id: 'cols1', type: 'parallelDense', columns: 3, units: 5, activation: 'relu', tieL2: 0.05, from: ['x'] },
  { id: 'stitch1', type: 'crossStitch', from: ['cols1'] },
  { id: 'cols2', type: 'parallelDense', columns: 3, units: 4, activation: 'tanh', from: ['stitch1'] },
  { id: 'block', type: 'crossStitch', selfWeight: 0.7, from: ['cols2'] },
];

const MMOE: LayerSpec[] = [
  { id: 'trunk', type: 'dense', units: 7, activation: 'tanh', from: ['x'] },
  { id: 'block', type: 'mmoe', experts: 4, units: 5, tasks: 3, from: ['trunk'] },
];

/** CGC (one level) or PLE: task experts, shared experts, a shared gate below the top level. */
const PLE: LayerSpec[] = [{ id: 'block', type: 'ple', sharedExperts: 2, taskExperts: 2, units: 5, tasks: 3, levels: 2, from: ['x'] }];
/** Three levels of tanh experts after a dense trunk (the gradient reaches the block's input). */
const DEEP_PLE: LayerSpec[] = [
  { id: 'trunk', type: 'dense', units: 7, activation: 'relu', from: ['x'] },
  { id: 'block', type: 'ple', sharedExperts: 1, taskExperts: 2, units: 4, tasks: 3, levels: 3, activation: 'tanh', from: ['trunk'] },
];

function spec(trunk: LayerSpec[], training: Partial<ExperimentSpec['training']>): ExperimentSpec {
  return {
    name: 'block-equivalence',
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'cls', kind: 'multiclass', target: 'c', classes: 4 },
      { id: 'bin', kind: 'binary', target: 'b' },
      { id: 'reg', kind: 'regression', target: 'r', weight: 0.5 },
    ],
    model: { inputs: [{ id: 'x', shape: [FEATURES] }], layers: [...trunk, ...HEADS], outputs: { cls: 'clsHead', bin: 'binHead', reg: 'regHead' } },
    training: { optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 }, schedule: SGDR, epochs: 2, batchSize: 16, seed: 5, weighting: { method: 'static' }, ...training },
  };
}

/** `partial`: the regression target on one row in ten only (some batches have none). */
function data(n: number, partial = false): Dataset {
  const rng = new SeededRandom(9);
  const features = Float32Array.from({ length: n * FEATURES }, () => rng.normal());
  const c = Float32Array.from({ length: n }, () => rng.int(4));
  const r = Float32Array.from({ length: n }, (_, i) => (partial && i % 10 !== 0 ? NaN : features[i * FEATURES]! * 2 + rng.normal(0, 0.1)));
  return { n, featureNames: Array.from({ length: FEATURES }, (_, i) => `v${i}`), features, featureShape: [FEATURES], targets: { c, b: c.map((v) => (v > 1 ? 1 : 0)), r }, report: [] };
}

const edit = (layers: LayerSpec[], id: string, change: Partial<LayerSpec>) => layers.map((l) => (l.id === id ? { ...l, ...change } as LayerSpec : l));
const STEP = { optimizer: { type: 'sgd' as const, learningRate: 0.1 }, schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } };
const ADAM = { optimizer: { type: 'adam' as const, learningRate: 0.01 } };

for (const [label, trunk, training, partial] of [
  ['cross-stitch network with soft sharing, SGD with momentum under SGDR', CROSS_STITCH, {}, false],
  ['cross-stitch network with soft sharing, Adam with clipping under SGDR', CROSS_STITCH, { ...ADAM, clipNorm: 0.5 }, false],
  // The second parallelDense without bias and linear; its columns reshaped to [3, 2, 2] before the stitch (a stitch over rank-2 features).
  ['parallelDense without bias, a cross-stitch over [columns, 2, 2], plain SGD under a step decay, partial labels',
    [...edit(CROSS_STITCH.slice(0, 3), 'cols2', { useBias: false, activation: 'linear' }),
      { id: 'grid', type: 'reshape', targetShape: [3, 2, 2], from: ['cols2'] } as LayerSpec,
      { id: 'stitched', type: 'crossStitch', from: ['grid'] } as LayerSpec,
      { id: 'block', type: 'reshape', targetShape: [3, 4], from: ['stitched'] } as LayerSpec], STEP, true],
  ['cross-stitch network with PCGrad on the parameters', CROSS_STITCH, { weighting: { method: 'pcgrad' as const } }, false],
  ['MMoE (relu experts) after a dense trunk, SGD with momentum under SGDR', MMOE, {}, false],
  ['MMoE (elu experts) read straight from the input, Adam under SGDR, partial labels', [{ ...MMOE[1]!, activation: 'elu', from: ['x'] } as LayerSpec], ADAM, true],
  ['MMoE with RMSProp and clipping under SGDR', MMOE, { optimizer: { type: 'rmsprop' as const, learningRate: 0.005 }, clipNorm: 0.5 }, false],
  ['MMoE with PCGrad on the parameters', MMOE, { weighting: { method: 'pcgrad' as const } }, false],
  ['MMoE with UPGrad on the representation', MMOE, { weighting: { method: 'upgrad' as const, mode: 'representation' as const } }, false],
  ['CGC (one level), SGD with momentum under SGDR', [{ ...PLE[0]!, levels: 1 } as LayerSpec], {}, false],
  ['PLE of two levels, Adam under SGDR, partial labels', PLE, ADAM, true],
  ['PLE of three tanh levels after a dense trunk, RMSProp with clipping under SGDR', DEEP_PLE, { optimizer: { type: 'rmsprop' as const, learningRate: 0.005 }, clipNorm: 0.5 }, false],
  ['PLE of three levels with PCGrad on the parameters', DEEP_PLE, { weighting: { method: 'pcgrad' as const } }, false],
  ['PLE of two levels with UPGrad on the representation', PLE, { weighting: { method: 'upgrad' as const, mode: 'representation' as const } }, false],
] as const) {
  test(`native and tape steps agree: ${label}`, { timeout: 120_000 }, async () => {
    await assertSameTraining(spec(trunk as LayerSpec[], training), (n) => data(n, partial));
  });
}

test('native and tape steps agree: every block in one model (the blocks fixture), Adam under SGDR', { timeout: 120_000 }, async () => {
  const s = sharingBlocks();
  const blocksData = (n: number): Dataset => {
    const rng = new SeededRandom(4);
    const features = Float32Array.from({ length: n * 6 }, () => rng.normal());
    const y1 = Float32Array.from({ length: n }, (_, i) => features[i * 6]! - features[i * 6 + 1]!);
    const y2 = Float32Array.from({ length: n }, (_, i) => features[i * 6 + 2]! * 0.5);
    return { n, featureNames: Array.from({ length: 6 }, (_, i) => `v${i}`), features, featureShape: [6], targets: { y1, y2 }, report: [] };
  };
  await assertSameTraining({ ...s, training: { ...s.training, schedule: SGDR, batchSize: 16 } }, blocksData);
});

test('a block with an activation the compiled step lacks falls back to the tape and says why', async () => {
  const { tf } = await loadBackend('tensorflow');
  const s = spec(edit(MMOE, 'block', { activation: 'selu' }), {});
  assert.match(nativeStepUnsupported(s, makeHeads(tf, s)) ?? '', /activation selu in block/);
});
