// The fused graph step's convolution, pooling, batch-norm, flatten and reshape layers
// (src/trainer/graph/convLayers.ts) train exactly like the tape: same starting weights and
// batches give the same weights (moving statistics included) after two epochs, under a
// learning rate that changes every step (SGDR with warm-up) or by epoch (step decay), with
// SGD, momentum, Nesterov, Adam, RMSProp and clipping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LayerSpec } from '../../../src/core/spec';
import { weightingMethod } from '../../../src/core/weighting/registry';
import { loadBackend } from '../../../src/trainer/backend';
import { analyzeGraph } from '../../../src/core/graph';
import { disposeSplit, toDevice } from '../../../src/trainer/deviceData';
import { evaluate } from '../../../src/trainer/evaluate';
import { compileGraphStep, graphStepUnsupported } from '../../../src/trainer/graph/graphStep';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { convData, convSpec, flatWhenReshaped, swap } from './convFixtures';
import { assertSameTraining } from './nativeEquivalence';

const withBatchNorm = (l: LayerSpec[]) => swap('shared', [{ id: 'shared', type: 'dense', units: 16, activation: 'elu', from: ['flat'] }, { id: 'bn2', type: 'batchNormalization', momentum: 0.8, epsilon: 0.01, from: ['shared'] }])(
  swap('p1', [{ id: 'bn1', type: 'batchNormalization', from: ['c1'] }, { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['bn1'] }])(l))
  .map((x) => (x.type === 'dense' && x.id !== 'shared' ? { ...x, from: ['bn2'] } : x));

for (const [label, training, edit] of [
  ['conv2d ("same" and "valid", strides, relu and tanh, L2) and max pooling, SGD with momentum under SGDR', {}, undefined],
  ['conv2d without bias, sigmoid and elu, plain SGD under a step decay', { optimizer: { type: 'sgd' as const, learningRate: 0.05 }, schedule: { type: 'step' as const, stepEpochs: 1, gamma: 0.3 } },
    (l: LayerSpec[]) => l.map((x) => (x.id === 'c1' ? { ...x, useBias: false, activation: 'sigmoid' as const } : x.id === 'c2' ? { ...x, activation: 'elu' as const } : x))],
  // A 3x3 window with stride 2 and "same" padding: windows overlap and the edge ones are partial.
  ['average pooling ("same", overlapping windows), Nesterov momentum under SGDR', { optimizer: { type: 'sgd' as const, learningRate: 0.05, momentum: 0.9, nesterov: true } },
    swap('p1', { id: 'p1', type: 'averagePooling2d', poolSize: 3, strides: 2, padding: 'same', from: ['c1'] })],
  ['max pooling ("same", overlapping windows), SGD with momentum under SGDR', {},
    swap('p1', { id: 'p1', type: 'maxPooling2d', poolSize: [3, 2], strides: [2, 2], padding: 'same', from: ['c1'] })],
  // Batch norm on a conv output (rank 4, over n, h, w) and on a dense output (rank 2), with its own momentum and epsilon.
  ['batch normalization on a conv and on a dense output, SGD with momentum under SGDR', {}, withBatchNorm],
  // The image given flat and reshaped by the model.
  ['reshape of a flat input, equal weighting', { weighting: { method: 'equal' as const } },
    (l: LayerSpec[]) => [{ id: 'img2d', type: 'reshape' as const, targetShape: [8, 8, 2], from: ['img'] }, ...l.map((x) => (x.id === 'c1' ? { ...x, from: ['img2d'] } : x))]],
  // With the fused step's other optimizers (graph/optimizers.ts): the conv layers' gradients feed them as the dense ones do.
  // Batch norm on the conv output only: Adam divides by a gradient's running size, so the bias of
  // the dense layer before bn2 (elu is the identity where its inputs are positive, and the batch
  // norm removes any shift) has a gradient of float noise that Adam turns into steps of the rate's
  // size; the eager compiled step differs from the tape there as well (1.2e-5 in 2 epochs).
  ['conv2d, max pooling and batch normalization with Adam under SGDR (the multimnist-cnn example\'s optimizer)', { optimizer: { type: 'adam' as const, learningRate: 0.01 } },
    swap('p1', [{ id: 'bn1', type: 'batchNormalization', from: ['c1'] }, { id: 'p1', type: 'maxPooling2d', poolSize: 2, from: ['bn1'] }])],
  ['average pooling with RMSProp and clipping by global norm under SGDR', { optimizer: { type: 'rmsprop' as const, learningRate: 0.005 }, clipNorm: 0.5 },
    swap('p1', { id: 'p1', type: 'averagePooling2d', poolSize: 3, strides: 2, padding: 'same', from: ['c1'] })],
] as const) {
  test(`fused graph and tape steps agree: ${label}`, { timeout: 120_000 }, async () => {
    const s = flatWhenReshaped(convSpec(training, edit));
    const { tf } = await loadBackend('tensorflow');
    assert.equal(graphStepUnsupported(s, makeHeads(tf, s), false, weightingMethod(s.training.weighting!.method)!.description), undefined);
    await assertSameTraining(s, (n) => convData(n), 'fused graph');
  });
}

