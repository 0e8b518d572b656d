// Tiny two-task regression networks with weights set by hand, for the insight tests' hand-worked
// figures (robustness, saliency, conflict, task affinity).
import { analyzeGraph } from '../../../../src/core/graph';
import type { ExperimentSpec, LayerSpec, TrainingSpec } from '../../../../src/core/spec';
import { loadBackend } from '../../../../src/trainer/backend';
import { makeHeads } from '../../../../src/trainer/heads';
import { buildModel } from '../../../../src/trainer/model/build';
import { makeForward } from '../../../../src/trainer/model/forward';

/** Tasks a and b (regression, mean squared error, MAE) read by layers `ha` and `hb`, from one input x of `inputWidth`. */
export function twoRegressionTasks(name: string, layers: LayerSpec[], training: Partial<TrainingSpec> = {}, inputWidth = 2): ExperimentSpec {
  return {
    name,
    data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [
      { id: 'a', kind: 'regression', target: 'ya', loss: 'meanSquaredError', metrics: ['mae'] },
      { id: 'b', kind: 'regression', target: 'yb', loss: 'meanSquaredError', metrics: ['mae'] },
    ],
    model: { inputs: [{ id: 'x', shape: [inputWidth] }], layers, outputs: { a: 'ha', b: 'hb' } },
    training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 1, seed: 1, ...training },
  };
}

/** The model of `spec` with each listed dense layer's kernel set (biases 0), its heads and forward pass. */
export async function withWeights(spec: ExperimentSpec, kernels: Record<string, number[][]>) {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(spec).order;
  const built = buildModel(tf, spec, topo, 1);
  for (const [id, w] of Object.entries(kernels)) {
    const layer = built.layers.get(id)!;
    layer.setWeights(layer.getWeights().length === 2 ? [tf.tensor2d(w), tf.zeros([w[0]!.length])] : [tf.tensor2d(w)]);
  }
  const heads = makeHeads(tf, spec);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: new Set(), seed: 1 });
  return { tf, topo, built, heads, forward };
}
