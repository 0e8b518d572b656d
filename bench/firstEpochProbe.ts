// Where the dense reference workload's run goes outside its steady steps, as the bench runs it
// (a fresh process, the trainer's thread and oneDNN choice, 20,000 samples x 3 epochs, cold):
// every TensorFlow session call that is not a plain step (graph load, set, the first step,
// evaluation runs, weights read back, loss read-backs), the eager ops (a conflict measurement's
// tape) and the JavaScript between them, in order, with CPU and wall time. Prints figures; asserts nothing.
// `node --max-semi-space-size=4 out/bench/firstEpochProbe.js [batch=256] [--sequence] [--conflict] [--gaps] [--natives] [--dump=DIR]
//   [--workload=dense|cnn|lstm|...] [--weighting=METHOD[:MODE]] [--epochs=N]`
// --workload, --weighting, --epochs: another workload (bench/workloads.ts), weighting method (and
// gradient mode) or number of epochs than the dense reference's (SGD, 3 epochs); the line
// 'first runs' sums each fetch set's first call (where Grappler runs: MTS_GRAPPLER to compare).
// --dump=DIR: the run's saved_model.pb and its fetch sets (DIR/calls.json) for bench/grappler_replay.py.
// --gaps: the JavaScript gaps by size and the largest with what ran around them; --natives: the
// binding's createTensor and deleteTensor (a step's row upload and frees) as kinds of their own.
// What the gaps held (2026-12-01, load 15-20): one of 17-27 ms before the graph load (the graph's
// first build, cold JavaScript: 15-19 ms of CPU against 5 ms for a later build in the process) and
// one of 0.1-0.5 ms between two steps, 0.15-0.25 ms a step in all; the same loop with the session
// runs stubbed out costs 70-100 µs a step: the rest is the same JavaScript run on caches the step
// just evicted. V8's sampling profilers (--cpu-prof, --prof) abort this process (glibc: free():
// invalid pointer in V8's parser); perf record with --perf-basic-prof works.
// (TF_NUM_INTRAOP_THREADS=2 in the environment overrides the trainer's thread choice.)
// With TF_CPP_MIN_LOG_LEVEL=0 TF_CPP_VMODULE=meta_optimizer=1, TensorFlow logs Grappler's passes:
// one per new fetch set, 4-19 ms each, about 65 ms of the run's 0.2 s outside the steady steps at
// batch 256 (2026-11-30); tfjs-node's default session options leave Grappler on. Under perf
// (2026-12-01, load 15) the run's first runs of fetch sets spent about 78 ms of CPU setting up
// executors, 63 of it in Grappler: its MLIR pipeline (tfg_optimizer: import, verify, shape
// inference, a new MLIRContext each time) 30, static shape inference for constant folding and
// the memory optimizer 10. (Since then our binding takes a session config: graph/sessionConfig.ts,
// MTS_GRAPPLER=on|no-mlir|fuse-only|off to compare.) No switch reached it then: tfjs-node opens the session with
// TF_NewSessionOptions() as they are, the SavedModel loader takes no config from the
// MetaGraphDef and meta_optimizer.cc reads no environment variable (TF_USE_SINGLE_THREAD_MLIR_CONTEXT=1
// changed nothing we could tell). Its share, the run's graph replayed in Python's TensorFlow 2.21
// with and without it (bench/grappler_replay.py on --dump's files, 3 rounds each, 2026-12-01
// 10:49-10:58, load 21-26), first runs in ms of CPU: set 20-26 against 12-14, conflict 41-45
// against 27-29, step 27-35 against 8-9, evaluation 15-19 against 4-5 (about 50 ms a run); the
// steady step the same either way. A function call carrying a ConfigProto with Grappler off
// (`config_proto` on a StatefulPartitionedCall, the body `_noinline`) does skip the body's
// Grappler, but the function runtime's own instantiation costs more than it saves: the first
// step of a dense step built that way took 41-43 ms of CPU against 21-30 for the same ops in the
// session's graph (Grappler on inside: 59-75; bench/function_config_probe.py, 2 rounds, same
// minutes), steady steps alike: not done. What is left is fewer fetch sets: four a dense run (set,
// conflict, step, and the epoch end's evaluation with the weights and metric sums: graph/epochEndReads.ts).
// The process's first matrix product JIT-compiles oneDNN's sgemm kernels (TensorFlow's Eigen
// contraction calls dnnl_sgemm with oneDNN's ops off too): 24 kernels, 16 of them the whole table
// of avx512_common_gemm_f32 at once (ONEDNN_JIT_DUMP=1 writes them out), 30-40 ms of CPU inside
// the first run that multiplies (the conflict measurement's, or step 1), whatever the graph.
// Keras' fit pays the same in its clock; PyTorch's sgemm (MKL) is compiled ahead. Turned off
// (TENSORFLOW_USE_CUSTOM_CONTRACTION_KERNEL=false: Eigen's own kernels) the steady steps were
// 5-30 % slower; ONEDNN_MAX_CPU_ISA=AVX2 compiles 16 AVX kernels instead and the run was no
// cheaper (2026-12-01, interleaved, load 12-16).
// Compiling them on a worker thread instead (worker_threads loading tfjs-node's binding alone and
// multiplying 2x2 matrices while the main thread loads the data; 2026-12-01, load 15-30, five
// alternating rounds) took the conflict measurement's first call from 39.5-46.0 to 24.9-33.9 ms of
// CPU (medians 44.0 and 28.6), but the worker's own Node start cost about 70 ms of CPU (bench/startup.ts:
// 'data loaded' 0.17-0.20 s against 0.25-0.27) and 9-10 MB of peak memory that did not come back
// (digits-parity +63 MB over the TensorFlow-loaded baseline against +53-54: over its +60 goal), so it
// is not done. What a warm process saves, measured by running things before the timed run: a 3-node
// session with a MatMul saved 21 ms (12-14 the sgemm compilation, 5 the first session run's set-up);
// a whole training run of another graph saved no more (23 ms): step 1 still cost 20 ms and the loop's
// JavaScript 53-56 ms against 55-57, so the rest is per graph (Grappler and executors) and per step.
// The first graph build's JavaScript is 11-13 ms of CPU against 1.5 ms once V8 has optimised it, and
// a code cache (codeCache.ts) keeps bytecode only, so it does not reach the timed run.
import fs from 'node:fs';
import path from 'node:path';
import { trainLoop } from '../src/trainer/loop';
import { probeSetup } from './probeSetup';
import { withConflict, workload } from './workloads';

