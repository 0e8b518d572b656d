// Probe: the fused graph step against the eager compiled step on the reference workload,
// CPU time per epoch, interleaved. node out/bench/graphStepProbe.js [batch] [rounds]
import type * as TF from '@tensorflow/tfjs';
import { analyzeGraph } from '../src/core/graph';
import { loadBackend } from '../src/trainer/backend';
import { makeHeads } from '../src/trainer/heads';
import { buildModel } from '../src/trainer/model/build';
import { compileNativeStep } from '../src/trainer/native/denseStep';
import { buildTrainGraph } from '../src/trainer/graph/trainGraph';
import { openSession } from '../src/trainer/graph/session';
import { referenceSpec, randomDataset } from './referenceWorkload';

async function main() {
  const batch = Number(process.argv[2] ?? 32);
  const rounds = Number(process.argv[3] ?? 3);
  const spec = referenceSpec(batch, 1);
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: 1 });
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 42);
  const n = 20000;
  const ds = randomDataset(n);
  const x = tf.tensor2d(ds.features, [n, 784]);
  const yd = tf.oneHot(tf.tensor1d(ds.targets.label!, 'int32'), 10).toFloat();
  const yp = tf.oneHot(tf.tensor1d(ds.targets.parity!, 'int32'), 2).toFloat();
  const steps = Math.floor(n / batch);
  const xs = tf.split(x, steps * batch === n ? steps : [...Array(steps).fill(batch), n - steps * batch].length > steps ? Array(steps).fill(batch).concat([n - steps * batch]) : steps);
  const yds = tf.split(yd, xs.map((t) => t.shape[0]!));
  const yps = tf.split(yp, xs.map((t) => t.shape[0]!));

  const t0 = process.cpuUsage();
  const graph = buildTrainGraph(spec, heads, topo, 0, false);
  const session = openSession(tf, graph.savedModel);
  const vars = new Map(graph.weights.map((w) => [w.key, (built.layers.get(w.layer) as unknown as Record<string, { read(): TF.Variable }>)[w.key.split('/')[1]!]!.read()]));
  session.run(graph.setInputs.map((name) => ({ name })), graph.weights.map((w) => vars.get(w.key)!), [graph.setDone]).forEach((t) => t.dispose());
  const build = process.cpuUsage(t0);
  console.log(`graph built+loaded+set: ${((build.user + build.system) / 1000).toFixed(1)} ms CPU`);
  const eager = compileNativeStep(tf, spec, built, heads, topo);
  const coefCache = new Map<number, TF.Tensor>();
  const lr = tf.scalar(0.01);
  const feeds = [...graph.inputs, ...graph.labels, graph.coef, graph.lr].map((name) => ({ name }));
  const graphEpoch = () => {
    for (let b = 0; b < xs.length; b++) {
      const m = xs[b]!.shape[0]!;
      let c = coefCache.get(m);
      if (!c) { c = tf.tensor1d([1 / m, 1 / m]); coefCache.set(m, c); }
      const out = session.run(feeds, [xs[b]!, yds[b]!, yps[b]!, c, lr], graph.losses);
      tf.dispose(out);
    }
  };
  const eagerEpoch = () => {
    for (let b = 0; b < xs.length; b++) {
      const out = eager.step(new Map([['image', xs[b]!]]), new Map([['digit', yds[b]!], ['parity', yps[b]!]]), 0.01, new Map(), [1, 1]);
      tf.dispose(out);
    }
  };
  // The loop's way: rows gathered in shuffled order a block at a time, then split (batches.ts).
  const perm = tf.tensor1d(Int32Array.from({ length: n }, (_, i) => (i * 7919) % n), 'int32');
  const gatheredEpoch = () => {
    const gx = tf.split(tf.gather(x, perm), xs.map((t) => t.shape[0]!));
    const gd = tf.split(tf.gather(yd, perm), xs.map((t) => t.shape[0]!));
    const gp = tf.split(tf.gather(yp, perm), xs.map((t) => t.shape[0]!));
    let stepCpu = 0;
    for (let b = 0; b < gx.length; b++) {
      const m = gx[b]!.shape[0]!;
      const s0 = process.cpuUsage();
      const out = session.run(feeds, [gx[b]!, gd[b]!, gp[b]!, coefCache.get(m)!, lr], graph.losses);
      const s1 = process.cpuUsage(s0);
      stepCpu += s1.user + s1.system;
      tf.dispose(out);
    }
    tf.dispose([...gx, ...gd, ...gp]);
    return stepCpu;
  };
  const cpu = (f: () => void) => { const s = process.cpuUsage(); const w = process.hrtime.bigint(); f(); const c = process.cpuUsage(s); return [(c.user + c.system) / 1e6, Number(process.hrtime.bigint() - w) / 1e9]; };
  {
    // Equivalence: the same 20 steps from the same weights.
    for (let b = 0; b < 20; b++) {
      const m = xs[b]!.shape[0]!;
      tf.dispose(session.run(feeds, [xs[b]!, yds[b]!, yps[b]!, tf.tensor1d([1 / m, 1 / m]), lr], graph.losses));
      tf.dispose(eager.step(new Map([['image', xs[b]!]]), new Map([['digit', yds[b]!], ['parity', yps[b]!]]), 0.01, new Map(), [1, 1]));
    }
    const got = session.run([], [], graph.getOutputs);
    let worst = 0;
    graph.weights.forEach((w, k) => { const a = got[k]!.dataSync(); const e = vars.get(w.key)!.dataSync(); for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!)); });
    console.log(`max |graph - eager| after 20 steps: ${worst}`);
  }
  graphEpoch(); eagerEpoch();
  for (let r = 0; r < rounds; r++) {
    const [gc, gw] = cpu(graphEpoch);
    const [ec, ew] = cpu(eagerEpoch);
    let steps = 0;
    const [lc] = cpu(() => { steps = gatheredEpoch(); });
    console.log(`  gathered per epoch: ${(lc! * 1e6 / xs.length).toFixed(0)} µs/step in all, of which the session run ${(steps / xs.length).toFixed(0)} µs`);
    console.log(`batch ${batch} round ${r}: graph ${(n / gc!).toFixed(0)} samples/CPU s (${(gc! * 1e6 / xs.length).toFixed(0)} µs/step, wall ${(n / gw!).toFixed(0)}/s); eager ${(n / ec!).toFixed(0)} samples/CPU s (${(ec! * 1e6 / xs.length).toFixed(0)} µs/step, wall ${(n / ew!).toFixed(0)}/s)`);
  }
  session.dispose();
}
void main();
