// `npm run bench` (part): the time of one training step under each task-weighting method,
// relative to equal weighting, on the reference workload with 2 and 4 tasks (4: the digit
// and parity heads twice). Gradient methods in both modes. Goals (issue 10): a gradient
// method on the shared parameters at most (tasks + 0.5) times equal weighting, on the shared
// representation at most 1.5 times. Equal weighting runs as the product runs it (the
// compiled step on native TensorFlow). Prints figures, asserts nothing.
//
// Why it is measured this way: the machine is shared, so wall time is mostly the others'
// load. CPU time of this process (TensorFlow runs on one intra-op thread here, threads.ts)
// moves much less, but still drifts with cache and frequency pressure. So each child
// process builds both trainers, equal and the method, and alternates their epochs
// (equal, method, equal, method, ..., equal); each method epoch is divided by the mean of
// the two equal epochs around it. The table shows the median of those ratios and their
// interquartile range; a goal is "met" when the whole range is under it, "not met" when
// the whole range is over it, and "noise" when the range crosses it.
// How much is noise (2026-12-01 14:48-15:22, load 12-28, three rounds of one child per cell,
// cells alternated): one process's equal epochs ranged up to 2.9 times apart (0.72-2.08 ms a step)
// and the same cell's median moved by up to 0.17 between processes (GradNorm, 4 tasks,
// representation: 1.19, 1.29, 1.32, with IMTL-G in the same minutes 1.28, 1.12, 1.28), so one
// run's "noise" says little; a method is costlier only when it stays over another cell measured in
// the same minutes (Nash-MTL, 4 tasks: 1.66, 1.54, 1.79).
//
// Each timed epoch is as many steps as a run goes between two gradient-conflict measurements
// (evaluation.conflict.every, 200 by default, on by default), so it holds one measurement, as
// 200 steps of a run do: every trainLoop call counts its steps from 0 and measures at its step 0,
// so the 100-step epochs this bench had measured conflict twice as often as a run does (a cost
// both sides pay: it pulled every ratio towards 1, the parameters mode's further, since its
// measurement comes with the step's own Gramians while equal weighting's runs on the tape).
//
// `--gradient`: the gradient methods only; `--method ID`: one method; `--mode MODE` (with
// either): the gradient methods in that mode only. `--profile` prints,
// per method and mode, what a step does instead of how long it takes (counts, not times, so
// they do not depend on the load): TensorFlow ops, tfjs-core kernels (each costs tfjs-core's
// bookkeeping on top of the op), read-backs to JavaScript, uploads from it, and the
// JavaScript time of the method's rule (its solver); TOP_OPS=n lists the n most frequent ops.
// `--dump TASKS METHOD MODE DIR` (MODE '' for none): one epoch of the method's trainer, writing
// its graph and fetch sets to DIR (firstEpochProbe.ts --dump's files) for bench/step_trace.py,
// which replays the step with TensorFlow's own per-node step stats.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CONFLICT_DEFAULT_EVERY } from '../src/core/conflict';
import { analyzeGraph } from '../src/core/graph';
import type { ExperimentSpec } from '../src/core/spec';
import { weightingMethod, WEIGHTING_METHODS } from '../src/core/weighting/registry';
import type { GradientMode, TaskInfo, WeightingContext, WeightingMethod } from '../src/core/weighting/method';
import { loadBackend, type Tf } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../src/trainer/heads';
import { trainLoop } from '../src/trainer/loop';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { GRADDROP_XLA_MIN_STEPS } from '../src/trainer/graph/gradDropJit';
import { randomDataset, referenceSpec } from './referenceWorkload';

const BATCH = 32;
/** One epoch: the steps between two conflict measurements of a run (see the header). */
const SAMPLES = BATCH * CONFLICT_DEFAULT_EVERY;
/** Method epochs per child, each between two equal epochs. */
const PAIRS = 7;
/** The steps a run is planned to take: a long run's, where GradDrop's XLA-compiled mask pays (graph/gradDropJit.ts). */
const LONG_RUN_STEPS = 100_000;

