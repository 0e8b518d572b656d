// `npm run bench:conflict`: what measuring gradient conflict (evaluation.conflict, core/conflict.ts)
// costs on the digits-parity reference workload, as a share of training time, at the default
// interval and a few others. Goal (issue 14): under 10 % at the default. The cost of a step
// and of a measurement are timed apart (CPU time, all threads) and the share computed from
// them: differences of whole-epoch times swung by ±30 % on the shared machine. The measurement
// timed is the one training runs on this workload: the fused graph's session run
// (graph/conflictGramians.ts; until 2026-12-01 this bench timed the tape's, insight/conflict.ts,
// which the loop runs only with dropout or batch normalisation). Prints figures, asserts nothing.
// `npm run bench` prints the default interval's line (conflictCostAtDefault).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { analyzeGraph } from '../src/core/graph';
import { CONFLICT_DEFAULT_EVERY } from '../src/core/conflict';
import type { ExperimentSpec } from '../src/core/spec';
import { loadBackend } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { logitLayerIds, makeHeads } from '../src/trainer/heads';
import { trainLoop } from '../src/trainer/loop';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { oneDnnFor } from '../src/trainer/oneDnn';
import { ConflictMeter } from '../src/trainer/insight/conflict';
import { compileGraphStep } from '../src/trainer/graph/graphStep';
import type { LoopSetup } from '../src/trainer/loopSetup';
import { SeededRandom } from '../src/core/random';
import { shuffleRows } from '../src/trainer/batches';
import { randomDataset, referenceSpec } from './referenceWorkload';

const SAMPLES = 25_600;
const BATCH = 32;

/** The bench's setup: the reference workload at batch 32 on native TensorFlow, as the trainer loads it. */
async function setup(every: number): Promise<LoopSetup> {
  const s: ExperimentSpec = referenceSpec(BATCH, 1);
  s.evaluation = { ...s.evaluation, conflict: { every } };
  const b = await loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(s), oneDnn: oneDnnFor(s) });
  const tf = b.tf;
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 42);
  const forward = makeForward(tf, s, built, topo, { logitLayers: logitLayerIds(heads), seed: 1 });
  const train = toDevice(tf, s, heads, randomDataset(SAMPLES));
  const validation = toDevice(tf, s, heads, randomDataset(64, 9));
  return { tf, backend: b.name, spec: s, built, forward, heads, topo, train, validation, epochs: 1,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } };
}

const cpuSeconds = (start: NodeJS.CpuUsage) => { const cpu = process.cpuUsage(start); return (cpu.user + cpu.system) / 1e6; };

/** A training step's CPU time without the measurement: the best of 5 epochs (after one), over its steps. */
async function stepCpu(s: LoopSetup): Promise<{ seconds: number; steps: number; path: string }> {
  let r = await trainLoop(s);
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const start = process.cpuUsage();
    r = await trainLoop(s);
    best = Math.min(best, cpuSeconds(start));
  }
  return { seconds: best / r.steps, steps: r.steps, path: r.stepPath };
}

/**
 * One measurement's CPU time as the loop takes it on the fused graph (loop.ts: the session's
 * Gramians, graph/conflictGramians.ts, then the points from them), each on the next batch of a
 * shuffled epoch: the process's first (its first session run of that fetch set) and the best of
 * 40 after 5 warm-ups (a minimum of many short timings is steadier than the difference of two
 * epoch times on a machine shared with other work). Runs before any step, as at step 0.
 */
