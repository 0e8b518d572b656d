// `npm run bench` (part): the time of one training step under each task-weighting method,
// relative to equal weighting, on the reference workload with 2 and 4 tasks (4: the digit
// and parity heads twice). Gradient methods in both modes. Goals (issue 10): a gradient
// method on the shared parameters at most (tasks + 0.5) times equal weighting, on the shared
// representation at most 1.5 times. Equal weighting runs as the product runs it (the
// compiled step on native TensorFlow). Each method runs in its own process, one after
// another; prints figures, asserts nothing.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { analyzeGraph } from '../src/core/graph';
import type { ExperimentSpec } from '../src/core/spec';
import { WEIGHTING_METHODS } from '../src/core/weighting/registry';
import type { GradientMode } from '../src/core/weighting/method';
import { loadBackend } from '../src/trainer/backend';
import { toDevice } from '../src/trainer/deviceData';
import { makeHeads } from '../src/trainer/heads';
import { trainLoop } from '../src/trainer/loop';
import { buildModel } from '../src/trainer/model/build';
import { makeForward } from '../src/trainer/model/forward';
import { intraOpThreadsFor } from '../src/trainer/threads';
import { randomDataset, referenceSpec } from './referenceWorkload';

const SAMPLES = 6_400;
const BATCH = 32;

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

/**
 * CPU seconds per step (all threads; steadier than wall time on a shared machine), the best
 * of three epochs after a warm-up epoch, in this process.
 */
async function measure(tasks: 2 | 4, method: string, mode?: GradientMode): Promise<{ perStep: number; path: string }> {
  const s = spec(tasks, method, mode);
  const b = await loadBackend('tensorflow', { intraOpThreads: intraOpThreadsFor(s) });
  const tf = b.tf;
  const topo = analyzeGraph(s).order;
  const heads = makeHeads(tf, s);
  const built = buildModel(tf, s, topo, 42);
  const forward = makeForward(tf, s, built, topo, { logitLayers: new Set(heads.filter((h) => h.logits).map((h) => h.layerId)), seed: 1 });
  const withCopies = (d: ReturnType<typeof randomDataset>) => ({ ...d, targets: { ...d.targets, label2: d.targets.label!, parity2: d.targets.parity! } });
  const train = toDevice(tf, s, heads, withCopies(randomDataset(SAMPLES)));
  const validation = toDevice(tf, s, heads, withCopies(randomDataset(64, 9)));
  const run = () => trainLoop({ tf, backend: b.name, spec: s, built, forward, heads, topo, train, validation, epochs: 1,
    phase: { kind: 'shared' }, events: { progress: () => undefined, epochEnd: () => undefined, cancelled: () => false } });
  let r = await run();
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const start = process.cpuUsage();
    r = await run();
    const cpu = process.cpuUsage(start);
    best = Math.min(best, (cpu.user + cpu.system) / 1e6 / r.steps);
  }
  return { perStep: best, path: r.stepPath };
}

/** This file's own bundle: trainSpeed.js bundles this module too, but each child runs this one. */
const SELF = path.join(__dirname, 'weightingCost.js');

function child(tasks: number, method: string, mode = ''): { perStep: number; path: string } | string {
  const r = spawnSync(process.execPath, [SELF, '--one', String(tasks), method, mode], { encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as { perStep: number; path: string };
  } catch {
    return (r.stderr || r.stdout || '').trim().split('\n').pop() ?? 'no output';
  }
}

export function weightingCostTable(): void {
  console.log(`\nPer-method step cost (reference workload, batch ${BATCH}, ${SAMPLES} samples, native TensorFlow), relative to equal weighting (CPU time per step, best of 3 epochs):`);
  const equal = { 2: child(2, 'equal'), 4: child(4, 'equal') };
  console.log(`  equal: ${[2, 4].map((t) => { const e = equal[t as 2 | 4]; return typeof e === 'string' ? `${t} tasks failed (${e})` : `${t} tasks ${(e.perStep * 1e3).toFixed(3)} ms/step (${e.path})`; }).join(', ')}`);
  console.log(`  ${'method'.padEnd(30)} ${'2 tasks'.padStart(8)} ${'4 tasks'.padStart(8)}  goal        verdict  path`);
  for (const m of WEIGHTING_METHODS) {
    const d = m.description;
    if (d.id === 'equal') continue;
    for (const mode of d.family === 'gradient' ? ['parameters', 'representation'] as const : [undefined]) {
      const cells: string[] = [];
      const verdicts: string[] = [];
      let path = '';
      for (const tasks of [2, 4] as const) {
        const e = equal[tasks];
        const f = child(tasks, d.id, mode);
        if (typeof e === 'string' || typeof f === 'string') { cells.push('failed'.padStart(8)); path = typeof f === 'string' ? f : path; continue; }
        const ratio = f.perStep / e.perStep;
        cells.push(`${ratio.toFixed(2)}x`.padStart(8));
        path = f.path;
        const goal = d.family === 'loss' ? undefined : mode === 'parameters' ? tasks + 0.5 : 1.5;
        if (goal !== undefined) verdicts.push(ratio <= goal ? 'PASS' : 'FAIL');
      }
      const goal = d.family === 'loss' ? '-' : mode === 'parameters' ? '<= T+0.5' : '<= 1.5';
      const verdict = verdicts.length ? (verdicts.every((v) => v === 'PASS') ? 'PASS' : 'FAIL') : '-';
      console.log(`  ${`${d.id}${mode ? ` (${mode})` : ''}`.padEnd(30)} ${cells.join(' ')}  ${goal.padEnd(10)}  ${verdict.padEnd(7)}  ${path}`);
    }
  }
}

const isEntry = require.main === module && path.basename(__filename) === 'weightingCost.js';
if (isEntry && process.argv[2] === '--one') {
  const [, , , tasks, method, mode] = process.argv;
  void measure(Number(tasks) as 2 | 4, method!, (mode || undefined) as GradientMode | undefined).then((r) => console.log(JSON.stringify(r)));
} else if (isEntry) {
  weightingCostTable();
}
