// `npm run bench:data [rows]`: a generated CSV of 1,000,000 rows x 20 columns (in the system's
// temporary folder, deleted afterwards) is loaded, previewed and trained for one epoch, each
// in a fresh process; prints the time and the peak resident memory (getrusage's maxrss, the
// figure `/usr/bin/time -v` prints) of each, against the goal: at most twice the float32 size
// of the data plus the model, over what the process holds before it reads any data. Each
// phase's process runs with the trainer's Node flags (core/trainerFlags.ts), as the extension
// and `mts train` start the trainer. Then the same for the digits-parity example trained as a
// run (1 epoch; the shared model and both baselines). Prints figures; asserts nothing.
// `npm run bench:data -- --example [runs]`: only the example, `runs` times (default 3), with the median.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countParams } from '../src/core/params';
import type { RunSummary } from '../src/core/protocol';
import type { ExperimentSpec } from '../src/core/spec';
import { TRAINER_NODE_FLAGS } from '../src/core/trainerFlags';
import { withDefaults } from '../src/core/defaults';
import { loadBackend } from '../src/trainer/backend';
import { oneDnnFor } from '../src/trainer/oneDnn';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { loadExperimentData } from '../src/trainer/data/load';
import { summarizeData } from '../src/trainer/data/summary';
import { runExperiment } from '../src/trainer/run';
import { COLUMNS, writeWideExperiment } from './wideCsv';

const MB = 1024 * 1024;

/** What runExperiment asks of the backend for this spec (loaded here first, it must be loaded the same way). */
const trainerBackendOptions = (spec: ExperimentSpec) => ({ intraOpThreads: intraOpThreadsFor(withDefaults(spec)), oneDnn: oneDnnFor(spec) });
const peakMb = (): number => (process.resourceUsage().maxRSS * 1024) / MB;

/**
 * Resident memory now, split into private memory (RssAnon: data, heaps, TensorFlow's
 * allocations) and mapped files (RssFile: mostly libtensorflow's code, paged in as kernels
 * first run); Linux only, zeros elsewhere.
 */
function residentSplit(): { anonMb: number; fileMb: number } {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { anonMb: kb('RssAnon') / 1024, fileMb: kb('RssFile') / 1024 };
  } catch {
    return { anonMb: 0, fileMb: 0 };
  }
}

type Phase = 'load' | 'preview' | 'train' | 'example';
/** `dataMb`, `modelMb`: the example's data as float32 and its model, known only once it ran. */
interface Measure { phase: Phase; seconds: number; baselineMb: number; peakMb: number; dataMb?: number; modelMb?: number; residentGrowth?: { anonMb: number; fileMb: number } }

const EXAMPLE = path.resolve(__dirname, '..', '..', 'examples', 'digits-parity');

/** Runs one phase in this (fresh) process and prints its figures as JSON. */
async function measure(phase: Phase, dir: string): Promise<void> {
  if (phase === 'example') return measureExample(dir);
  const doc = JSON.parse(fs.readFileSync(path.join(dir, 'wide.mtl.json'), 'utf8')) as Record<string, unknown>;
  const spec = doc as unknown as ExperimentSpec;
  // Training loads native TensorFlow first (as the run would: its threads, its oneDNN switch): its own memory is not the data's.
  if (phase === 'train') await loadBackend('tensorflow', trainerBackendOptions(spec));
  const baselineMb = peakMb();
  const t0 = performance.now();
  if (phase === 'load') loadExperimentData(spec, { workspaceDir: dir });
  else if (phase === 'preview') summarizeData(spec, { workspaceDir: dir });
  else {
    let error = '';
    const outcome = await runExperiment({ doc, workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'tensorflow', epochs: 1,
      emit: (m) => { if (m.type === 'error') error = m.message; }, cancelled: () => false });
    if (outcome !== 'completed') throw new Error(`training ${outcome}: ${error}`);
  }
  const result: Measure = { phase, seconds: (performance.now() - t0) / 1000, baselineMb, peakMb: peakMb() };
  console.log(JSON.stringify(result));
}

/** digits-parity as `mts train` runs it, for 1 epoch, its runs written into `runsDir`. */
async function measureExample(runsDir: string): Promise<void> {
  const doc = JSON.parse(fs.readFileSync(path.join(EXAMPLE, 'digits-parity.mtl.json'), 'utf8')) as Record<string, unknown>;
  await loadBackend('tensorflow', trainerBackendOptions(doc as unknown as ExperimentSpec));
  const baselineMb = peakMb();
  const before = residentSplit();
  const t0 = performance.now();
  let summary: RunSummary | undefined;
  let error = '';
  const outcome = await runExperiment({ doc, workspaceDir: EXAMPLE, runsDir, backend: 'tensorflow', epochs: 1,
    emit: (m) => { if (m.type === 'error') error = m.message; if (m.type === 'done') summary = m.summary; }, cancelled: () => false });
  if (outcome !== 'completed' || !summary) throw new Error(`training ${outcome}: ${error}`);
  const seconds = (performance.now() - t0) / 1000;
  const rows = summary.labelled!.rows;
  const features = (doc as unknown as ExperimentSpec).model.inputs.reduce((a, i) => a + i.shape.reduce((x, y) => x * y, 1), 0);
  const result: Measure = { phase: 'example', seconds, baselineMb, peakMb: peakMb(),
    dataMb: ((rows.train + rows.validation + rows.test) * features * 4) / MB, modelMb: (summary.parameters.total * 4) / MB };
  // The run's peak is at the end of its training (the shared model's phase): what is resident now, by kind.
  const after = residentSplit();
  result.residentGrowth = { anonMb: after.anonMb - before.anonMb, fileMb: after.fileMb - before.fileMb };
  console.log(JSON.stringify(result));
}

