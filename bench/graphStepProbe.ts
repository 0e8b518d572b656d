// The training step alone, without the loop around it: the fused graph step (src/trainer/graph/)
// against the eager compiled step (native/denseStep.ts) on the reference workload, the same
// batches, epochs interleaved, CPU time of the process (the machine is shared: wall time says
// more about the load than about us). Also prints the graph's one-off costs, the largest
// difference of their weights after 20 steps from the same start, and the graph step on rows
// in shuffled order (it gathers each batch from the whole split, as the loop runs it).
// `node out/bench/graphStepProbe.js [batch=32] [rounds=3]`
import type * as TF from '@tensorflow/tfjs';
import { compileNativeStep } from '../src/trainer/native/denseStep';
import { buildTrainGraph } from '../src/trainer/graph/trainGraph';
import { openTrainGraph, referenceOnDevice, REFERENCE_SAMPLES as N } from './probeSetup';

const cpuMicros = (since: NodeJS.CpuUsage) => { const c = process.cpuUsage(since); return c.user + c.system; };
/** CPU time of the main thread alone in µs (Linux: /proc, 10 ms ticks). */
const mainThreadMicros = () => {
  const stat = require('node:fs').readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8') as string;
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * 1e4;
};

async function main(): Promise<void> {
  const batch = Number(process.argv[2] ?? 32);
  const rounds = Number(process.argv[3] ?? 3);
  // The graph takes the targets one value a row (class numbers as int32); the eager step one-hot.
  const { spec, tf, topo, heads, built, ds, x, digits: digitTargets, parities: parityTargets } = await referenceOnDevice(batch, { intraOpThreads: 1 });
  const digit = tf.oneHot(tf.tensor1d(ds.targets.label!, 'int32'), 10).toFloat();
  const parity = tf.oneHot(tf.tensor1d(ds.targets.parity!, 'int32'), 2).toFloat();
  const sizes = Array.from({ length: Math.ceil(N / batch) }, (_, b) => Math.min(batch, N - b * batch));
  const [xs, digits, parities] = [x, digit, parity].map((t) => tf.split(t, sizes)) as [TF.Tensor[], TF.Tensor[], TF.Tensor[]];

  const start = process.cpuUsage();
  const graph = buildTrainGraph(spec, heads, topo);
  const { session, vars } = openTrainGraph(tf, graph, built);
  console.log(`graph written, loaded and weights set: ${(cpuMicros(start) / 1000).toFixed(1)} ms CPU`);
  const eager = compileNativeStep(tf, spec, built, heads, topo);
  const coefs = new Map(sizes.map((m) => [m, tf.tensor1d([1 / m, 1 / m])]));
  const lr = tf.scalar(0.01);
  const feeds: Array<{ name: string; tfDtype?: string }> = [...graph.inputs, ...graph.labels].map((name) => ({ name }));
  feeds.push({ name: graph.rows, tfDtype: 'DT_INT32' }, { name: graph.coef }, { name: graph.lr });
  /** Batch b of the split in this row order (the graph gathers the rows, as the loop runs it). */
  const inOrder = Int32Array.from({ length: N }, (_, i) => i);
  const shuffled = Int32Array.from({ length: N }, (_, i) => (i * 7919) % N);
  const graphStep = (b: number, order = inOrder) => {
    const rows = tf.tensor1d(order.subarray(b * batch, b * batch + sizes[b]!), 'int32');
    tf.dispose(session.run(feeds, [x, digitTargets, parityTargets, rows, coefs.get(sizes[b]!)!, lr], graph.losses));
    rows.dispose();
  };
  const eagerStep = (b: number) =>
    tf.dispose(eager.step(new Map([['image', xs[b]!]]), new Map([['digit', digits[b]!], ['parity', parities[b]!]]), 0.01, new Map(), [1, 1]));

  // The same 20 steps from the same weights (the eager step trains the model's variables).
  for (let b = 0; b < 20; b++) {
    const first = process.cpuUsage();
    graphStep(b);
    if (b === 0) console.log(`first step (TensorFlow optimises the graph): ${(cpuMicros(first) / 1000).toFixed(1)} ms CPU`);
    eagerStep(b);
  }
  const read = session.run([], [], graph.getOutputs);
  let worst = 0;
  read.forEach((t, k) => { const a = t.dataSync(); const e = vars[k]!.dataSync(); for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!)); });
  tf.dispose(read);
  console.log(`largest |graph - eager| weight difference after 20 steps: ${worst}`);

  /** CPU µs per step of a whole epoch in shuffled order, and of its session runs alone. */
  const shuffledEpoch = () => {
    const all = process.cpuUsage();
    let runs = 0;
    sizes.forEach((_, b) => { const s = process.cpuUsage(); graphStep(b, shuffled); runs += cpuMicros(s); });
    return [cpuMicros(all) / sizes.length, runs / sizes.length];
  };
  const epoch = (step: (b: number) => void) => {
    const c = process.cpuUsage();
    const m = mainThreadMicros();
    const w = process.hrtime.bigint();
    sizes.forEach((_, b) => step(b));
    return { cpu: cpuMicros(c) / 1e6, main: (mainThreadMicros() - m) / 1e6, wall: Number(process.hrtime.bigint() - w) / 1e9 };
  };
  const line = (r: { cpu: number; main: number; wall: number }) => `${(N / r.cpu).toFixed(0)} samples/CPU s (${((r.cpu * 1e6) / sizes.length).toFixed(0)} µs/step, main thread ${((r.main * 1e6) / sizes.length).toFixed(0)}; wall ${(N / r.wall).toFixed(0)}/s)`;
  for (let r = 0; r < rounds; r++) {
    const g = epoch((b) => graphStep(b));
    const e = epoch(eagerStep);
    const [all, runs] = shuffledEpoch();
    console.log(`batch ${batch} round ${r + 1}: graph ${line(g)}; eager ${line(e)}; graph on shuffled rows: ${all!.toFixed(0)} µs/step, session runs ${runs!.toFixed(0)}`);
  }
  session.dispose();
}

void main();
