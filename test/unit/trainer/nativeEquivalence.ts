// The compiled steps' equivalence check (nativeConvStep.test.ts, nativeRecurrentStep.test.ts,
// graphConvStep.test.ts, graphRecurrentStep.test.ts): same starting weights and batches give
// the same weights, through the eager compiled step or the fused graph step, and through the tape.
import assert from 'node:assert/strict';
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward } from '../../../src/trainer/model/forward';
import { nativeStepUnsupported } from '../../../src/trainer/native/denseStep';
import { GRAPH_STEP_PATH } from '../../../src/trainer/graph/graphStep';

/** Which compiled step to check: the eager one (native/denseStep.ts) or the fused graph (graph/). */
export type CompiledPath = 'native' | 'fused graph';

async function trainWith(s: ExperimentSpec, backendName: 'tensorflow' | 'cpu', data: (n: number) => Dataset, fusedGraph: boolean): Promise<{ weights: Float32Array[]; initial: Float32Array[]; path: string }> {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const train = toDevice(tf, s, heads, data(100));
  const validation = toDevice(tf, s, heads, data(20));
  const initial = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  // backendName 'cpu' here only forces the tape's step; both run on native TensorFlow.
  const result = await trainLoop({ tf, backend: backendName, spec: s, built, forward, heads, topo, train, validation, epochs: 2,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false }, fusedGraph });
  // Every weight of the model: the moving mean and variance of batch norm too.
  const weights = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  built.model.dispose();
  tf.dispose([...train.x.values(), ...validation.x.values()]);
  return { weights, initial, path: result.stepPath };
}

/**
 * Trains `s` for two epochs from the same starting weights on the same batches of `data`
 * (100 rows; it should give the same rows each call) through the compiled step `path` and
 * through the tape, and checks every weight tensor moved and ends the same on both (within 1e-5, relative above 1);
 * `still`: weight tensors (by index) that get no gradient and must stay where they started.
 */
export async function assertSameTraining(s: ExperimentSpec, data: (n: number) => Dataset, path: CompiledPath = 'native', still: number[] = []): Promise<void> {
  assert.equal(nativeStepUnsupported(s, makeHeads((await loadBackend('tensorflow')).tf, s)), undefined);
  const native = await trainWith(s, 'tensorflow', data, path === 'fused graph');
  const tape = await trainWith(s, 'cpu', data, false);
  if (path === 'native') assert.match(native.path, /^native/);
  else assert.equal(native.path, GRAPH_STEP_PATH);
  assert.match(tape.path, /^(generic|tape)/);
  assert.equal(native.weights.length, tape.weights.length);
  // Every weight tensor (kernels, biases, gamma, beta, moving statistics) has moved: each layer's gradient ran.
  tape.weights.forEach((w, i) => assert.equal(w.some((x, k) => Math.abs(x - tape.initial[i]![k]!) > 1e-4), !still.includes(i), `weight ${i} ${still.includes(i) ? 'moved (it gets no gradient)' : 'did not move'}`));
  native.weights.forEach((w, i) => {
    const g = tape.weights[i]!;
    // Relative above 1: a weight (or a batch-norm variance) can pass 1, and two paths round float32 apart by its size.
    for (let k = 0; k < w.length; k++) assert.ok(Math.abs(w[k]! - g[k]!) < 1e-5 * Math.max(1, Math.abs(g[k]!)), `weight ${i}[${k}]: native ${w[k]} vs tape ${g[k]}`);
  });
}