/** The reference workload with `tasks` heads (2: digit and parity; 4: each twice). */
function spec(tasks: 2 | 4, method: string, mode?: GradientMode): ExperimentSpec {
  const s = referenceSpec(BATCH, 1);
  if (tasks === 4) {
    s.tasks = [...s.tasks, ...s.tasks.map((t) => ({ ...t, id: `${t.id}2`, target: `${t.target}2` }))];
    s.model.layers = [...s.model.layers, ...s.model.layers.filter((l) => l.id.endsWith('Head')).map((l) => ({ ...l, id: `${l.id}2` }))];
    s.model.outputs = { ...s.model.outputs, digit2: 'digitHead2', parity2: 'parityHead2' };
  }
  s.training.weighting = { method, ...(mode ? { mode } : {}) } as ExperimentSpec['training']['weighting'];
  return s;
}

/** One epoch of training on the reference workload with this method; returns its steps and step path. */
function trainer(tf: Tf, backend: 'tensorflow', tasks: 2 | 4, method: string, mode?: GradientMode, override?: WeightingMethod) {
  const s = spec(tasks, method, mode);
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 42);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const withCopies = (d: ReturnType<typeof randomDataset>) => ({ ...d, targets: { ...d.targets, label2: d.targets.label!, parity2: d.targets.parity! } });
  const train = toDevice(tf, s, heads, withCopies(randomDataset(SAMPLES)));
  const validation = toDevice(tf, s, heads, withCopies(randomDataset(64, 9)));
  // One built graph serves many 200-step epochs here, as a long run's one phase: its steps are
  // planned as a long run's, so GradDrop compiles its mask with XLA (graph/gradDropJit.ts).
  return () => trainLoop({ tf, backend, spec: s, built, forward, heads, topo, train, validation, epochs: 1, phase: { kind: 'shared' }, plannedSteps: LONG_RUN_STEPS,
    ...(override ? { method: override } : {}),
    events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } });
}

async function backendFor(tasks: 2 | 4) {
  return loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(spec(tasks, 'equal')) });
}

/** CPU seconds (all threads of this process) per step of one epoch. */
async function cpuPerStep(run: () => Promise<{ steps: number }>): Promise<number> {
  const start = process.cpuUsage();
  const r = await run();
  const cpu = process.cpuUsage(start);
  return (cpu.user + cpu.system) / 1e6 / r.steps;
}

interface Measured { equal: number[]; method: number[]; ratios: number[]; path: string }

/** Interleaved epochs of equal weighting and the method in this process (see the header). */
async function measure(tasks: 2 | 4, method: string, mode?: GradientMode): Promise<Measured> {
  const b = await backendFor(tasks);
  if (b.name !== 'tensorflow') throw new Error(`native TensorFlow did not load (${b.name})`);
  const equal = trainer(b.tf, b.name, tasks, 'equal');
  const other = trainer(b.tf, b.name, tasks, method, mode);
  const path = (await other()).stepPath; // warm-up: kernels, constants, the first allocations
  await equal();
  // When both trainers run on the fused graph, each epoch after the other's would load its graph
  // again (one idle session: sessionCache.ts), a cost a run pays once, not per epoch (it made
  // equal weighting's epochs 1.1-1.7 ms a step instead of 0.65 and every ratio too small): each
  // timed epoch follows an untimed one of the same trainer.
  const timed = async (run: () => Promise<{ steps: number }>) => { await run(); return cpuPerStep(run); };
  const e = [await timed(equal)];
  const m: number[] = [];
  for (let k = 0; k < PAIRS; k++) {
    m.push(await timed(other));
    e.push(await timed(equal));
  }
  return { equal: e, method: m, ratios: m.map((x, k) => x / ((e[k]! + e[k + 1]!) / 2)), path };
}

interface Profile { tfOps: number; coreKernels: number; readBacks: number; uploads: number; ruleMs: number; path: string; topOps: string }

