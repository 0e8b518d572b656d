// `npm run bench [-- --workloads=dense,cnn] [--no-extras]`: every workload of bench/workloads.ts
// (the dense reference, with Adam, with dropout, the multimnist-cnn network, a two-task LSTM)
// in our trainer, in Keras and in PyTorch, at batch 32 and 256, default threads and one
// thread, side by side in one run; then where each one's step time goes (fixed per-step
// cost vs per-sample kernel work), the gradient-conflict measurement's overhead at its
// default interval (also with --no-extras), our backends, partial labels and the per-method
// step cost, with the WebAssembly figure (its median epoch; alone: `node out/bench/trainSpeed.js
// --wasm`). Each measurement runs in its own process, one after another, interleaved per batch
// size so all see the same machine load. Prints figures; asserts nothing.
// Like with like, each side's clock (ours here, bench/keras_reference.py, bench/torch_reference.py):
// the data made and the model built before it; in it, the training split uploaded (Keras' fit
// makes a tf.data pipeline of its arrays; PyTorch's tensors are the data), every batch of every
// epoch shuffled anew, the last partial batch too, the sum of the tasks' mean cross-entropies,
// each task's running loss and accuracy counted as the steps run and read back, and at each
// epoch's end a 64-row validation split evaluated (each task's loss and accuracy). On the dense
// workload (no warm-up) every side pays its first calls in the clock: our graph's build and each
// graph call's first run, Keras' tracing of its train and test functions. No side measures
// gradient conflict in its clock (workloads.ts withoutConflict; its cost at the default interval
// is printed on its own); only ours reads its weights back into its model at each epoch's end.
import { execFileSync, spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { analyzeGraph } from '../src/core/graph';
import type { BackendName } from '../src/core/protocol';
import { TRAINER_NODE_FLAGS } from '../src/core/trainerFlags';
import { loadBackend, type Tf } from '../src/trainer/backend';
import { disposeSplit, toDevice, type DeviceSplit } from '../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../src/trainer/heads';
import { TRAIN_EVAL_LIMIT } from '../src/core/metricStats';
import { WASM_STEP_PATH, trainLoop } from '../src/trainer/loop';
import type { TrainMetricsMode } from '../src/core/spec';
import { GRAPH_STEP_PATH } from '../src/trainer/graph/graphStep';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { intraOpThreadsFor, stepHalvesFor } from '../src/trainer/threads';
import { oneDnnFor } from '../src/trainer/oneDnn';
import { conflictCostAtDefault } from './conflictCost';
import { fastest, formatFigure, parsePythonLines, ratioLine, stepCostLine, throughput, type Clock, type Figure, type Framework } from './speedReport';
import { WORKLOADS, workload, type WorkloadId } from './workloads';
import { weightingCostTable } from './weightingCost';

const ROOT = path.resolve(__dirname, '..', '..');
const BATCHES = [32, 256] as const;
/**
 * A measurement still running after this long is stopped and reported as such: on a machine
 * shared with other work, a pool of spinning threads (PyTorch's default OpenMP pool) can take
 * minutes over what takes a second on a quiet machine.
 */
const TIMEOUT_MS = 120_000;

/** Why a measuring process gave no figure: its time ran out, or its last line of stderr. */
function failure(r: ReturnType<typeof spawnSync>): string {
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') return `stopped after ${TIMEOUT_MS / 1000} s`;
  return String(r.stderr || '').trim().split('\n').pop() ?? '';
}

/** Rows of the validation split every side evaluates at each epoch's end (bench/keras_reference.py, bench/torch_reference.py: VALIDATION_ROWS). */
const VALIDATION_ROWS = 64;

/** Partial labels: parity missing (NaN) in this share of the rows, so its loss is masked. */
const UNLABELLED_SHARE = 0.3;

/** One measurement of ours, run in a fresh process (`--one <json>`). */
interface OursJob {
  backend: BackendName;
  workload: WorkloadId;
  batch: number;
  /** Default: the workload's. */
  epochs?: number;
  /** TensorFlow intra-op threads; default: the trainer's own choice, as `mts train` makes it. */
  threads?: number;
  /** Force the tape step (the loop's generic path). */
  generic?: boolean;
  /** Keep the eager compiled step where the fused graph step would run. */
  eager?: boolean;
  partial?: boolean;
  /** evaluation.trainMetrics (default: the spec's, "running"): "epochEnd" measures the former re-evaluation of the training rows. */
  trainMetrics?: TrainMetricsMode;
}

/**
 * Counts TensorFlow calls: every eager op of the native backend, tape or compiled step, goes
 * through its binding's executeOp, and the fused graph step's one session run per step through
 * runSavedModel (a read-only native object, so the backend gets a proxy).
 */
function opCounter(tf: Tf): { count(): number } | undefined {
  type Call = (...a: unknown[]) => unknown;
  type Binding = { executeOp: Call; runSavedModel: Call };
  const backend = tf.backend() as unknown as { binding?: Binding };
  const binding = backend.binding;
  if (!binding) return undefined;
  let n = 0;
  const counted = (key: keyof Binding): Call => (...a) => { n++; return binding[key](...a); };
  const calls = new Map<PropertyKey, Call>([['executeOp', counted('executeOp')], ['runSavedModel', counted('runSavedModel')]]);
  // An empty target: a proxy may not change what a read-only property of its target reads.
  backend.binding = new Proxy({} as Binding, { get: (_, key) => calls.get(key) ?? Reflect.get(binding, key) as unknown });
  return { count: () => n };
}

async function measure(job: OursJob): Promise<Figure> {
  const w = workload(job.workload);
  const epochs = job.epochs ?? w.epochs;
  const base = w.spec(job.batch, epochs);
  const spec = job.trainMetrics ? { ...base, evaluation: { ...base.evaluation, trainMetrics: job.trainMetrics } } : base;
  // As `mts train` chooses: a step in halves only on the automatic thread choice (run.ts).
  const stepHalves = job.threads === undefined && stepHalvesFor(spec, os.availableParallelism());
  const b = await loadBackend(job.backend, { intraOpThreads: job.threads ?? intraOpThreadsFor(spec), oneDnn: oneDnnFor(spec), stepHalves });
  const tf = b.tf;
  const topo = analyzeGraph(spec).order;
  const heads = makeHeads(tf, spec);
  const built = buildModel(tf, spec, topo, 42);
  const forward = makeForward(tf, spec, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  // A token validation split, evaluated at each epoch's end, as Keras' fit (validation_data) and the PyTorch loop evaluate theirs.
  const validation = toDevice(tf, spec, heads, w.data(VALIDATION_ROWS, 9));
  // Each epoch's end (wall, CPU), for a median over epochs where one run's figure is too noisy.
  const ends: Array<{ wall: bigint; cpu: NodeJS.CpuUsage }> = [];
  const run = (train: DeviceSplit, e: number, val = validation) => trainLoop({ tf, backend: job.generic ? 'cpu' : b.name, spec, built, forward, heads, topo, train, validation: val, epochs: e, ...(b.stepHalves ? { stepHalves: true } : {}),
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => { ends.push({ wall: process.hrtime.bigint(), cpu: process.cpuUsage() }); }, cancelled: () => false }, fusedGraph: !job.eager });
  const made = (n: number, seed: number) => {
    const data = w.data(n, seed);
    if (job.partial) data.targets.parity = data.targets.parity!.map((v, i) => ((i * 7919) % 100 < UNLABELLED_SHARE * 100 ? NaN : v));
    return data;
  };
  const upload = (n: number, seed: number) => toDevice(tf, spec, heads, made(n, seed));
  if (w.warmupBatches) {
    // Keras' warm-up `fit` runs its step at the timed shapes and its epoch end, so its timed run
    // pays no first call. Ours trains 4 batches, and its epoch end evaluates a validation split as
    // large as an "epochEnd" run's evaluation of the training rows (up to TRAIN_EVAL_LIMIT, in one
    // forward pass), whose first call at that size costs about twice a later one (on the CNN,
    // eagerly: 0.38 s of CPU against 0.17 s, half of it system time: page faults of new buffers).
    // By default ("running") the train metrics are counted during the steps, as `fit` counts them.
    const warm = upload(w.warmupBatches * job.batch, 5);
    const warmValidation = upload(Math.min(w.samples, TRAIN_EVAL_LIMIT), 6);
    await run(warm, 1, warmValidation);
    disposeSplit(warm);
    disposeSplit(warmValidation);
  }
  // The data made before the clock and uploaded in it: Keras' fit uploads its arrays in its clock
  // (a new tf.data pipeline); PyTorch's tensors are the data, with nothing to upload.
  const data = made(w.samples, 3);
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const train = toDevice(tf, spec, heads, data);
  ends.length = 0;
  const r = await run(train, epochs);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuOf = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;
  const epochSeconds = ends.map((e, k) => Number(e.wall - (k ? ends[k - 1]!.wall : start)) / 1e9);
  const epochCpuSeconds = ends.map((e, k) => cpuOf(e.cpu) - cpuOf(k ? ends[k - 1]!.cpu : cpuStart));
  disposeSplit(train);
  // Ops per step: the difference of two short runs, so the per-epoch work (evaluation) cancels out.
  const counter = opCounter(tf);
  let opsPerStep: number | undefined;
  if (counter) {
    const opsOf = async (batches: number) => {
      const split = upload(batches * job.batch, 7);
      const before = counter.count();
      await run(split, 1);
      disposeSplit(split);
      return counter.count() - before;
    };
    const few = await opsOf(4);
    opsPerStep = ((await opsOf(12)) - few) / 8;
  }
  const label = `ours ${b.name}${r.stepPath.startsWith(GRAPH_STEP_PATH) ? ' (fused graph step)' : r.stepPath === 'native' || r.stepPath === WASM_STEP_PATH ? ' (compiled step)' : ' (tape)'}${b.name === 'tensorflow' ? (b.stepHalves ? ', 2 threads (the step in halves)' : `, ${b.threads} thread(s)`) : ''}${job.partial ? ', partial labels' : ''}`;
  return {
    framework: 'ours', label, workload: w.id, batch: job.batch, epochs, steps: r.steps, samples: w.samples, seconds,
    samplesPerSecond: (w.samples * epochs) / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, threads: b.stepHalves ? 2 : b.threads, epochSeconds, epochCpuSeconds,
    ...(opsPerStep !== undefined ? { opsPerStep } : {}),
  };
}

function ours(job: OursJob): Figure | undefined {
  // With the trainer's Node flags: ours is measured as the extension and `mts train` run it.
  const r = spawnSync(process.execPath, [...TRAINER_NODE_FLAGS, __filename, '--one', JSON.stringify(job)], {
    encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' }, timeout: TIMEOUT_MS, killSignal: 'SIGKILL',
  });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Figure;
  } catch {
    console.log(`  ours ${job.backend} ${job.workload} batch ${job.batch}${job.threads ? ', 1 thread' : ''}: no figure (${failure(r)})`);
    return undefined;
  }
}

