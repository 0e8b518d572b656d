// The fused graph step alone on the bench's LSTM workload (bench/workloads.ts), without the loop
// around it: the one-off costs (graph written, loaded by TensorFlow, weights set; the first
// run, where Grappler optimises the graph) and CPU time per step at a batch size, against the
// eager compiled step (native/lstm.ts) on the same rows. CPU time of the process: the machine
// is shared, wall time says more about the load than about us.
// `node out/bench/recurrentStepProbe.js [batch=32] [steps=64] [threads=1]`
import { analyzeGraph } from '../src/core/graph';
import { loadBackend } from '../src/trainer/backend';
import { labelTensor, targetsOf, toDevice } from '../src/trainer/deviceData';
import { compileGraphStep } from '../src/trainer/graph/graphStep';
import { makeHeads } from '../src/trainer/heads';
import { buildModel } from '../src/trainer/model/build';
import { compileNativeStep } from '../src/trainer/native/denseStep';
import { workload } from './workloads';

const cpuMs = (since: NodeJS.CpuUsage) => { const c = process.cpuUsage(since); return (c.user + c.system) / 1000; };

async function main(): Promise<void> {
  const batch = Number(process.argv[2] ?? 32);
  const steps = Number(process.argv[3] ?? 64);
  const threads = Number(process.argv[4] ?? 1);
  const w = workload('lstm');
  const spec = w.spec(batch, 1);
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: threads });
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 42);
  const n = batch * steps;
  const split = toDevice(tf, spec, heads, w.data(n, 3));
  const rows = Array.from({ length: steps }, (_, b) => Int32Array.from({ length: batch }, (_, i) => b * batch + i));
  const weights = heads.map(() => 1);

  let t = process.cpuUsage();
  const graph = compileGraphStep(tf, spec, built, heads, topo);
  const made = cpuMs(t);
  graph.bind(split.x, split.targets);
  t = process.cpuUsage();
  tf.dispose(graph.step(rows[0]!, 0.01, weights));
  console.log(`fused graph: written, loaded and weights set ${made.toFixed(0)} ms CPU; first run ${cpuMs(t).toFixed(0)} ms CPU`);

  const eager = compileNativeStep(tf, spec, built, heads, topo);
  const eagerStep = (r: Int32Array) => {
    const idx = tf.tensor1d(r, 'int32');
    const x = new Map([...split.x].map(([id, v]) => [id, tf.gather(v, idx)]));
    idx.dispose();
    const y = eager.prepareLabels(new Map(heads.map((h) => [h.task.id, labelTensor(tf, h, targetsOf(split.targets.get(h.task.id)!, r))])));
    tf.dispose(eager.step(x, y, 0.01, new Map(), weights));
    tf.dispose([...x.values(), ...y.values()]);
  };
  eagerStep(rows[0]!);
  for (let round = 0; round < 3; round++) {
    t = process.cpuUsage();
    for (const r of rows) tf.dispose(graph.step(r, 0.01, weights));
    const g = cpuMs(t) / steps;
    t = process.cpuUsage();
    for (const r of rows) eagerStep(r);
    const e = cpuMs(t) / steps;
    console.log(`batch ${batch} round ${round + 1}: fused graph ${g.toFixed(2)} ms CPU a step (${((batch * 1000) / g).toFixed(0)} samples/CPU s); eager compiled step ${e.toFixed(2)} ms (${((batch * 1000) / e).toFixed(0)})`);
  }
  graph.dispose();
  eager.dispose();
}

void main();
