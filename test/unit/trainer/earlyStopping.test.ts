// Early stopping keeps the weights of the best validation epoch: the test split is measured,
// and the model saved, with those weights, not with the last epoch's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import { SeededRandom } from '../../../src/core/random';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { evaluate } from '../../../src/trainer/evaluate';
import { makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';

const spec: ExperimentSpec = {
  name: 'early',
  data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
  tasks: [{ id: 'y', kind: 'regression', target: 'y' }],
  model: {
    inputs: [{ id: 'x', shape: [4], features: ['f0', 'f1', 'f2', 'f3'] }],
    layers: [
      { id: 'hidden', type: 'dense', units: 8, activation: 'tanh', from: ['x'] },
      { id: 'out', type: 'dense', units: 1, from: ['hidden'] },
    ],
    outputs: { y: 'out' },
  },
  training: { optimizer: { type: 'sgd', learningRate: 0.05 }, epochs: 10, batchSize: 16, seed: 3, earlyStopping: { patience: 2 } },
};

/** y = sign * 2 * x0: training learns +2, so the validation split (sign -1) gets worse each epoch after the first. */
function data(n: number, sign: number, seed: number): Dataset {
  const rng = new SeededRandom(seed);
  const features = Float32Array.from({ length: n * 4 }, () => rng.normal());
  const y = Float32Array.from({ length: n }, (_, i) => sign * 2 * features[i * 4]!);
  return { n, featureNames: ['f0', 'f1', 'f2', 'f3'], features, featureShape: [4], targets: { y }, report: [] };
}

for (const backend of ['tensorflow', 'cpu'] as const) {
  test(`early stopping restores the best validation epoch's weights (${backend === 'tensorflow' ? 'compiled' : 'tape'} step)`, { timeout: 60_000 }, async () => {
    const { tf } = await loadBackend('tensorflow');
    const topo = analyzeGraph(spec).order;
    const heads = makeHeads(tf, spec);
    const built = buildModel(tf, spec, topo, spec.training.seed);
    const forward = makeForward(tf, spec, built, topo, { logitLayers: new Set(), seed: 1 });
    const train = toDevice(tf, spec, heads, data(200, 1, 1));
    const validation = toDevice(tf, spec, heads, data(50, -1, 2));
    const atEpoch = new Map<number, { weights: Float32Array[]; loss: number }>();
    const result = await trainLoop({ tf, backend, spec, built, forward, heads, topo, train, validation, epochs: 10, phase: { kind: 'shared' },
      events: {
        progress: () => undefined,
        epochEnd: (epoch, points) => {
          const loss = points.find((p) => p.split === 'validation' && p.task === '*' && p.metric === 'loss')!.value;
          atEpoch.set(epoch, { weights: built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array), loss });
        },
        cancelled: () => false,
      } });
    const losses = [...atEpoch.values()].map((e) => e.loss);
    const bestEpoch = 1 + losses.indexOf(Math.min(...losses));
    assert.ok(result.stoppedEarly, 'the validation loss rises, so training stops early');
    assert.ok(result.epochsRun > bestEpoch, `stopped at ${result.epochsRun}, best ${bestEpoch}`);
    assert.equal(result.restoredEpoch, bestEpoch);
    const now = built.model.getWeights().map((w: TF.Tensor) => w.dataSync() as Float32Array);
    assert.deepEqual(now, atEpoch.get(bestEpoch)!.weights, "the model holds the best epoch's weights");
    assert.notDeepEqual(now, atEpoch.get(result.epochsRun)!.weights);
    // What is measured after training is the best epoch's validation loss again.
    const after = evaluate(tf, forward, heads, validation).y!.loss!;
    // Relative above 1 (a loss can pass 1): the loss at the epoch and this one are two evaluation paths.
    assert.ok(Math.abs(after - atEpoch.get(bestEpoch)!.loss) < 1e-5 * Math.max(1, Math.abs(after)), `${after} vs ${atEpoch.get(bestEpoch)!.loss}`);
    built.model.dispose();
  });
}