interface PythonSide { framework: Exclude<Framework, 'ours'>; name: string; script: string; setup: string; python?: string; missing?: string }

const PYTHON_SIDES: PythonSide[] = [
  { framework: 'keras', name: 'Keras 3 / TF 2.21 model.fit', script: 'keras_reference.py', setup: 'setup-keras-venv.sh' },
  { framework: 'pytorch', name: 'PyTorch 2.13 eager', script: 'torch_reference.py', setup: 'setup-torch-venv.sh' },
];

/** Installs (once) the side's Python packages; says so and returns false where it cannot. */
function ready(side: PythonSide): boolean {
  if (side.python) return true;
  if (side.missing) return false;
  try {
    side.python = execFileSync('bash', [path.join(ROOT, 'scripts', side.setup)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
    return true;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    side.missing = (e.stderr || e.message).trim().split('\n').filter((l) => !l.startsWith('WARNING')).pop() ?? 'unknown error';
    console.log(`${side.name}: skipped, could not install it with scripts/${side.setup} (${side.missing}); the other columns only.`);
    return false;
  }
}

/** `threads`: undefined for the framework's default pool, or 1. */
function python(side: PythonSide, workloadId: WorkloadId, batch: number, threads?: 1): Figure | undefined {
  if (!ready(side)) return undefined;
  const w = workload(workloadId);
  const config = { workload: w.id, batches: [batch], samples: w.samples, epochs: w.epochs, warmup_batches: w.warmupBatches, threads: threads ?? null };
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' };
  delete env.TF_NUM_INTRAOP_THREADS;
  const r = spawnSync(side.python!, [path.join(ROOT, 'bench', side.script), JSON.stringify(config)], { encoding: 'utf8', env, timeout: TIMEOUT_MS, killSignal: 'SIGKILL' });
  const line = r.status === 0 ? parsePythonLines(r.stdout)[0] : undefined;
  if (!line) {
    console.log(`  ${side.name} ${w.id} batch ${batch}, ${threads ? '1 thread' : 'default threads'}: no figure (${failure(r)})`);
    return undefined;
  }
  const steps = Math.ceil(w.samples / batch) * w.epochs;
  return {
    framework: side.framework, label: `${side.name}, ${threads ? '1 thread' : `default threads (${line.threads ?? '?'})`}`, workload: w.id, batch, epochs: w.epochs, steps,
    samples: w.samples, seconds: line.seconds, samplesPerSecond: line.samples_per_second,
    ...(line.cpu_seconds !== undefined ? { cpuSeconds: line.cpu_seconds } : {}), ...(line.threads !== undefined ? { threads: line.threads } : {}),
  };
}

type Column = 'ours' | 'ours, 1 thread' | 'keras' | 'keras, 1 thread' | 'pytorch' | 'pytorch, 1 thread';
type Results = Map<WorkloadId, Map<number, Map<Column, Figure>>>;

function runWorkload(id: WorkloadId, results: Results): void {
  const w = workload(id);
  console.log(`\n${w.id}: ${w.title}; ${w.samples.toLocaleString('en-US')} samples x ${w.epochs} epoch(s)${w.warmupBatches ? `, after ${w.warmupBatches} warm-up batches` : ', from a cold start'}`);
  const byBatch = new Map<number, Map<Column, Figure>>();
  results.set(id, byBatch);
  for (const batch of BATCHES) {
    const cells = new Map<Column, Figure>();
    byBatch.set(batch, cells);
    const add = (c: Column, f: Figure | undefined) => { if (f) { cells.set(c, f); console.log(formatFigure(f)); } };
    const auto = ours({ backend: 'tensorflow', workload: id, batch });
    add('ours', auto);
    // The trainer's automatic choice may already be one thread.
    if (auto && auto.threads !== 1) add('ours, 1 thread', ours({ backend: 'tensorflow', workload: id, batch, threads: 1 }));
    const [keras, torch] = PYTHON_SIDES as [PythonSide, PythonSide];
    add('keras', python(keras, id, batch));
    add('keras, 1 thread', python(keras, id, batch, 1));
    add('pytorch', python(torch, id, batch));
    add('pytorch, 1 thread', python(torch, id, batch, 1));
  }
}

function oursBest(cells: Map<Column, Figure> | undefined): Figure | undefined {
  return fastest([cells?.get('ours'), cells?.get('ours, 1 thread')]);
}

function printRatios(results: Results): void {
  const dense = results.get('dense');
  if (dense) {
    // Each peer at its faster thread setting, as ours runs at its trainer's own choice (Keras took its default pool alone before 2026-12-01 15:30).
    console.log('\nDense reference workload (ours: the trainer\'s own thread choice; Keras and PyTorch: the faster of their default pool and one thread):');
    for (const batch of BATCHES) {
      const c = dense.get(batch);
      console.log(ratioLine('vs_keras', batch, c?.get('ours'), fastest([c?.get('keras'), c?.get('keras, 1 thread')])));
    }
    for (const batch of BATCHES) {
      const c = dense.get(batch);
      console.log(ratioLine('vs_pytorch', batch, c?.get('ours'), fastest([c?.get('pytorch'), c?.get('pytorch, 1 thread')])));
    }
  }
  console.log('\nEvery workload, ours (faster thread setting) / theirs (faster thread setting), samples per second of wall time (and of CPU time):');
  console.log(`  ${'workload'.padEnd(14)}${BATCHES.map((b) => `vs Keras @${b}`.padStart(20)).join('')}${BATCHES.map((b) => `vs PyTorch @${b}`.padStart(20)).join('')}`);
  for (const [id, byBatch] of results) {
    const ratio = (batch: number, f: 'keras' | 'pytorch') => {
      const c = byBatch.get(batch);
      const o = oursBest(c);
      const t = fastest([c?.get(f), c?.get(`${f}, 1 thread`)]);
      const by = (clock: Clock) => (o && t ? (throughput(o, clock) / throughput(t, clock)).toFixed(2) : 'n/a');
      return `${by('wall')} (${by('cpu')})`;
    };
    console.log(`  ${id.padEnd(14)}${BATCHES.map((b) => ratio(b, 'keras').padStart(20)).join('')}${BATCHES.map((b) => ratio(b, 'pytorch').padStart(20)).join('')}`);
  }
}

function printStepCosts(results: Results): void {
  console.log('\nWhere a step\'s time goes (per framework, its faster thread setting at each batch): step time fitted as fixed + per-sample x batch through batch 32 and 256.');
  console.log('The fixed part is per-step overhead (op dispatch, the host language per op, read-backs); the per-sample part is the kernels\' work.');
  for (const [id, byBatch] of results) {
    console.log(`${id}:`);
    for (const f of ['ours', 'keras', 'pytorch'] as const) {
      const pick = (batch: number) => {
        const c = byBatch.get(batch);
        return f === 'ours' ? oursBest(c) : fastest([c?.get(f), c?.get(`${f}, 1 thread`)]);
      };
      const [small, large] = [pick(BATCHES[0]), pick(BATCHES[1])];
      const label = small?.label.replace(/, (1 thread|default threads \(\d+\))$/, '') ?? '';
      if (small && large) for (const clock of ['wall', 'cpu'] as const) console.log(stepCostLine(label, small, large, clock));
    }
  }
}

function extras(): void {
  console.log('\nOur backends (dense reference, 1 epoch, batch 32):');
  for (const [backend, generic] of [['tensorflow', true], ['wasm', false], ['cpu', false]] as const) {
    const f = ours({ backend, workload: 'dense', batch: 32, epochs: 1, generic });
    if (f) console.log(formatFigure(f));
  }
  wasmFigure();
  console.log(`Partial labels (parity unlabelled in ${UNLABELLED_SHARE * 100} % of rows: masked loss), dense reference, 3 epochs:`);
  for (const batch of BATCHES) {
    for (const generic of [false, true]) {
      const f = ours({ backend: 'tensorflow', workload: 'dense', batch, epochs: 3, partial: true, generic });
      if (f) console.log(formatFigure(f));
    }
  }
  weightingCostTable();
}

/** The WebAssembly goal (issue 13): at least this many samples per second of wall time at batch 32 on the reference workload. */
const WASM_GOAL = 5000;
const WASM_EPOCHS = 5;

/**
 * The WebAssembly backend on the reference workload at batch 32: the median epoch of several,
 * by wall clock (the goal's measure) and per CPU second (steadier on a shared machine), in one
 * line to quote. tfjs-backend-wasm runs one thread here, so on an idle machine the two agree.
 */
function wasmFigure(): void {
  const f = ours({ backend: 'wasm', workload: 'dense', batch: 32, epochs: WASM_EPOCHS });
  if (!f?.epochSeconds?.length) return;
  const rates = (seconds: number[]) => seconds.map((s) => f.samples / s);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const wall = med(rates(f.epochSeconds));
  const cpu = med(rates(f.epochCpuSeconds ?? []));
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(`wasm_samples_per_second batch=32 ${fmt(wall)} (median of ${f.epochSeconds.length} epochs by wall: ${rates(f.epochSeconds).map(fmt).join(', ')}; ` +
    `per CPU second ${fmt(cpu)}; ${f.label}) goal >= ${fmt(WASM_GOAL)} by wall: ${wall >= WASM_GOAL ? 'PASS' : 'FAIL'}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--one') {
    console.log(JSON.stringify(await measure(JSON.parse(args[1]!) as OursJob)));
    return;
  }
  if (args[0] === '--wasm') {
    wasmFigure();
    return;
  }
  const only = args.find((a) => a.startsWith('--workloads='))?.slice('--workloads='.length).split(',');
  const ids = WORKLOADS.map((w) => w.id).filter((id) => !only || only.includes(id));
  console.log(`npm run bench: ${new Date().toISOString()}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const results: Results = new Map();
  for (const id of ids) runWorkload(id, results);
  printRatios(results);
  printStepCosts(results);
  // Cheap (the dense workload, about 10 s) and an issue-14 goal: printed even with --no-extras.
  conflictCostAtDefault();
  console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (!args.includes('--no-extras')) extras();
}

void main();