function measurementCpu(s: LoopSetup): { first: number; steady: number } {
  const meter = new ConflictMeter(s, CONFLICT_DEFAULT_EVERY);
  const step = compileGraphStep(s.tf, s.spec, s.built, s.heads, s.topo, [], new Set(s.train.coded?.keys()), undefined, meter.blockIds);
  if (!step.measureConflict) throw new Error('the fused graph does not measure conflict on the reference workload');
  step.bind(s.train.x, s.train.targets, s.train.coded);
  const order = new Int32Array(s.train.n).map((_, i) => i);
  shuffleRows(order, new SeededRandom(5));
  const rows = (k: number) => order.subarray(k * BATCH, (k + 1) * BATCH);
  let first = 0;
  let steady = Infinity;
  for (let k = 0; k < 46; k++) {
    const start = process.cpuUsage();
    meter.fromGramians(k * CONFLICT_DEFAULT_EVERY, 1, step.measureConflict(rows(k)));
    const seconds = cpuSeconds(start);
    if (k === 0) first = seconds;
    if (k > 5) steady = Math.min(steady, seconds);
  }
  step.dispose();
  return { first, steady };
}

/** The figures of one run: a training step's and one measurement's CPU time (seconds; `first`: the process's first measurement). */
export interface ConflictCost { step: number; measurement: number; first: number; steps: number; path: string }

async function measureCost(): Promise<ConflictCost> {
  // The first measurement first: at step 0 a run measures before its first step.
  const s = await setup(0);
  const m = measurementCpu(s);
  const off = await stepCpu(s);
  s.built.model.dispose();
  return { step: off.seconds, measurement: m.steady, first: m.first, steps: off.steps, path: off.path };
}

/** Measurement time over the training time of `every` steps: the share the measurement adds. */
export const conflictOverhead = (c: Pick<ConflictCost, 'step' | 'measurement'>, every: number): number => c.measurement / (every * c.step);

function overheadLine(c: ConflictCost, every: number): string {
  const overhead = conflictOverhead(c, every);
  const tag = every === CONFLICT_DEFAULT_EVERY ? ' (default)' : '';
  return `  every ${String(every).padStart(3)}${tag.padEnd(10)} overhead ${(100 * overhead).toFixed(1)} %${every === CONFLICT_DEFAULT_EVERY ? `  goal < 10 %: ${overhead < 0.1 ? 'PASS' : 'FAIL'}` : ''}`;
}

const SELF = path.join(__dirname, 'conflictCost.js');

/**
 * `npm run bench`'s line: the overhead at the default interval, measured in a fresh process
 * (its own TensorFlow threads, as the other figures of the bench) on the dense workload only.
 */
export function conflictCostAtDefault(): void {
  console.log(`
Gradient-conflict measurement (evaluation.conflict), dense reference workload, batch ${BATCH} (all intervals: npm run bench:conflict):`);
  const r = spawnSync(process.execPath, [SELF, '--json'], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  let c: ConflictCost;
  try {
    c = JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as ConflictCost;
  } catch {
    console.log(`  no figure (${(r.stderr || r.stdout || '').trim().split('\n').pop() ?? 'no output'})`);
    return;
  }
  console.log(`  step ${(c.step * 1e3).toFixed(3)} ms, one measurement ${(c.measurement * 1e3).toFixed(3)} ms, the process's first ${(c.first * 1e3).toFixed(1)} ms (CPU time)`);
  console.log(overheadLine(c, CONFLICT_DEFAULT_EVERY));
}

async function main(): Promise<void> {
  const c = await measureCost();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(c));
    return;
  }
  console.log(`\nGradient-conflict measurement cost (digits-parity reference workload, batch ${BATCH}, native TensorFlow, CPU time):`);
  console.log(`  training step ${(c.step * 1e3).toFixed(3)} ms (best of 5 epochs of ${c.steps} steps, ${c.path}); one measurement ${(c.measurement * 1e3).toFixed(3)} ms (best of 40) = ${(c.measurement / c.step).toFixed(1)} steps; the process's first ${(c.first * 1e3).toFixed(1)} ms`);
  for (const every of [50, 100, CONFLICT_DEFAULT_EVERY, 400]) console.log(overheadLine(c, every));
}

// Also bundled into trainSpeed.js (for conflictCostAtDefault): only the bench's own file runs main.
if (require.main === module && path.basename(__filename) === 'conflictCost.js') void main();