// Evaluation in the fused graph's session (trainGraph.ts `evalOutputs`): after steps that moved
// the weights and the moving statistics, its outputs are the eager forward's in inference mode
// (batch norm by its moving statistics, dropout off), and so are the metrics evaluate() makes.
test('the fused graph evaluates like the eager forward: conv, pooling, batch norm, dropout', { timeout: 120_000 }, async () => {
  const s = convSpec({ optimizer: { type: 'adam', learningRate: 0.01 } }, (l) => withBatchNorm(l).flatMap((x) => (x.id === 'shared'
    ? [{ ...x, id: 'sharedIn' }, { id: 'shared', type: 'dropout' as const, rate: 0.4, from: ['sharedIn'] }] : x.id === 'bn2' ? [{ ...x, from: ['shared'] }] : [x])));
  const { tf } = await loadBackend('tensorflow');
  const heads = makeHeads(tf, s);
  const topo = analyzeGraph(s).order;
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const split = toDevice(tf, s, heads, convData(48));
  const step = compileGraphStep(tf, s, built, heads, topo);
  step.bind(split.x, split.targets);
  for (let b = 0; b < 6; b++) step.step(Int32Array.from({ length: 16 }, (_, i) => (b * 16 + i) % 48), 0.01, heads.map(() => 1));
  step.sync();
  assert.ok(step.evaluationForward, 'the graph has an evaluation forward');
  const eager = forward(split.x, false);
  const graph = step.evaluationForward(split.x, false);
  for (const h of heads) {
    const [e, g] = [eager.get(h.task.id)!.dataSync(), graph.get(h.task.id)!.dataSync()];
    assert.equal(g.length, e.length);
    // Relative above 1: an elu output can pass 1, and another CPU rounds float32 at its own size.
    const worst = Math.max(...Array.from(e, (v, i) => Math.abs(v - g[i]!) / Math.max(1, Math.abs(v))));
    assert.ok(worst < 1e-5, `task ${h.task.id}: largest |graph - eager| / max(1, |eager|) output ${worst}`);
  }
  tf.dispose([...eager.values(), ...graph.values()]);
  const [byGraph, byEager] = [evaluate(tf, step.evaluationForward, heads, split), evaluate(tf, forward, heads, split)];
  // Relative above 1: a squared error can pass 1.
  for (const h of heads) for (const [metric, v] of Object.entries(byEager[h.task.id]!)) assert.ok(Math.abs(byGraph[h.task.id]![metric]! - v) < 1e-5 * Math.max(1, Math.abs(v)), `${h.task.id} ${metric}: ${byGraph[h.task.id]![metric]} vs ${v}`);
  step.dispose();
  disposeSplit(split);
});