/** Counts per step of one epoch (after a warm-up epoch): see the header. */
async function profile(tasks: 2 | 4, method: string, mode?: GradientMode): Promise<Profile> {
  const b = await backendFor(tasks);
  const tf = b.tf;
  const m = weightingMethod(method)!;
  // The rule's CPU time: the contexts it saw in the profiled epoch are replayed on a fresh
  // rule afterwards, many times over, since one call (microseconds) is below the resolution
  // of the process's CPU clock and the wall clock counts the other processes' turns too.
  const seen: WeightingContext[] = [];
  let recording = false;
  let made: { params: Record<string, number | string>; tasks: readonly TaskInfo[] } | undefined;
  const timed: WeightingMethod = m.create ? {
    description: m.description,
    create: (params, tasks) => {
      made = { params, tasks };
      const rule = m.create!(params, tasks);
      return { ...rule, weights: (ctx) => { if (recording) seen.push({ ...ctx, gramian: ctx.gramian?.map((r) => [...r]), losses: ctx.losses && [...ctx.losses] }); return rule.weights(ctx); } };
    },
  } : m;
  const ruleCpuMs = () => {
    if (!made || !seen.length) return 0;
    const rule = m.create!(made.params, made.tasks);
    const rounds = 20;
    const start = process.cpuUsage();
    for (let k = 0; k < rounds; k++) for (const ctx of seen) rule.weights(ctx);
    const c = process.cpuUsage(start);
    return (c.user + c.system) / 1e3 / (rounds * seen.length);
  };
  const run = trainer(tf, 'tensorflow', tasks, method, mode, timed);
  await run();
  const be = tf.backend() as unknown as Record<string, (...a: unknown[]) => unknown>;
  const engine = tf.engine() as unknown as Record<string, (...a: unknown[]) => unknown>;
  const ops = new Map<string, number>();
  let coreKernels = 0;
  let readBacks = 0;
  let uploads = 0;
  const wrap = (o: Record<string, (...a: unknown[]) => unknown>, name: string, count: (args: unknown[]) => void) => {
    const f = o[name]!;
    o[name] = function (this: unknown, ...args: unknown[]) { count(args); return f.apply(this, args); };
    return () => { o[name] = f; };
  };
  const restore = [
    wrap(be, 'executeSingleOutput', (a) => ops.set(String(a[0]), (ops.get(String(a[0])) ?? 0) + 1)),
    wrap(be, 'executeMultipleOutputs', (a) => ops.set(String(a[0]), (ops.get(String(a[0])) ?? 0) + 1)),
    wrap(engine, 'runKernel', () => { coreKernels++; }),
    wrap(be, 'readSync', () => { readBacks++; }),
    wrap(be, 'read', () => { readBacks++; }),
    wrap(be, 'write', () => { uploads++; }),
  ];
  recording = true;
  const r = await run();
  recording = false;
  restore.forEach((f) => f());
  const n = r.steps;
  const tfOps = [...ops.values()].reduce((a, v) => a + v, 0);
  const topOps = [...ops].sort((x, y) => y[1] - x[1]).slice(0, Number(process.env.TOP_OPS ?? 6)).map(([k, v]) => `${k} ${(v / n).toFixed(1)}`).join(', ');
  return { tfOps: tfOps / n, coreKernels: coreKernels / n, readBacks: readBacks / n, uploads: uploads / n, ruleMs: ruleCpuMs(), path: r.stepPath, topOps };
}

