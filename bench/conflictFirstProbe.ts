// Probe (not a bench): the process's first conflict measurement and first step on the fused graph,
// in either order: how much of the first measurement's cost the step would pay anyway.
// `node out/bench/conflictFirstProbe.js measure-first|step-first [batch=32]`
// At batch 256 (2026-12-01 14:23-14:38, load 16-22, ms of CPU, first call + the other's first
// call, alternating rounds): measurement then step 54.6-85.9 + 30.9-52.7 in eight rounds, step then
// measurement 51.0-91.6 + 29.6-49.4 in eight: the measurement's own first-run set-up is about 24 ms
// over its steady 6-8, and neither order wins inside this noise (the sgemm compilation moves to
// whichever multiplies first). Folded into the step's run instead (one fetch set fetching the
// Gramians with the step's loss sums on measured steps, tried and not kept): the folded run's
// first call cost 73.4-112.5 and the plain step's first call after it 36.1-49.8 (four rounds,
// same minutes), no cheaper: a fetch set's set-up grows with its nodes, and the plain step's
// own set-up still comes at the next step.
import { analyzeGraph } from '../src/core/graph';
import { CONFLICT_DEFAULT_EVERY } from '../src/core/conflict';
import { loadBackend } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { makeHeads } from '../src/trainer/heads';
import { buildModel } from '../src/trainer/model/build';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { oneDnnFor } from '../src/trainer/oneDnn';
import { compileGraphStep } from '../src/trainer/graph/graphStep';
import { sharedBlocks } from '../src/trainer/insight/conflict';
import { randomDataset, referenceSpec } from './referenceWorkload';

async function main(): Promise<void> {
  const order = process.argv[2] ?? 'measure-first';
  const batch = Number(process.argv[3] ?? 32);
  const s = referenceSpec(batch, 1);
  s.evaluation = { ...s.evaluation, conflict: { every: CONFLICT_DEFAULT_EVERY } };
  const b = await loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(s), oneDnn: oneDnnFor(s) });
  const tf = b.tf;
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 42);
  const train = toDevice(tf, s, heads, randomDataset(4096));
  const step = compileGraphStep(tf, s, built, heads, topo, [], new Set(train.coded?.keys()), undefined, sharedBlocks({ spec: s, built }).map((x) => x.id));
  step.bind(train.x, train.targets, train.coded);
  const rows = (k: number) => Int32Array.from({ length: batch }, (_, i) => (k * batch + i) % 4096);
  const ms = (f: () => void) => { const t = process.cpuUsage(); f(); const c = process.cpuUsage(t); return ((c.user + c.system) / 1e3).toFixed(1); };
  const measure = (k: number) => ms(() => step.measureConflict!(rows(k)));
  const doStep = (k: number) => ms(() => step.step(rows(k), 0.01, [1, 1]));
  const out: string[] = [];
  if (order === 'measure-first') out.push(`measure ${measure(0)}`, `step ${doStep(0)}`, `step ${doStep(1)}`, `measure ${measure(2)}`);
  else out.push(`step ${doStep(0)}`, `step ${doStep(1)}`, `measure ${measure(2)}`, `measure ${measure(3)}`);
  console.log(`${order} batch ${batch}: ${out.join(', ')} ms CPU`);
  step.dispose();
}
void main();
