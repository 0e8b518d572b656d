// Probe: what XLA's compilation of GradDrop's mask (graph/gradDrop.ts, graphFunction.ts) costs in
// a fused graph step's first calls against the mask on TensorFlow's kernels, and what it saves a
// step after (graph/gradDropJit.ts's break-even). Two steps in one process, `xla` and `ops`
// (plannedSteps: a long run, none); each one's fetch sets' first calls in turn (the plain step,
// a step whose shares are reported, one with the conflict measurement: a fetch set that compiled
// again would cost as much as the first), the first step made first (it also pays the process's
// one-off work: pass `ops,xla` to swap); then steady steps, rounds interleaved, CPU per step.
// The reference network (784-128-64, 2 tasks), batch 32.
// `node out/bench/gradDropCompileProbe.js [xla,ops] [rounds=5] [steps=200]`
// 2026-12-01, load 10-17: with auto-clustered nodes (`_XlaCompile` marks, before graphFunction.ts)
// the three fetch sets' first calls took 400-490, 290-300 and 310-450 ms of CPU (each compiled the
// cluster again), 1.09-1.16 s in all; as one library function 270-420, 60-85, 55-105: 0.38-0.61 s,
// against 0.15-0.28 s on TensorFlow's kernels. Steady: 0.65-1.12 ms a plain step against 0.93-1.51.
import os from 'node:os';
import { analyzeGraph } from '../src/core/graph';
import type { ExperimentSpec } from '../src/core/spec';
import { loadBackend } from '../src/trainer/backend';
import { compileGraphStep } from '../src/trainer/graph/graphStep';
import { makeHeads } from '../src/trainer/heads';
import { sharedBlocks } from '../src/trainer/insight/conflict';
import { buildModel } from '../src/trainer/model/build';
import { makeWeighting } from '../src/trainer/weighting/index';
import { randomDataset, referenceSpec } from './referenceWorkload';

const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };

async function main(): Promise<void> {
  const order = (process.argv[2] ?? 'xla,ops').split(',') as Array<'xla' | 'ops'>;
  const rounds = Number(process.argv[3] ?? 5);
  const steps = Number(process.argv[4] ?? 200);
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: 1 });
  const s: ExperimentSpec = referenceSpec(32, 1);
  s.training.weighting = { method: 'graddrop', mode: 'parameters', leak: 0 } as ExperimentSpec['training']['weighting'];
  const topo = analyzeGraph(s).order;
  const data = randomDataset(1024);
  const rows = (k: number) => Int32Array.from({ length: 32 }, (_, i) => (k * 32 + i) % data.n);
  const made = order.map((path) => {
    const built = buildModel(tf, s, topo, 3);
    const weighting = makeWeighting(tf, s.training.weighting, s.tasks, 1);
    const state = { report: false };
    weighting.signDrop!.reported = () => state.report;
    const step = compileGraphStep(tf, s, built, makeHeads(tf, s), topo, [], new Set(), weighting, sharedBlocks({ spec: s, built }).map((b) => b.id), path === 'xla' ? Infinity : 0);
    step.bind(new Map([[s.model.inputs[0]!.id, tf.tensor2d(data.features, [data.n, 784])]]), new Map(s.tasks.map((t) => [t.id, data.targets[t.target]!])));
    const calls: Array<[string, (k: number) => void]> = [
      ['plain', (k) => { state.report = false; step.step(rows(k), 0.01, []); }],
      ['reported', (k) => { state.report = true; step.step(rows(k), 0.01, []); }],
      ['measured', (k) => { state.report = false; step.stepMeasured(rows(k), 0.01, []); }],
    ];
    const firsts = calls.map(([, call]) => { const a = cpu(); call(0); return cpu() - a; });
    console.log(`${path}: ${step.note}; first calls (ms of CPU): ${calls.map(([n], i) => `${n} ${firsts[i]!.toFixed(0)}`).join(', ')}; sum ${firsts.reduce((x, y) => x + y, 0).toFixed(0)}`);
    return { path, step, plain: calls[0]![1] };
  });
  for (const m of made) for (let k = 1; k < 20; k++) m.plain(k);
  const per = new Map(made.map((m) => [m.path, [] as number[]]));
  for (let r = 0; r < rounds; r++) for (const m of made) {
    const a = cpu();
    for (let k = 0; k < steps; k++) m.plain(k);
    per.get(m.path)!.push((cpu() - a) / steps * 1000);
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  console.log(`load ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}; TF_XLA_FLAGS=${process.env.TF_XLA_FLAGS ?? ''} XLA_FLAGS=${process.env.XLA_FLAGS ?? ''}`);
  for (const [path, xs] of per) console.log(`${path}: ${median(xs).toFixed(0)} us of CPU a plain step, median of ${rounds} rounds of ${steps} [${xs.map((x) => x.toFixed(0)).join(' ')}]`);
  for (const m of made) m.step.dispose();
}
void main();
