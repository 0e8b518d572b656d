// How TensorFlow's process-wide settings change the fused graph step at one batch size: the
// thread pools (TF_NUM_INTRAOP_THREADS, TF_NUM_INTEROP_THREADS; a negative inter-op count runs
// a session's ops on the calling thread) and oneDNN (TF_ENABLE_ONEDNN_OPTS, TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD). tfjs-node opens a
// SavedModel session with default options, so these variables, read when the library loads,
// are the only settings we have. Each configuration runs in its own process (the variables are
// read once), configurations interleaved round by round. Per configuration: the one-off costs
// (graph written and loaded, the first run of each fetch set, where TensorFlow optimises and
// sets up that subgraph; then a second graph's, which tells the process' one-off costs from the
// graph's) and the steady step: CPU of the process and of the main thread per
// step, and the step's wall time as its 10th percentile and median over the steps (the machine
// is shared: a low percentile is the step when nothing else ran). Prints figures; asserts nothing.
// `node out/bench/sessionConfigProbe.js [batch=256] [rounds=2] [config...]`, a config being
// `intra:inter:onednn:caller` ('' leaves a variable unset; caller: TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD,
// oneDNN's jobs run one on the calling thread), e.g. `1:2: 1:-1: 2::0 2:-1::1`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type * as TF from '@tensorflow/tfjs';
import { buildModel } from '../src/trainer/model/build';
import { buildTrainGraph } from '../src/trainer/graph/trainGraph';
import { openSession } from '../src/trainer/graph/session';
import { referenceOnDevice, REFERENCE_SAMPLES as N, setGraphWeights } from './probeSetup';
import { referenceSpec } from './referenceWorkload';

const STEPS = 240;

const cpu = () => { const c = process.cpuUsage(); return c.user + c.system; };
const schedstat = fs.openSync('/proc/thread-self/schedstat', 'r');
const statBuffer = Buffer.alloc(128);
/** The main thread's CPU time in µs (schedstat, ns). */
const mainCpu = () => { const n = fs.readSync(schedstat, statBuffer, 0, 128, 0); return Number(statBuffer.toString('latin1', 0, n).split(' ')[0]) / 1000; };

async function one(batch: number, intra: number | undefined): Promise<string> {
  const { tf, threads, spec, topo, heads, built, x, digits, parities } = await referenceOnDevice(batch, intra ? { intraOpThreads: intra } : {});
  const costs: string[] = [];
  const timed = <T>(what: string, f: () => T): T => {
    const c = cpu(); const w = process.hrtime.bigint();
    const r = f();
    costs.push(`${what} ${((cpu() - c) / 1000).toFixed(1)}/${(Number(process.hrtime.bigint() - w) / 1e6).toFixed(1)}`);
    return r;
  };
  const graph = timed('build', () => buildTrainGraph(spec, heads, topo));
  const session = timed('load', () => openSession(tf, graph.savedModel));
  timed('set', () => setGraphWeights(tf, session, graph, built));
  const feeds: Array<{ name: string; tfDtype?: string }> = [graph.inputs[0]!, ...graph.labels].map((name, k) => (k ? { name, tfDtype: 'DT_INT32' } : { name }));
  feeds.push({ name: graph.rows, tfDtype: 'DT_INT32' }, { name: graph.coef }, { name: graph.lr });
  const coefs = new Map<number, TF.Tensor>();
  const lr = tf.scalar(0.01);
  const order = Int32Array.from({ length: N }, (_, i) => (i * 7919) % N);
  const batches = Math.ceil(N / batch);
  const step = (k: number) => {
    const b = k % batches;
    const rows = order.subarray(b * batch, Math.min(N, (b + 1) * batch));
    if (!coefs.has(rows.length)) coefs.set(rows.length, tf.tensor1d([1 / rows.length, 1 / rows.length]));
    const r = tf.tensor1d(rows, 'int32');
    tf.dispose(session.run(feeds, [x, digits, parities, r, coefs.get(rows.length)!, lr], [graph.stepDone]));
    r.dispose();
  };
  timed('step1', () => step(0));
  timed('step2', () => step(1));
  timed('lastBatch', () => step(batches - 1));
  timed('sums', () => tf.dispose(session.run([], [], [graph.lossSums])));
  timed('get', () => tf.dispose(session.run([], [], graph.getOutputs)));
  const walls: number[] = [];
  const c0 = cpu(); const m0 = mainCpu();
  for (let k = 0; k < STEPS; k++) {
    const w = process.hrtime.bigint();
    step(k);
    walls.push(Number(process.hrtime.bigint() - w) / 1000);
  }
  const all = (cpu() - c0) / STEPS; const main = (mainCpu() - m0) / STEPS;
  walls.sort((a, b) => a - b);
  session.dispose();
  // A second graph in the same process (another width): what of the one-off cost is the graph's, what the process'.
  const other = referenceSpec(batch, 1);
  other.model.layers = other.model.layers.map((l) => (l.id === 'trunk2' && l.type === 'dense' ? { ...l, units: 65 } : l));
  const otherBuilt = buildModel(tf, other, topo, 42);
  const g2 = timed('graph2 build', () => buildTrainGraph(other, heads, topo));
  const s2 = timed('graph2 load', () => openSession(tf, g2.savedModel));
  timed('graph2 set', () => setGraphWeights(tf, s2, g2, otherBuilt));
  timed('graph2 step1', () => tf.dispose(s2.run(feeds, [x, digits, parities, tf.tensor1d(order.subarray(0, batch), 'int32'), coefs.get(batch)!, lr], [g2.stepDone])));
  s2.dispose();
  return `threads ${threads}: step CPU ${all.toFixed(0)} µs (main thread ${main.toFixed(0)}), wall p10 ${walls[STEPS / 10 | 0]!.toFixed(0)} median ${walls[STEPS / 2]!.toFixed(0)} µs | one-off CPU/wall ms: ${costs.join(', ')}`;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--one') {
    console.log(await one(Number(args[1]), args[2] ? Number(args[2]) : undefined));
    return;
  }
  const batch = Number(args[0] ?? 256);
  const rounds = Number(args[1] ?? 2);
  // With one intra-op thread an unset inter-op count is the trainer's -1 (threads.ts): '1:2:' is TensorFlow's own default there.
  const configs = args.length > 2 ? args.slice(2) : ['1:2:', '1:-1:', '2::', '2:-1:', '2:-1::1', '1:-1:0'];
  for (let r = 1; r <= rounds; r++) {
    for (const c of configs) {
      const [intra, inter, onednn, caller] = c.split(':');
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env.TF_NUM_INTRAOP_THREADS; delete env.TF_NUM_INTEROP_THREADS; delete env.TF_ENABLE_ONEDNN_OPTS; delete env.TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD;
      if (inter) env.TF_NUM_INTEROP_THREADS = inter;
      if (onednn) env.TF_ENABLE_ONEDNN_OPTS = onednn;
      if (caller) env.TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD = caller;
      const out = spawnSync(process.execPath, [__filename, '--one', String(batch), intra ?? ''], { env, encoding: 'utf8' });
      const line = out.stdout.trim().split('\n').pop() || `failed: ${out.stderr.trim().split('\n').pop()}`;
      console.log(`round ${r} [${c}] load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}: ${line}`);
    }
  }
}

void main();
