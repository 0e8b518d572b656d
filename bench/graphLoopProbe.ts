// Where the training loop's time goes around the fused graph step: the real loop (trainLoop)
// on the dense reference workload, as the bench runs it (20,000 samples, 3 epochs, a token
// validation split of 64 rows, conflict measured at its default interval), with CPU time of
// the process (TensorFlow's threads included) split by what ran: the step's session runs, the
// JavaScript between two steps (plain, and at a report), the conflict measurements (with the
// weights' read-back before them), the per-phase graph set-up (write, load, set weights, first
// run) and the epoch ends (weights' read-back and evaluation). CPU time, not wall: the machine
// is shared. Prints figures; asserts nothing.
// `node --max-semi-space-size=4 out/bench/graphLoopProbe.js [batch=32] [rounds=3] [--skip-steps]`
import fs from 'node:fs';
import { disposeSplit } from '../src/trainer/deviceData';
import { trainLoop } from '../src/trainer/loop';
import { probeSetup } from './probeSetup';
import { workload } from './workloads';

type Call = (...a: unknown[]) => unknown;
const AFTER_SYNC = 'after a read-back of the weights';
const cpu = () => { const c = process.cpuUsage(); return c.user + c.system; };
/** The main thread's CPU time in µs (Linux schedstat, ns), where JavaScript runs: the rest is TensorFlow's threads. */
const schedstat = fs.openSync('/proc/thread-self/schedstat', 'r');
const statBuffer = Buffer.alloc(128);
const mainCpu = () => { const n = fs.readSync(schedstat, statBuffer, 0, 128, 0); return Number(statBuffer.toString('latin1', 0, n).split(' ')[0]) / 1000; };

/** What each µs of CPU was spent on, in one run of the loop. */
class Ledger {
  readonly parts = new Map<string, { all: number; main: number }>();
  steps = 0;
  add(part: string, all: number, main: number): void {
    const p = this.parts.get(part) ?? this.parts.set(part, { all: 0, main: 0 }).get(part)!;
    p.all += all;
    p.main += main;
  }
}

async function main(): Promise<void> {
  const batch = Number(process.argv[2] ?? 32);
  const rounds = Number(process.argv[3] ?? 3);
  const skipSteps = process.argv.includes('--skip-steps');
  const w = workload('dense');
  const spec = w.spec(batch, w.epochs);
  const { tf, threads, topo, heads, built, forward, validation, train } = await probeSetup(w, spec);

  // The session's calls, told apart by what they fetch: a step fetches the losses. Counted at the
  // binding, where tfjs-node's runSavedModel and the step's prepared run (graph/preparedRun.ts)
  // both call them; the binding is read-only: the backend gets a proxy.
  const backend = tf.backend() as unknown as Record<'loadSavedModelMetaGraph', Call> & { binding: Record<string, Call> };
  const binding = backend.binding;
  const run = binding.runSavedModel!.bind(binding);
  const load = backend.loadSavedModelMetaGraph.bind(backend);
  let ledger = new Ledger();
  /** The part the CPU since `mark` is charged to when the next session run starts. */
  let between = 'set-up';
  let mark = { all: cpu(), main: mainCpu() };
  const charge = (part: string) => { const now = { all: cpu(), main: mainCpu() }; ledger.add(part, now.all - mark.all, now.main - mark.main); mark = now; };
  backend.loadSavedModelMetaGraph = (...a) => { charge(between); const r = load(...a); charge('set-up: graph load'); return r; };
  const runSavedModel: Call = (...a) => {
    const f = String(a[3]).split(',')[0]!;
    const kind = f.startsWith('loss_sums/') ? 'report' : f.startsWith('step_done') || f.startsWith('loss_') ? 'step' : f.startsWith('get/') ? 'get' : 'set';
    // After a read-back of the weights, a step comes after a conflict measurement (an epoch end comes with its event).
    charge(between === AFTER_SYNC ? (kind === 'step' ? 'conflict measurement (batch, tape gradients)' : 'epoch end: evaluation') : between);
    // --skip-steps: the loop's own cost alone (the steps' session runs skipped; nothing trains).
    const r = kind === 'step' && skipSteps && ledger.steps > 0 ? [] : run(...a);
    if (kind === 'step') {
      ledger.steps++;
      // The first run of a session optimises the graph (Grappler): a set-up cost.
      charge(ledger.steps === 1 ? 'set-up: first step' : 'step: session run');
      between = 'step: loop between steps';
    } else if (kind === 'report') {
      charge('step: report (loss read-back)');
    } else {
      charge(kind === 'get' ? 'weights read back (sync)' : 'set-up: weights set');
      between = kind === 'get' ? AFTER_SYNC : 'set-up';
    }
    return r;
  };
  backend.binding = new Proxy({} as Record<string, Call>, { get: (_, k) => (k === 'runSavedModel' ? runSavedModel : Reflect.get(binding, k)) });
  const backendAny = backend as unknown as Record<string, Call>;
  const disposeData = backendAny.disposeData!.bind(backend);
  backendAny.disposeData = (...a) => { if (between !== 'step: loop between steps') return disposeData(...a); charge(between); const r = disposeData(...a); charge('step: tensor dispose'); return r; };
  const events = {
    progress: () => { if (between === 'step: loop between steps') { charge(between); between = 'step: report'; } },
    epochEnd: () => { charge(between === AFTER_SYNC ? 'epoch end: evaluation' : between); between = 'after the epoch end'; },
    cancelled: () => false,
  };
  console.log(`dense reference workload, batch ${batch}, ${w.samples} samples x ${w.epochs} epochs, ${threads} TensorFlow thread(s); CPU time per run of the loop`);
  for (let r = 0; r < rounds; r++) {
    ledger = new Ledger();
    between = 'set-up';
    const start = cpu();
    mark = { all: start, main: mainCpu() };
    const result = await trainLoop({ tf, backend: 'tensorflow', spec, built, forward, heads, topo, train, validation, epochs: w.epochs, phase: { kind: 'shared' }, events });
    charge(between);
    const total = cpu() - start;
    const rows = [...ledger.parts].sort((a, b) => b[1].all - a[1].all)
      .map(([part, us]) => `${part} ${(us.all / 1000).toFixed(1)} ms (${((100 * us.all) / total).toFixed(0)} %, ${(us.all / ledger.steps).toFixed(0)} µs/step, main thread ${(us.main / ledger.steps).toFixed(0)})`);
    console.log(`round ${r + 1} (${result.stepPath}, ${ledger.steps} steps): ${(total / 1000).toFixed(0)} ms CPU, ${(total / ledger.steps).toFixed(0)} µs/step, ${((w.samples * w.epochs) / (total / 1e6)).toFixed(0)} samples/CPU s\n  ${rows.join('\n  ')}`);
  }
  disposeSplit(train);
  disposeSplit(validation);
}

void main();
