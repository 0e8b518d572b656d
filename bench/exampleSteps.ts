// Every bundled example on native TensorFlow: the training step the loop picks for it (the
// run log's "training step: ..."), and its epoch's CPU time on that step against the tape's
// (the loop's generic path, which the example took before it compiled), on the example's own
// data and network, epochs interleaved: the machine is shared, so CPU time of the process says
// more than wall time. `node out/bench/exampleSteps.js [name-filter] [epochs=2]`
import path from 'node:path';
import { withDefaults } from '../src/core/defaults';
import { analyzeGraph } from '../src/core/graph';
import type { ExperimentSpec } from '../src/core/spec';
import { validate } from '../src/core/validate';
import { loadBackend, type LoadedBackend } from '../src/trainer/backend';
import { loadStratified, prereadData, splitLoaded, trainingData } from '../src/trainer/data/index';
import { disposeSplit, toDevice } from '../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../src/trainer/heads';
import { imageDecoder } from '../src/trainer/imageDecoder';
import { trainLoop } from '../src/trainer/loop';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { EXAMPLES, exampleDoc, exampleFile } from '../test/unit/trainer/helpers';

const cpuSeconds = (since: NodeJS.CpuUsage) => { const c = process.cpuUsage(since); return (c.user + c.system) / 1e6; };

/** One epoch of `spec` on `data`'s training rows; `tape` forces the loop's generic step. Returns the step path and the CPU seconds. */
async function epoch(b: LoadedBackend, spec: ExperimentSpec, data: ReturnType<typeof trainingData>, tape: boolean): Promise<{ path: string; cpu: number }> {
  const tf = b.tf;
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, spec.training.seed);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const train = toDevice(tf, spec, heads, data.train);
  const validation = toDevice(tf, spec, heads, data.validation);
  const start = process.cpuUsage();
  const r = await trainLoop({ tf, backend: tape ? 'cpu' : b.name, spec, built, forward, heads, topo, train, validation, epochs: 1,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } });
  const cpu = cpuSeconds(start);
  disposeSplit(train);
  disposeSplit(validation);
  built.model.dispose();
  return { path: r.stepPath, cpu };
}

async function main(): Promise<void> {
  const filter = process.argv[2] ?? '';
  const rounds = Number(process.argv[3] ?? 2);
  console.log('example | training step | CPU s per epoch: compiled, tape | tape / compiled');
  for (const name of EXAMPLES.filter((n) => n.includes(filter))) {
    const spec = withDefaults(validate(exampleDoc(name)).spec!);
    const b = await loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(spec) });
    const loaded = loadStratified(spec, await prereadData(spec, { workspaceDir: path.dirname(exampleFile(name)), decodeImage: imageDecoder(b) }));
    const data = trainingData(spec, splitLoaded(spec, loaded), { consume: false });
    let stepPath = '';
    const cpu = { compiled: [] as number[], tape: [] as number[] };
    // A first epoch of each warms the kernels up; then they take turns.
    for (let round = 0; round <= rounds; round++) {
      for (const tape of [false, true]) {
        const e = await epoch(b, spec, data, tape);
        if (!tape) stepPath = e.path;
        if (round > 0) cpu[tape ? 'tape' : 'compiled'].push(e.cpu);
      }
    }
    const best = (xs: number[]) => Math.min(...xs);
    const compiled = best(cpu.compiled);
    const tape = best(cpu.tape);
    console.log(`${name} | ${stepPath} | ${compiled.toFixed(2)}, ${tape.toFixed(2)} | ${(tape / compiled).toFixed(2)}x`);
  }
}

main().catch((err) => { console.error(err); process.exit(1); });
