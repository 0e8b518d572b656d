// `npm run bench:conflict`: what measuring gradient conflict (evaluation.conflict, core/conflict.ts)
// costs on the digits-parity reference workload, as a share of training time, at the default
// interval and a few others. Goal (issue 14): under 10 % at the default. CPU time per epoch
// (all threads; steadier than wall time on a shared machine), best of five after a warm-up
// epoch, in this process; training without the measure runs first and last (the machine is shared). Prints figures, asserts nothing.
import { analyzeGraph } from '../src/core/graph';
import { CONFLICT_DEFAULT_EVERY } from '../src/core/conflict';
import type { ExperimentSpec } from '../src/core/spec';
import { loadBackend } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { makeHeads } from '../src/trainer/heads';
import { trainLoop } from '../src/trainer/loop';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { randomDataset, referenceSpec } from './referenceWorkload';

const SAMPLES = 25_600;
const BATCH = 32;

async function epochCpu(every: number): Promise<{ seconds: number; steps: number; path: string }> {
  const s: ExperimentSpec = referenceSpec(BATCH, 1);
  s.evaluation = { ...s.evaluation, conflict: { every } };
  const b = await loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(s) });
  const tf = b.tf;
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 42);
  const forward = makeForward(tf, s, built, topo, { logitLayers: new Set(heads.filter((h) => h.logits).map((h) => h.layerId)), seed: 1 });
  const train = toDevice(tf, s, heads, randomDataset(SAMPLES));
  const validation = toDevice(tf, s, heads, randomDataset(64, 9));
  const run = () => trainLoop({ tf, backend: b.name, spec: s, built, forward, heads, topo, train, validation, epochs: 1,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } });
  let r = await run();
  let best = Infinity;
  for (let k = 0; k < 5; k++) {
    const start = process.cpuUsage();
    r = await run();
    const cpu = process.cpuUsage(start);
    best = Math.min(best, (cpu.user + cpu.system) / 1e6);
  }
  built.model.dispose();
  return { seconds: best, steps: r.steps, path: r.stepPath };
}

async function main(): Promise<void> {
  const first = await epochCpu(0);
  console.log(`\nGradient-conflict measurement cost (digits-parity reference workload, ${SAMPLES} samples, batch ${BATCH}, native TensorFlow; CPU time per epoch, best of 5; off measured first and last, the lower kept):`);
  const intervals = [50, 100, CONFLICT_DEFAULT_EVERY, 400];
  const on = [];
  for (const every of intervals) on.push(await epochCpu(every));
  const last = await epochCpu(0);
  const off = first.seconds <= last.seconds ? first : last;
  console.log(`  off: ${off.seconds.toFixed(3)} s per epoch of ${off.steps} steps (${off.path}; first ${first.seconds.toFixed(3)}, last ${last.seconds.toFixed(3)})`);
  for (const [k, every] of intervals.entries()) {
    const overhead = on[k]!.seconds / off.seconds - 1;
    const tag = every === CONFLICT_DEFAULT_EVERY ? ' (default)' : '';
    console.log(`  every ${String(every).padStart(3)}${tag.padEnd(10)} ${on[k]!.seconds.toFixed(3)} s, overhead ${(100 * overhead).toFixed(1)} %${every === CONFLICT_DEFAULT_EVERY ? `  goal < 10 %: ${overhead < 0.1 ? 'PASS' : 'FAIL'}` : ''}`);
  }
}

void main();
