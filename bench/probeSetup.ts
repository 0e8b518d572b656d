// The dense reference workload's model and splits set up as the trainer sets up a run (its thread
// and oneDNN choice, a token validation split of 64 rows), for the probes that time a real
// trainLoop around it (firstEpochProbe.ts, graphLoopProbe.ts).
import { analyzeGraph } from '../src/core/graph';
import type { ExperimentSpec } from '../src/core/spec';
import { loadBackend } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { makeHeads } from '../src/trainer/heads';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { oneDnnFor } from '../src/trainer/oneDnn';
import { intraOpThreadsFor } from '../src/trainer/threads';
import type { Workload } from './workloads';

export async function probeSetup(w: Workload, spec: ExperimentSpec) {
  const { tf, threads } = await loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(spec), oneDnn: oneDnnFor(spec) });
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 42);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: new Set(heads.filter((h) => h.logits).map((h) => h.layerId)), seed: 1 });
  const validation = toDevice(tf, spec, heads, w.data(64, 9));
  const train = toDevice(tf, spec, heads, w.data(w.samples, 3));
  return { tf, threads, topo, heads, built, forward, validation, train };
}
