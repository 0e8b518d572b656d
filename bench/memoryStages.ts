// `node out/bench/memoryStages.js [runs]`: where digits-parity's peak memory is. The example is
// trained for one epoch (shared model and both baselines, as `bench:data -- --example` does) in a
// child process with the trainer's Node flags, while this process reads the child's
// /proc/<pid>/status every 2 ms (outside the child, so the sampling costs it nothing). The child
// marks each stage of its run (the messages a run emits: checked, data, device, each phase's
// start, first step, the steps' loss reports (one stage; from the last one the epoch-end
// evaluation), epoch end, test evaluation, done) with what it holds then: V8's heap,
// ArrayBuffers, tfjs' tensor bytes, and smaps_rollup's private and file-mapped memory. Prints one
// row per stage: the highest resident memory seen during it over the TensorFlow-loaded baseline,
// split into private (RssAnon) and mapped files (RssFile). Linux only. Prints figures; asserts nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FromTrainer } from '../src/core/protocol';
import { TRAINER_NODE_FLAGS } from '../src/core/trainerFlags';
import { withDefaults } from '../src/core/defaults';
import type { ExperimentSpec } from '../src/core/spec';
import { loadBackend } from '../src/trainer/backend';
import { oneDnnFor } from '../src/trainer/oneDnn';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { runExperiment } from '../src/trainer/run';

const MB = 1024 * 1024;
const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'digits-parity');

interface Mark { t: number; stage: string; heapMb: number; arrayBuffersMb: number; externalMb: number; tensorMb: number; anonMb: number; fileMb: number }
interface Sample { t: number; rssMb: number; anonMb: number; fileMb: number }

function rollup(): { anonMb: number; fileMb: number } {
  const text = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  return { anonMb: kb('Anonymous') / 1024, fileMb: (kb('Rss') - kb('Anonymous')) / 1024 };
}

/** The child: trains the example, printing a mark line at each stage. */
async function child(runsDir: string): Promise<void> {
  const doc = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'digits-parity.mtl.json'), 'utf8')) as Record<string, unknown>;
  const spec = withDefaults(doc as unknown as ExperimentSpec);
  // Loaded as the run loads it (its threads, its oneDNN switch): the run's own load then finds it loaded.
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(spec), oneDnn: oneDnnFor(spec) });
  const mark = (stage: string) => {
    const m = process.memoryUsage();
    const line: Mark = { t: Date.now(), stage, heapMb: m.heapUsed / MB, arrayBuffersMb: m.arrayBuffers / MB, externalMb: m.external / MB,
      tensorMb: tf.memory().numBytes / MB, ...rollup() };
    process.stdout.write(`MARK ${JSON.stringify(line)}\n`);
  };
  mark('baseline (TensorFlow loaded)');
  let phase = '';
  let stepsSeen = false;
  const emit = (msg: FromTrainer) => {
    if (msg.type === 'started') { phase = msg.phase.kind === 'shared' ? 'shared' : `baseline ${msg.phase.task}`; stepsSeen = false; mark(`${phase}: set-up`); }
    else if (msg.type === 'progress' && !stepsSeen) { stepsSeen = true; mark(`${phase}: first steps`); }
    // Every report of the epoch's steps: the table merges them, and the last one (after the last step) starts the epoch-end evaluation.
    else if (msg.type === 'progress' && msg.points.some((p) => p.split === 'train' && p.metric === 'loss')) mark(`${phase}: ${STEPS}`);
    else if (msg.type === 'epochEnd') mark(`${phase}: epoch end (early stopping, loop end)`);
    else if (msg.type === 'log' && msg.message.includes('steps, training step')) mark(`${phase}: test evaluation, report`);
    else if (msg.type === 'log' && msg.message.startsWith('memory:')) mark('checked');
    else if (msg.type === 'log' && msg.message.startsWith('TensorFlow oneDNN')) mark('data: read, split, preprocessed');
    else if (msg.type === 'log' && !phase && msg.message.startsWith('MNIST')) mark('inputs to the device, host copy released');
    else if (msg.type === 'log' && msg.message.startsWith('start-up')) mark(`${phase}: steps after the first`);
    else if (msg.type === 'done') mark('done (run folder written)');
    else if (msg.type === 'error') process.stderr.write(`${msg.message}\n`);
  };
  const outcome = await runExperiment({ doc, workspaceDir: EXAMPLE, runsDir, backend: 'tensorflow', epochs: 1, emit, cancelled: () => false });
  mark('end');
  if (outcome !== 'completed') throw new Error(`training ${outcome}`);
}

