// The CNN workload's training step alone (bench/workloads.ts `cnn`, the multimnist-cnn network),
// fused graph step (graph/convLayers.ts) against the eager compiled step (native/conv.ts,
// pool.ts), same batches, rounds interleaved, CPU time of the process (the machine is shared).
// SGD with momentum on both (the workload's Adam is another branch's part of the fused step),
// so the difference is how the same kernels run: one session call, where Grappler may fuse
// Conv2D + BiasAdd + Relu and oneDNN may swap kernels, or one eager op at a time. Also prints
// the largest weight difference of the two after 10 steps (or an epoch) from the same start.
// `node out/bench/graphConvProbe.js [batch=32] [rounds=3] [threads=1]`
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../src/core/graph';
import { loadBackend } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { compileGraphStep } from '../src/trainer/graph/graphStep';
import { logitLayerIds, makeHeads } from '../src/trainer/heads';
import { trainLoop } from '../src/trainer/loop';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { compileNativeStep } from '../src/trainer/native/denseStep';
import { withConflict, workload } from './workloads';

const N = 4096;
const cpuMicros = (since: NodeJS.CpuUsage) => { const c = process.cpuUsage(since); return c.user + c.system; };

async function main(): Promise<void> {
  const batch = Number(process.argv[2] ?? 32);
  const rounds = Number(process.argv[3] ?? 3);
  const threads = Number(process.argv[4] ?? 1);
  const base = workload('cnn').spec(batch, 1);
  const spec = process.argv[5] === 'sgd' ? { ...base, training: { ...base.training, optimizer: { type: 'sgd' as const, learningRate: 0.01, momentum: 0.9 } } } : base;
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: threads });
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const split = toDevice(tf, spec, heads, workload('cnn').data(N, 3));
  const graphModel = buildModel(tf, spec, topo, 42);
  const eagerModel = buildModel(tf, spec, topo, 42);

  const start = process.cpuUsage();
  const graph = compileGraphStep(tf, spec, graphModel, heads, topo);
  graph.bind(split.x, split.targets);
  console.log(`graph written, loaded and weights set: ${(cpuMicros(start) / 1000).toFixed(1)} ms CPU`);
  const eager = compileNativeStep(tf, spec, eagerModel, heads, topo);
  const rows = Array.from({ length: Math.ceil(N / batch) }, (_, b) => Int32Array.from({ length: Math.min(batch, N - b * batch) }, (_, i) => b * batch + i));
  const batches = rows.map((r) => { const b = graph.batch(r); return { x: b.x, y: eager.prepareLabels(b.y) }; });
  const weights = heads.map(() => 1);
  const graphStep = (b: number) => tf.dispose(graph.step(rows[b]!, 0.01, weights));
  const eagerStep = (b: number) => tf.dispose(eager.step(batches[b]!.x, batches[b]!.y, 0.01, new Map(), weights));

  for (let b = 0; b < Math.min(10, rows.length); b++) {
    const first = process.cpuUsage();
    graphStep(b);
    if (b === 0) console.log(`first graph step (TensorFlow optimises the graph): ${(cpuMicros(first) / 1000).toFixed(1)} ms CPU`);
    eagerStep(b);
  }
  graph.sync();
  let worst = { diff: 0, weight: '' };
  const names = graphModel.model.weights.map((w) => w.originalName);
  graphModel.model.getWeights().forEach((t: TF.Tensor, k: number) => {
    const a = t.dataSync();
    const e = eagerModel.model.getWeights()[k]!.dataSync();
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - e[i]!) > worst.diff) worst = { diff: Math.abs(a[i]! - e[i]!), weight: `${names[k]}[${i}] (graph ${a[i]}, eager ${e[i]})` };
  });
  console.log(`largest |graph - eager| weight difference after ${Math.min(10, rows.length)} steps from the same start: ${worst.diff} at ${worst.weight}`);

  const epoch = (step: (b: number) => void) => {
    const c = process.cpuUsage();
    const w = process.hrtime.bigint();
    rows.forEach((_, b) => step(b));
    return { cpu: cpuMicros(c) / 1e6, wall: Number(process.hrtime.bigint() - w) / 1e9 };
  };
  const line = (r: { cpu: number; wall: number }) => `${(N / r.cpu).toFixed(0)} samples/CPU s (${((r.cpu * 1e3) / rows.length).toFixed(2)} ms/step; wall ${(N / r.wall).toFixed(0)}/s)`;
  for (let r = 0; r < rounds; r++) console.log(`batch ${batch}, ${threads} thread(s), round ${r + 1}: graph ${line(epoch(graphStep))}; eager ${line(epoch(eagerStep))}`);
  graph.dispose();
  eager.dispose();

  // Whole runs of the loop on the fused graph: 1 and 3 epochs (the difference is 2 epochs' steps
  // and evaluations), and 1 epoch without the conflict measurement at step 0.
  const validation = toDevice(tf, spec, heads, workload('cnn').data(64, 9));
  const loopRun = (epochs: number, conflict: boolean) => {
    // The workload measures no conflict (bench/workloads.ts withoutConflict); a user's run does.
    const s = conflict ? withConflict(spec) : spec;
    const built = buildModel(tf, s, topo, 42);
    const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
    const c = process.cpuUsage();
    return trainLoop({ tf, backend: 'tensorflow', spec: s, built, forward, heads, topo, train: split, validation, epochs,
      phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } })
      .then((r) => { built.model.dispose(); return { cpu: cpuMicros(c) / 1e6, path: r.stepPath }; });
  };
  for (let r = 0; r < Math.max(1, rounds - 1); r++) {
    const one = await loopRun(1, true);
    const three = await loopRun(3, true);
    const quiet = await loopRun(1, false);
    const perEpoch = (three.cpu - one.cpu) / 2;
    console.log(`loop (${one.path}), CPU s: 1 epoch ${one.cpu.toFixed(2)}, 3 epochs ${three.cpu.toFixed(2)}: ${perEpoch.toFixed(2)} per epoch `
      + `(${rows.length} steps and an evaluation), ${(one.cpu - perEpoch).toFixed(2)} per run; 1 epoch without the conflict measurement ${quiet.cpu.toFixed(2)}`);
  }
}

void main();