/** One epoch of the method, its graph (saved_model.pb) and fetch sets (calls.json) written to `dir` (see the header). */
async function dump(tasks: 2 | 4, method: string, mode: GradientMode | undefined, dir: string): Promise<string> {
  const b = await backendFor(tasks);
  const backend = b.tf.backend() as unknown as { loadSavedModelMetaGraph(d: string, tags: string): number; binding: Record<string, (...a: unknown[]) => unknown> };
  fs.mkdirSync(dir, { recursive: true });
  const sets = new Map<string, { feeds: string; fetches: string; n: number }>();
  const load = backend.loadSavedModelMetaGraph.bind(backend);
  backend.loadSavedModelMetaGraph = (d, tags) => { fs.copyFileSync(path.join(d, 'saved_model.pb'), path.join(dir, 'saved_model.pb')); return load(d, tags); };
  const binding = backend.binding;
  const run = binding.runSavedModel!.bind(binding);
  const loadWithConfig = binding.loadSavedModelWithConfig?.bind(binding);
  // The native binding's functions are read-only: a proxy (of an empty object, as a proxy of the
  // binding must return its read-only values) in its place counts each fetch set and copies the
  // graph where it opens with a config (Grappler off, graph/session.ts).
  backend.binding = new Proxy({}, { get: (_, k) => (k === 'loadSavedModelWithConfig' && loadWithConfig ? (...a: unknown[]) => {
    fs.copyFileSync(path.join(String(a[0]), 'saved_model.pb'), path.join(dir, 'saved_model.pb'));
    return loadWithConfig(...a);
  } : k !== 'runSavedModel' ? Reflect.get(binding, k) : (...a: unknown[]) => {
    const key = `${String(a[2])}|${String(a[3])}`;
    const set = sets.get(key) ?? { feeds: String(a[2]), fetches: String(a[3]), n: 0 };
    set.n++;
    sets.set(key, set);
    return run(...a);
  }) });
  const r = await trainer(b.tf, 'tensorflow', tasks, method, mode)();
  backend.binding = binding;
  fs.writeFileSync(path.join(dir, 'calls.json'), JSON.stringify([...sets.values()], null, 1));
  return `${r.stepPath}: ${sets.size} fetch sets in ${dir}`;
}

/** This file's own bundle: trainSpeed.js bundles this module too, but each child runs this one. */
const SELF = path.join(__dirname, 'weightingCost.js');

function child<T>(flag: string, tasks: number, method: string, mode = ''): T | string {
  const r = spawnSync(process.execPath, [SELF, flag, String(tasks), method, mode], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as T;
  } catch {
    return (r.stderr || r.stdout || '').trim().split('\n').pop() ?? 'no output';
  }
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (at - lo);
}

/** Median and interquartile range of the ratios, and the verdict against `goal`. */
export function summarise(ratios: readonly number[], goal: number | undefined): { median: number; q1: number; q3: number; verdict: 'met' | 'not met' | 'noise' | '-' } {
  const s = [...ratios].sort((a, b) => a - b);
  const median = quantile(s, 0.5);
  const q1 = quantile(s, 0.25);
  const q3 = quantile(s, 0.75);
  const verdict = goal === undefined ? '-' : q3 <= goal ? 'met' : q1 > goal ? 'not met' : 'noise';
  return { median, q1, q3, verdict };
}

const modesOf = (m: WeightingMethod) => (m.description.family === 'gradient' ? ['parameters', 'representation'] as const : [undefined]);
const goalOf = (m: WeightingMethod, mode: GradientMode | undefined, tasks: number) =>
  (m.description.family === 'loss' ? undefined : mode === 'parameters' ? tasks + 0.5 : 1.5);
const label = (id: string, mode?: string) => `${id}${mode ? ` (${mode})` : ''}`;

