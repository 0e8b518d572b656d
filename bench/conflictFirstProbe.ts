// Probe (not a bench): the process's first conflict measurement and first step on the fused graph,
// in either order: how much of the first measurement's cost the step would pay anyway.
// `node out/bench/conflictFirstProbe.js measure-first|step-first`
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