type Call = (...a: unknown[]) => unknown;
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const wall = () => Number(process.hrtime.bigint()) / 1e6;

async function main(): Promise<void> {
  const batch = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 256);
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const w = workload(arg('workload') ?? 'dense');
  const epochs = Number(arg('epochs') ?? w.epochs);
  const [method, mode] = arg('weighting')?.split(':') ?? [];
  const spec0 = w.spec(batch, epochs);
  const base: typeof spec0 = method ? { ...spec0, training: { ...spec0.training, weighting: { method, ...(mode ? { mode } : {}) } as typeof spec0.training.weighting } } : spec0;
  // --conflict: with the gradient-conflict measurement at its default interval, as a user's run
  // (the workload, as the bench times it, has none: bench/workloads.ts withoutConflict).
  const spec = process.argv.includes('--conflict') ? withConflict(base) : base;
  const { tf, threads, topo, heads, built, forward, validation, train } = await probeSetup(w, spec);
  const backend = tf.backend() as unknown as Record<string, Call> & { binding: Record<string, Call> };
  const rows: Array<[string, number, number]> = [];
  let mark = { c: cpu(), w: wall() };
  const charge = (what: string) => { const now = { c: cpu(), w: wall() }; rows.push([what, now.c - mark.c, now.w - mark.w]); mark = now; };
  let steps = 0;
  let eager = 0;
  const flushEager = () => { if (eager) { charge(`eager ops x${eager}`); eager = 0; } };
  // Session runs are counted at the binding, where both tfjs-node's runSavedModel and the step's
  // prepared run (graph/preparedRun.ts) call them; the binding is read-only: the backend gets a proxy.
  const binding = backend.binding;
  const wrappedBinding = new Map<string, Call>();
  const dump = process.argv.find((a) => a.startsWith('--dump='))?.slice('--dump='.length);
  const fetchSets = new Map<string, { feeds: string; fetches: string; n: number }>();
  /** Each fetch set's first call: its CPU ms. */
  const firstRuns = new Map<string, number>();
  const natives = process.argv.includes('--natives') ? ['createTensor', 'deleteTensor'] : [];
  // A graph opens through the binding's loadSavedModelWithConfig where it has one (Grappler off,
  // graph/session.ts), else through the backend's loadSavedModelMetaGraph: both are graph loads.
  const loads = ['loadSavedModelMetaGraph', ...(typeof binding.loadSavedModelWithConfig === 'function' ? ['loadSavedModelWithConfig'] : [])];
  for (const name of ['runSavedModel', ...loads, 'executeOp', ...natives]) {
    const target = name === 'loadSavedModelMetaGraph' ? backend : binding;
    const orig = target[name]!.bind(target);
    const wrapped: Call = (...a) => {
      if (natives.includes(name)) {
        flushEager();
        charge('JavaScript');
        const r = orig(...a);
        charge(name);
        return r;
      }
      if (name === 'executeOp') {
        if (!eager) charge('JavaScript');
        eager++;
        return orig(...a);
      }
      flushEager();
      charge('JavaScript');
      if (dump && loads.includes(name)) fs.copyFileSync(path.join(String(a[0]), 'saved_model.pb'), path.join(dump, 'saved_model.pb'));
      if (dump && name === 'runSavedModel') {
        const key = `${String(a[2])}|${String(a[3])}`;
        const set = fetchSets.get(key) ?? { feeds: String(a[2]), fetches: String(a[3]), n: 0 };
        set.n++;
        fetchSets.set(key, set);
      }
      const key = `${String(a[0])}|${String(a[2])}|${String(a[3])}`;
      const first = name === 'runSavedModel' && !firstRuns.has(key);
      const c0 = cpu();
      const r = orig(...a);
      if (first) firstRuns.set(key, cpu() - c0);
      const fetch = name === 'runSavedModel' ? String(a[3]).split(',')[0]! : 'graph load';
      if (fetch.startsWith('step_done')) steps++;
      const what = fetch.startsWith('step_done') ? (steps <= 2 ? `step ${steps}` : 'steps') : fetch;
      charge(what);
      return r;
    };
    if (target === binding) wrappedBinding.set(name, wrapped);
    else target[name] = wrapped;
  }
  backend.binding = new Proxy({} as Record<string, Call>, { get: (_, k) => wrappedBinding.get(k as string) ?? Reflect.get(binding, k) });
  let epoch = 0;
  const events = { progress: () => undefined, epochEnd: () => { flushEager(); charge(`JavaScript (epoch ${++epoch} end)`); }, cancelled: () => false };
  const start = { c: cpu(), w: wall() };
  mark = { ...start };
  const result = await trainLoop({ tf, backend: 'tensorflow', spec, built, forward, heads, topo, train, validation, epochs, phase: { kind: 'shared' }, events, fusedGraph: true });
  flushEager();
  charge('JavaScript');
  if (dump) fs.writeFileSync(path.join(dump, 'calls.json'), JSON.stringify([...fetchSets.values()], null, 1));
  const total = { c: cpu() - start.c, w: wall() - start.w };
  // Consecutive rows of the same kind merged (the steady steps, the JavaScript between them).
  const merged: Array<[string, number, number, number]> = [];
  for (const [what, c, wl] of rows) {
    const last = merged[merged.length - 1];
    if (last && last[0] === what) { last[1] += c; last[2] += wl; last[3]++; } else merged.push([what, c, wl, 1]);
  }
  const sums = new Map<string, [number, number, number]>();
  for (const [what, c, wl] of rows) { const s = sums.get(what) ?? [0, 0, 0]; s[0] += c; s[1] += wl; s[2]++; sums.set(what, s); }
  console.log(`${w.id}${method ? ` ${method}${mode ? `:${mode}` : ''}` : ''}, batch ${batch}, ${epochs} epoch(s), ${threads} thread(s), ${result.stepPath}, ${result.steps} steps: ${total.c.toFixed(0)} ms CPU, ${total.w.toFixed(0)} ms wall, ${Math.round((w.samples * epochs) / (total.w / 1000))} samples/s`);
  // What a second thread can speed up (the steady steps) against what it cannot (the rest: first
  // runs, evaluation, read-backs, the loop's JavaScript); threads.ts says what that split showed.
  const steady = sums.get('steps') ?? [0, 0, 0];
  console.log(`steady steps: ${steady[0].toFixed(0)} ms CPU, ${steady[1].toFixed(0)} ms wall (CPU/wall ${(steady[0] / steady[1]).toFixed(2)}); the rest: ${(total.c - steady[0]).toFixed(0)} ms CPU, ${(total.w - steady[1]).toFixed(0)} ms wall`);
  const firsts = [...firstRuns.values()];
  console.log(`first runs: ${firsts.reduce((a, b) => a + b, 0).toFixed(1)} ms CPU over ${firsts.length} fetch sets; steady step: ${(steady[0] / Math.max(1, steady[2])).toFixed(3)} ms CPU (${steady[2]} steps); ${process.env.MTS_GRAPPLER ? `MTS_GRAPPLER=${process.env.MTS_GRAPPLER}` : 'Grappler chosen per graph'}`);
  console.log('by kind (CPU ms / wall ms / calls):');
  for (const [what, [c, wl, n]] of [...sums].sort((a, b) => b[1][0] - a[1][0])) console.log(`  ${what.padEnd(40)} ${c.toFixed(1).padStart(7)} ${wl.toFixed(1).padStart(7)} ${String(n).padStart(5)}`);
  if (process.argv.includes('--gaps')) {
    // The JavaScript gaps one by one: how many of each size, and the largest with what ran before and after.
    const gaps = rows.flatMap(([what, c, wl], k) => (what === 'JavaScript' ? [{ c, wl, before: rows[k - 1]?.[0] ?? 'start', after: rows[k + 1]?.[0] ?? 'end' }] : []));
    const bins = [0.1, 0.2, 0.3, 0.5, 1, 2, 5, Infinity];
    console.log('JavaScript gaps by CPU ms (up to: count, CPU ms):');
    let from = 0;
    for (const to of bins) {
      const inBin = gaps.filter((g) => g.c > from && g.c <= to || (from === 0 && g.c <= 0));
      console.log(`  <= ${String(to).padEnd(8)} ${String(inBin.length).padStart(5)} ${inBin.reduce((a, g) => a + g.c, 0).toFixed(1).padStart(7)}`);
      from = to;
    }
    for (const g of [...gaps].sort((a, b) => b.c - a.c).slice(0, 8)) console.log(`  ${g.c.toFixed(1).padStart(6)} CPU ${g.wl.toFixed(1).padStart(6)} wall  between ${g.before} and ${g.after}`);
  }
  if (process.argv.includes('--sequence')) for (const [what, c, wl, n] of merged) if (c + wl > 2) console.log(`  ${what.padEnd(40)} ${c.toFixed(1).padStart(7)} ${wl.toFixed(1).padStart(7)} x${n}`);
}

void main();
