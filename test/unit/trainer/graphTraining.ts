// Training through the loop for the fused graph step's equivalence tests (graphStep.test.ts,
// graphStepOptimizers.test.ts): the same network, data and starting weights, on the fused graph
// ('tensorflow') or on the tape ('cpu' only keeps the compiled steps off; TensorFlow runs both).
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../src/core/graph';
import type { MetricPoint } from '../../../src/core/protocol';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend, type Tf } from '../../../src/trainer/backend';
import { dropoutSeed } from '../../../src/trainer/graph/dropout';
import type { Dataset } from '../../../src/trainer/data/dataset';
import { toDevice } from '../../../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../../../src/trainer/heads';
import { trainLoop } from '../../../src/trainer/loop';
import { buildModel } from '../../../src/trainer/model/build';
import { makeForward, type ForwardFn } from '../../../src/trainer/model/forward';
import type { NativeBackend } from '../../../src/trainer/native/ops';
import { equivalenceData, equivalenceSpec } from './stepFixtures';

export const graphSpec = (training: Partial<ExperimentSpec['training']>): ExperimentSpec => equivalenceSpec('graph-equivalence', training, { namedFeatures: true });
const data = (n: number, seed: number): Dataset => equivalenceData(n, { seed });

export interface Trained {
  weights: Float32Array[];
  initial: Float32Array[];
  path: string;
  validationLoss: number[];
  restoredEpoch: number | undefined;
  conflict: number[];
  /** Each report's task weights (metric 'weight'), `task=value` in order. */
  reportedWeights: string[];
  /** The running train loss reported a few times an epoch (the fused graph sums it in its session). */
  trainLoss: MetricPoint[];
  /** Every point measured at an epoch's end (validation, train metrics). */
  epochPoints: MetricPoint[];
}

/**
 * Trains 100 rows (or `rows`; 7 steps an epoch with batches of 16, the last one short). `forward`: changes
 * the model's forward before training (a test's own dropout masks); `fusedGraph: false` keeps
 * TensorFlow on the eager compiled step; `data`: rows for another network than graphSpec's;
 * `stepHalves`: the fused step splits each batch in two where it can (loopSetup.ts).
 */
export async function trainWith(s: ExperimentSpec, backend: 'tensorflow' | 'cpu', o: { forward?: (f: ForwardFn) => void; fusedGraph?: false; data?: (n: number, seed: number) => Dataset; plannedSteps?: number; stepHalves?: true; rows?: number } = {}): Promise<Trained> {
  const { tf } = await loadBackend('tensorflow');
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 3);
  const initial = built.model.getWeights().map((w: TF.Tensor) => w.dataSync().slice() as Float32Array);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  o.forward?.(forward);
  const validationLoss: number[] = [];
  /** Gradient conflict between task pairs (measured every evaluation.conflict.every steps on the model as it is then). */
  const conflict: number[] = [];
  const reportedWeights: string[] = [];
  const trainLoss: MetricPoint[] = [];
  const epochPoints: MetricPoint[] = [];
  const result = await trainLoop({ tf, backend, spec: s, built, forward, heads, topo, train: toDevice(tf, s, heads, (o.data ?? data)(o.rows ?? 100, 9)), validation: toDevice(tf, s, heads, (o.data ?? data)(20, 4)),
    epochs: s.training.epochs, phase: { kind: 'shared' }, ...(o.fusedGraph === false ? { fusedGraph: false } : {}), ...(o.plannedSteps !== undefined ? { plannedSteps: o.plannedSteps } : {}), ...(o.stepHalves ? { stepHalves: true } : {}),
    events: {
      progress: (points) => {
        conflict.push(...points.filter((p) => p.task.includes('|')).map((p) => p.value));
        reportedWeights.push(...points.filter((p) => p.metric === 'weight').map((p) => `${p.task}=${p.value}`));
        trainLoss.push(...points.filter((p) => p.metric === 'loss'));
      },
      epochEnd: (_e, points) => { epochPoints.push(...points); validationLoss.push(points.find((p) => p.split === 'validation' && p.metric === 'loss' && p.task === '*')!.value); },
      cancelled: () => false,
    } });
  const weights = built.model.getWeights().map((w: TF.Tensor) => w.dataSync() as Float32Array);
  built.model.dispose();
  return { weights, initial, path: result.stepPath, validationLoss, restoredEpoch: result.restoredEpoch, conflict, reportedWeights, trainLoss, epochPoints };
}

/**
 * A forward (the tape's, or the eager compiled step's, which draws from it) given the fused
 * graph's masks: draw d of the run is StatelessRandomUniform from dropoutSeed(seed, d), made
 * into tf.dropout's multiplier, in the order the forward asks.
 */
export function graphMasks(tf: Tf, s: ExperimentSpec) {
  const be = tf.backend() as unknown as NativeBackend;
  const b = be.binding;
  let draws = 0;
  return (forward: ForwardFn) => {
    forward.dropoutMask = (shape, rate) => tf.tidy(() => {
      const u = be.executeSingleOutput('StatelessRandomUniform', [
        { name: 'dtype', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT }, { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_INT32 }, { name: 'Tseed', type: b.TF_ATTR_TYPE, value: b.TF_INT32 },
      ], [tf.tensor1d(shape, 'int32'), tf.tensor1d(dropoutSeed(s.training.seed, ++draws), 'int32')]);
      const keep = 1 - rate;
      return tf.div(tf.floor(tf.add(u, keep)), keep);
    });
  };
}