function status(pid: number): Sample | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { t: Date.now(), rssMb: kb('VmRSS') / 1024, anonMb: kb('RssAnon') / 1024, fileMb: kb('RssFile') / 1024 };
  } catch {
    return undefined;
  }
}

/** One run of the child, sampled: its marks and samples. */
async function sampledRun(): Promise<{ marks: Mark[]; samples: Sample[] }> {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-bench-stages-'));
  const proc = spawn(process.execPath, [...TRAINER_NODE_FLAGS, __filename, '--child', runsDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const marks: Mark[] = [];
  const samples: Sample[] = [];
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    let nl: number;
    while ((nl = out.indexOf('\n')) >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      if (line.startsWith('MARK ')) marks.push(JSON.parse(line.slice(5)) as Mark);
    }
  });
  const timer = setInterval(() => { const s = status(proc.pid!); if (s) samples.push(s); }, 2);
  const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
  clearInterval(timer);
  fs.rmSync(runsDir, { recursive: true, force: true });
  if (code !== 0) throw new Error(`the child exited with ${code}`);
  return { marks, samples };
}

/** The stage of the training steps' reports (one mark per report). */
const STEPS = 'training steps';

/**
 * Consecutive report marks are one stage, the steps; the last of them is taken after the
 * epoch's last step, so from it until the epoch-end mark the loop evaluates (validation, train).
 */
function mergeReports(marks: Mark[]): Mark[] {
  const out: Mark[] = [];
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i]!;
    const isSteps = m.stage.endsWith(`: ${STEPS}`);
    const lastOfRun = isSteps && marks[i + 1]?.stage !== m.stage;
    if (lastOfRun) out.push({ ...m, stage: m.stage.replace(STEPS, 'epoch-end evaluation') });
    else if (!(isSteps && out[out.length - 1]?.stage === m.stage)) out.push(m);
  }
  return out;
}

function table({ marks: raw, samples }: { marks: Mark[]; samples: Sample[] }): void {
  const marks = mergeReports(raw);
  const base = marks[0]!;
  const baseSample = samples.filter((s) => s.t <= base.t).pop() ?? samples[0]!;
  console.log(`baseline: RSS ${baseSample.rssMb.toFixed(0)} MB (private ${baseSample.anonMb.toFixed(0)}, mapped files ${baseSample.fileMb.toFixed(0)}); figures over it, MB`);
  console.log('stage (until the next mark)                     | peak RSS | private | files || at its start: V8 heap | ArrayBuffers | tensors | private | files');
  let peak = 0;
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i]!;
    const end = marks[i + 1]?.t ?? Infinity;
    const during = samples.filter((s) => s.t >= m.t && s.t < end);
    const top = during.reduce((a, s) => (s.rssMb > a.rssMb ? s : a), during[0] ?? { t: 0, rssMb: 0, anonMb: 0, fileMb: 0 });
    peak = Math.max(peak, top.rssMb);
    const f = (v: number) => v.toFixed(1).padStart(6);
    console.log(`${m.stage.padEnd(48)} | ${f(top.rssMb - baseSample.rssMb)}   | ${f(top.anonMb - baseSample.anonMb)}  | ${f(top.fileMb - baseSample.fileMb)} || ` +
      `${f(m.heapMb)}      | ${f(m.arrayBuffersMb)}       | ${f(m.tensorMb)}  | ${f(m.anonMb - base.anonMb)}  | ${f(m.fileMb - base.fileMb)}`);
  }
  console.log(`peak over the baseline: +${(peak - baseSample.rssMb).toFixed(1)} MB (${samples.length} samples); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 1);
  for (let i = 0; i < runs; i++) table(await sampledRun());
}

if (process.argv[2] === '--child') child(process.argv[3] as string).catch((err: unknown) => { console.error(err); process.exit(1); });
else main().catch((err: unknown) => { console.error(err); process.exit(1); });
