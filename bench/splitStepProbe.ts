// Can two cores speed up the fused dense step (issue 13)? The step in halves (trainGraph.ts
// `halves`: the batch's even and odd rows, two forward and backward passes with nothing between
// them until their gradients are summed) on one intra-op thread, with TensorFlow's inter-op pool
// of two threads to run the halves side by side, against today's step on one thread (inter-op -1:
// the caller's thread runs every op) and on two (TensorFlow's default pools), and the whole step
// on the two-thread inter-op pool (the pool's hand-off alone). The reference workload's model
// (784-128-64, heads 10 + 2, SGD), the step as the loop runs it (one prepared call, rows in
// shuffled order from the whole split, oneDNN off as for a dense model). Each configuration in a
// process of its own (TensorFlow reads its thread settings once), configurations alternating round
// by round. Per configuration: CPU of the process per step, wall time per step (10th percentile,
// median), samples a second of wall time over the steps and the three busiest threads' CPU per step;
// the load average before each.
// Prints figures; asserts nothing.
// `node out/bench/splitStepProbe.js [batch=256] [rounds=3] [steps=400] [config...]`, configs
// among one, two, whole2, split (default: all four).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { buildTrainGraph } from '../src/trainer/graph/trainGraph';
import { openTrainGraph, referenceOnDevice, REFERENCE_SAMPLES as N } from './probeSetup';

/** Per configuration: intra-op threads, inter-op threads ('' leaves TensorFlow's default), the step in halves. */
const CONFIGS: Record<string, { intra: number; inter: string; halves: boolean }> = {
  one: { intra: 1, inter: '-1', halves: false },
  two: { intra: 2, inter: '', halves: false },
  whole2: { intra: 1, inter: '2', halves: false },
  split: { intra: 1, inter: '2', halves: true },
};

const cpu = () => { const c = process.cpuUsage(); return c.user + c.system; };
/** Each thread's CPU time in µs by thread id (Linux: schedstat, ns). */
const threadCpu = () => new Map(fs.readdirSync('/proc/self/task').map((t) => [t, Number(fs.readFileSync(`/proc/self/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1000]));

async function one(batch: number, steps: number, halves: boolean, intra: number): Promise<string> {
  const { spec, tf, topo, heads, built, x, digits, parities } = await referenceOnDevice(batch, { intraOpThreads: intra, oneDnn: false });
  const graph = buildTrainGraph(spec, heads, topo, { halves });
  const { session } = openTrainGraph(tf, graph, built);
  const feeds = [{ name: graph.inputs[0]! }, ...graph.labels.map((name) => ({ name, tfDtype: 'DT_INT32' })), { name: graph.rows, tfDtype: 'DT_INT32' }, { name: graph.coef }, { name: graph.lr }, { name: graph.lossKeep }];
  // The loop's one prepared call a step (graphStep.ts).
  const run = session.prepare(feeds, [graph.stepSums], true);
  const coef = tf.tensor1d([1 / batch, 1 / batch]);
  const lr = tf.scalar(0.01);
  const keep = tf.scalar(1);
  const order = Int32Array.from({ length: N }, (_, i) => (i * 7919) % N);
  const batches = Math.floor(N / batch);
  const step = (k: number) => {
    const b = k % batches;
    run.run([x, digits, parities, order.subarray(b * batch, (b + 1) * batch), coef, lr, keep]);
  };
  for (let k = 0; k < 20; k++) step(k);
  const walls: number[] = [];
  const c0 = cpu();
  const t0 = threadCpu();
  const w0 = process.hrtime.bigint();
  for (let k = 0; k < steps; k++) {
    const w = process.hrtime.bigint();
    step(k);
    walls.push(Number(process.hrtime.bigint() - w) / 1000);
  }
  const wall = Number(process.hrtime.bigint() - w0) / 1e9;
  const perStep = (cpu() - c0) / steps;
  // Who did the work: the busiest threads' CPU a step (two near-equal shares: the halves ran on two threads).
  const busiest = [...threadCpu()].map(([t, c]) => (c - (t0.get(t) ?? 0)) / steps).sort((a, b) => b - a).slice(0, 3);
  walls.sort((a, b) => a - b);
  run.free();
  session.dispose();
  return `CPU ${perStep.toFixed(0)} µs/step, wall p10 ${walls[steps / 10 | 0]!.toFixed(0)} median ${walls[steps / 2 | 0]!.toFixed(0)} µs/step, ${((steps * batch) / wall).toFixed(0)} samples/s; busiest threads ${busiest.map((c) => c.toFixed(0)).join('/')} µs/step`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--one') {
    console.log(await one(Number(args[1]), Number(args[2]), args[3] === 'halves', Number(args[4])));
    return;
  }
  const batch = Number(args[0] ?? 256);
  const rounds = Number(args[1] ?? 3);
  const steps = Number(args[2] ?? 400);
  const names = args.length > 3 ? args.slice(3) : Object.keys(CONFIGS);
  for (let r = 1; r <= rounds; r++) {
    for (const name of names) {
      const c = CONFIGS[name];
      if (!c) throw new Error(`unknown configuration ${name} (${Object.keys(CONFIGS).join(', ')})`);
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.TF_NUM_INTRAOP_THREADS; delete env.TF_NUM_INTEROP_THREADS; delete env.TF_ENABLE_ONEDNN_OPTS;
      // An empty value leaves TensorFlow's default (backend.ts sets -1 for one intra-op thread only when unset).
      if (c.inter) env.TF_NUM_INTEROP_THREADS = c.inter;
      const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
      const out = spawnSync(process.execPath, [__filename, '--one', String(batch), String(steps), c.halves ? 'halves' : 'whole', String(c.intra)], { env, encoding: 'utf8' });
      const line = out.stdout.trim().split('\n').pop() || `failed: ${out.stderr.trim().split('\n').pop()}`;
      console.log(`round ${r} ${name.padEnd(6)} load ${load}: ${line}`);
    }
  }
}

void main();