/** `only`: one method's id, or 'gradient' for the gradient family alone; `onlyMode`: gradient methods in this mode only. */
export function weightingCostTable(only?: string, onlyMode?: GradientMode): void {
  console.log(`\nPer-method step cost (reference workload, batch ${BATCH}, ${SAMPLES} samples, native TensorFlow), relative to equal weighting:`);
  console.log(`CPU time per step; ${PAIRS} method epochs interleaved with equal epochs in one process; median [interquartile range] of the ratios.`);
  console.log(`Each epoch is ${SAMPLES / BATCH} steps with one gradient-conflict measurement (at its step 0), the rate of a run at the default evaluation.conflict.every = ${CONFLICT_DEFAULT_EVERY}.`);
  console.log(`Verdict per task count: met (range under the goal), not met (range over it), noise (range crosses it).`);
  console.log(`Steps as in a long run (planned ${LONG_RUN_STEPS.toLocaleString('en-US')}): GradDrop on the shared parameters runs its XLA-compiled mask, compiled before the timed epochs; a run under ${GRADDROP_XLA_MIN_STEPS.toLocaleString('en-US')} steps runs it on TensorFlow's kernels (path column).`);
  console.log(`  ${'method'.padEnd(30)} ${'2 tasks'.padStart(18)} ${'4 tasks'.padStart(18)}  goal       verdict (2/4)     equal ms/step (2/4)  path`);
  for (const m of WEIGHTING_METHODS) {
    const d = m.description;
    if (d.id === 'equal' || (only && (only === 'gradient' ? d.family !== 'gradient' : d.id !== only))) continue;
    for (const mode of modesOf(m)) {
      if (onlyMode && mode && mode !== onlyMode) continue;
      const cells: string[] = [];
      const verdicts: string[] = [];
      const equalMs: string[] = [];
      let where = '';
      for (const tasks of [2, 4] as const) {
        const r = child<Measured>('--one', tasks, d.id, mode);
        if (typeof r === 'string') { cells.push('failed'.padStart(18)); verdicts.push('failed'); where = r; continue; }
        const s = summarise(r.ratios, goalOf(m, mode, tasks));
        cells.push(`${s.median.toFixed(2)}x [${s.q1.toFixed(2)}-${s.q3.toFixed(2)}]`.padStart(18));
        verdicts.push(s.verdict);
        equalMs.push((r.equal.reduce((a, v) => a + v, 0) / r.equal.length * 1e3).toFixed(2));
        where = r.path;
      }
      const goal = d.family === 'loss' ? '-' : mode === 'parameters' ? '<= T+0.5' : '<= 1.5';
      console.log(`  ${label(d.id, mode).padEnd(30)} ${cells.join(' ')}  ${goal.padEnd(9)}  ${verdicts.join('/').padEnd(16)}  ${equalMs.join('/').padEnd(19)}  ${where}`);
    }
  }
}

function profileTable(only?: string): void {
  console.log('\nPer-step profile (reference workload, batch 32, counts per step of one epoch after a warm-up epoch):');
  console.log(`  ${'method'.padEnd(30)} tasks  TF ops  core kernels  read-backs  uploads  rule ms  most frequent TF ops`);
  for (const m of WEIGHTING_METHODS) {
    const d = m.description;
    if (only ? d.id !== only : (d.family !== 'gradient' && d.id !== 'equal')) continue;
    for (const mode of modesOf(m)) {
      for (const tasks of [2, 4] as const) {
        const p = child<Profile>('--profile-one', tasks, d.id, mode);
        if (typeof p === 'string') { console.log(`  ${label(d.id, mode).padEnd(30)} ${tasks}      failed: ${p}`); continue; }
        console.log(`  ${label(d.id, mode).padEnd(30)} ${String(tasks).padEnd(5)}  ${p.tfOps.toFixed(1).padStart(6)}  ${p.coreKernels.toFixed(1).padStart(12)}  ${p.readBacks.toFixed(1).padStart(10)}  ${p.uploads.toFixed(1).padStart(7)}  ${p.ruleMs.toFixed(3).padStart(7)}  ${p.topOps}`);
      }
    }
  }
}

const isEntry = require.main === module && path.basename(__filename) === 'weightingCost.js';
if (isEntry) {
  const [, , flag, a, b, c, d] = process.argv;
  const mode = (c || undefined) as GradientMode | undefined;
  if (flag === '--one') void measure(Number(a) as 2 | 4, b!, mode).then((r) => console.log(JSON.stringify(r)));
  else if (flag === '--profile-one') void profile(Number(a) as 2 | 4, b!, mode).then((r) => console.log(JSON.stringify(r)));
  else if (flag === '--profile') profileTable(a);
  else if (flag === '--dump') void dump(Number(a) as 2 | 4, b!, mode, d!).then((r) => console.log(r));
  else {
    const at = process.argv.indexOf('--mode');
    weightingCostTable(flag === '--method' ? a : flag === '--gradient' ? 'gradient' : undefined, at > 0 ? process.argv[at + 1] as GradientMode : undefined);
  }
}
