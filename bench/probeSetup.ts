// The probes' set-up, one place for each kind: `probeSetup`, a workload's model and splits as the
// trainer sets up a run (its thread and oneDNN choice, a token validation split of 64 rows), for
// the probes that time a real trainLoop around it (firstEpochProbe.ts, graphLoopProbe.ts);
// `referenceOnDevice` and `openTrainGraph`, the reference workload's model, data and fused graph,
// for the probes that time the fused step alone (graphStepProbe.ts, sessionConfigProbe.ts, splitStepProbe.ts).
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../src/core/graph';
import type { ExperimentSpec } from '../src/core/spec';
import { loadBackend, type BackendOptions, type Tf } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { openSession, type GraphSession } from '../src/trainer/graph/session';
import type { TrainGraph } from '../src/trainer/graph/trainGraph';
import { logitLayerIds, makeHeads } from '../src/trainer/heads';
import { buildModel, type BuiltModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { oneDnnFor } from '../src/trainer/oneDnn';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { randomDataset, referenceSpec } from './referenceWorkload';
import type { Workload } from './workloads';

export async function probeSetup(w: Workload, spec: ExperimentSpec) {
  const { tf, threads } = await loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(spec), oneDnn: oneDnnFor(spec) });
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 42);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const validation = toDevice(tf, spec, heads, w.data(64, 9));
  const train = toDevice(tf, spec, heads, w.data(w.samples, 3));
  return { tf, threads, topo, heads, built, forward, validation, train };
}

/** The reference samples the fused-step probes train on. */
export const REFERENCE_SAMPLES = 20000;

/**
 * The reference workload (784-128-64, heads 10 + 2) at this batch size, built on native TensorFlow
 * loaded with `load`, and its random samples on the device: the inputs, and each task's class
 * numbers as int32 (the fused graph takes one target value a row).
 */
export async function referenceOnDevice(batch: number, load: BackendOptions) {
  const spec = referenceSpec(batch, 1);
  const { tf, threads } = await loadBackend('tensorflow', load);
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 42);
  const ds = randomDataset(REFERENCE_SAMPLES);
  const x = tf.tensor2d(ds.features, [REFERENCE_SAMPLES, 784]);
  const digits = tf.tensor1d(Int32Array.from(ds.targets.label!), 'int32');
  const parities = tf.tensor1d(Int32Array.from(ds.targets.parity!), 'int32');
  return { spec, tf, threads, topo, heads, built, ds, x, digits, parities };
}

/** Sets a fused graph's weights to the model's (dense layers: a kernel and a bias each); the model's variables in the graph's order. */
export function setGraphWeights(tf: Tf, session: GraphSession, graph: TrainGraph, built: BuiltModel): TF.Variable[] {
  const vars = graph.weights.map((w) => (built.layers.get(w.layer) as unknown as Record<string, { read(): TF.Variable }>)[w.part]!.read());
  tf.dispose(session.run(graph.setInputs.map((name) => ({ name })), vars, [graph.setDone]));
  return vars;
}

/** A fused graph loaded into a session of its own, with the model's weights. */
export function openTrainGraph(tf: Tf, graph: TrainGraph, built: BuiltModel): { session: GraphSession; vars: TF.Variable[] } {
  const session = openSession(tf, graph.savedModel);
  return { session, vars: setGraphWeights(tf, session, graph, built) };
}