/** The example trained once in a fresh process: its figures. */
function exampleOnce(): Measure {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-bench-example-'));
  try {
    const out = execFileSync(process.execPath, [...TRAINER_NODE_FLAGS, __filename, '--measure', 'example', runsDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return JSON.parse(out.trim().split('\n').pop() as string) as Measure;
  } finally {
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
}

function exampleFigures(runs = 1): void {
  const used: number[] = [];
  for (let i = 0; i < runs; i++) {
    const m = exampleOnce();
    const over = m.peakMb - m.baselineMb;
    used.push(over);
    const goalMb = 2 * m.dataMb! + m.modelMb!;
    console.log(`digits-parity example (mnist, ${m.dataMb!.toFixed(1)} MB as float32, model ${m.modelMb!.toFixed(2)} MB), trained 1 epoch with its baselines: ${m.seconds.toFixed(1)} s, ` +
      `peak RSS ${m.peakMb.toFixed(0)} MB (baseline ${m.baselineMb.toFixed(0)} MB, +${over.toFixed(0)} MB = ${(over / m.dataMb!).toFixed(2)}x the data)   goal +${goalMb.toFixed(0)} MB: ${over <= goalMb ? 'PASS' : 'FAIL'}` +
      (m.residentGrowth ? `; resident at the end over the baseline: private +${m.residentGrowth.anonMb.toFixed(0)} MB, mapped files (TensorFlow's code) +${m.residentGrowth.fileMb.toFixed(0)} MB` : ''));
  }
  if (runs > 1) console.log(`digits-parity: median +${[...used].sort((a, b) => a - b)[Math.floor(runs / 2)]!.toFixed(0)} MB over ${runs} runs (${used.map((u) => `+${u.toFixed(0)}`).join(', ')}); load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

function main(): void {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-bench-data-'));
  try {
    const t0 = performance.now();
    const { file, doc } = writeWideExperiment(dir, rows);
    fs.writeFileSync(path.join(dir, 'wide.mtl.json'), JSON.stringify(doc));
    const fileMb = fs.statSync(file).size / MB;
    const dataMb = (rows * COLUMNS.length * 4) / MB;
    const modelMb = (countParams(doc as unknown as ExperimentSpec).total * 4) / MB;
    const goalMb = 2 * dataMb + modelMb;
    console.log(`${rows.toLocaleString('en-US')} rows x ${COLUMNS.length} columns: ${fileMb.toFixed(0)} MB of CSV (written in ${((performance.now() - t0) / 1000).toFixed(1)} s); ` +
      `float32 size ${dataMb.toFixed(0)} MB, model ${modelMb.toFixed(3)} MB; goal: peak - baseline <= ${goalMb.toFixed(0)} MB; trainer flags: ${TRAINER_NODE_FLAGS.join(' ')}`);
    const over: string[] = [];
    for (const phase of ['load', 'preview', 'train'] as const) {
      const out = execFileSync(process.execPath, [...TRAINER_NODE_FLAGS, __filename, '--measure', phase, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const m = JSON.parse(out.trim().split('\n').pop() as string) as Measure;
      const used = m.peakMb - m.baselineMb;
      if (used > goalMb) over.push(phase);
      console.log(`  ${m.phase.padEnd(8)} ${m.seconds.toFixed(1).padStart(6)} s   peak RSS ${m.peakMb.toFixed(0).padStart(5)} MB ` +
        `(baseline ${m.baselineMb.toFixed(0)} MB, +${used.toFixed(0)} MB = ${(used / dataMb).toFixed(2)}x the data)   goal +${goalMb.toFixed(0)} MB: ${used <= goalMb ? 'PASS' : 'FAIL'}`);
    }
    console.log(over.length === 0 ? 'Goal met in every phase.' : `Goal not met in: ${over.join(', ')}.`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  exampleFigures();
}

if (process.argv[2] === '--measure') {
  measure(process.argv[3] as Phase, process.argv[4] as string).catch((err: unknown) => { console.error(err); process.exit(1); });
} else if (process.argv[2] === '--example') {
  exampleFigures(Number(process.argv[3] ?? 3));
} else {
  main();
}
