// TensorFlow's intra-op thread pool: handing a small op to another thread costs more
// than the op (measured on 2 cores: 27 µs per op with the default pool, 9 µs with one
// thread, and whole training steps 20-40 % faster for the reference MLP at batch 32 and
// 256). Large steps (big convolutions, wide layers) still gain from the pool.
// Why the fused dense step at batch 256 is slower on two threads (bench/sessionConfigProbe.ts,
// 2026-11-30): oneDNN runs a matrix product smaller than the L2 cache (1 MiB here: every product
// of the step but the first layer's forward) on one thread anyway, and hands the rest to the
// pool while the calling thread waits (TF_ONEDNN_THREADPOOL_USE_CALLER_THREAD=1 lets the caller
// take a share: 1.77 ms a step against 1.88 without, and 1.44-1.62 on one thread, with twice the
// CPU). PyTorch gains 5-10 % from its second thread on this machine.
import { analyzeGraph } from '../core/graph';
import { countParams } from '../core/params';
import { inferShapes } from '../core/shapes';
import type { ExperimentSpec, LayerSpec } from '../core/spec';
import { weightingMethod } from '../core/weighting/registry';

/**
 * Above this many multiply-adds per training step the default pool is kept. The dense reference
 * at batch 256 (8.4e7) stays on one thread: two ran its steady steps 20-25 % faster by wall, but
 * Eigen's pool spins between the step's small ops (1.9x the wall time in CPU; tfjs-node gives no
 * session option to stop it) and about 0.2 s of a run (first session runs, read-backs, the loop's
 * JavaScript) gains nothing: whole runs 105,000 against 90,000 samples/s by median for 35 % more
 * CPU, slower in 7 of 19 rounds, and much slower with another process on a core or at batch 32
 * (bench/firstEpochProbe.ts and trainSpeed.js --one, threads 1 and 2 alternating, 2026-11-30).
 */
const SINGLE_THREAD_LIMIT = 2e8;
/**
 * Above this many multiply-adds of convolutions per training step the pool is kept too: oneDNN
 * splits a convolution over the batch and its output positions, where it keeps a matrix product
 * smaller than L2 on one thread. The bench's CNN (bench/workloads.ts `cnn`, 1.3 million
 * convolution multiply-adds an example), a 2,048-sample epoch with its evaluation on two threads
 * against one (trainSpeed.js --one, rounds interleaved, SCHED_FIFO as on an idle machine,
 * 2026-11-30, load 16-19): batch 32 (1.3e8 a step) 0.34-0.37 s against 0.47-0.53 by wall for
 * 0.59-0.64 s of CPU against 0.49-0.54 (Keras' fit 0.41 s; while another process held a core,
 * 0.45-0.50 s against 0.47-0.55 for 0.78-0.86 s of CPU); batch 16 0.42-0.45 s against 0.54-0.58
 * for a third more CPU; batch 8 (3.2e7) 0.51 against 0.55 s for 60 % more CPU.
 */
const CONV_POOL_LIMIT = 1e8;

/**
 * Multiply-adds of one forward pass per example: a weight is used once per output position.
 * `oneTimeStep`: a recurrent layer's counted for one of its steps (what one of its products holds);
 * `only`: the layers of this type alone.
 */
export function macsPerExample(spec: Pick<ExperimentSpec, 'model'>, opts: { oneTimeStep?: boolean; only?: LayerSpec['type'] } = {}): number {
  const graph = analyzeGraph(spec);
  const shapes = inferShapes(spec, graph).shapes;
  const params = countParams(spec, graph, shapes).perNode;
  let macs = 0;
  for (const l of spec.model.layers) {
    if (opts.only && l.type !== opts.only) continue;
    const p = params.get(l.id) ?? 0;
    const out = shapes.get(l.id) ?? [];
    // Convolutions reuse their kernel at every output pixel; recurrent layers at every step.
    const reuse = l.type === 'conv2d' ? (out[0] ?? 1) * (out[1] ?? 1)
      : (l.type === 'lstm' || l.type === 'gru') ? (opts.oneTimeStep ? 1 : (shapes.get(l.from[0] ?? '')?.[0] ?? 1)) : 1;
    macs += p * reuse;
  }
  return macs;
}

/** The thread count to ask TensorFlow for, or undefined to keep its default. */
export function intraOpThreadsFor(spec: Pick<ExperimentSpec, 'model' | 'training'>): number | undefined {
  // Forward + backward is about three forward passes. A recurrent layer's work is a product per
  // time step, each as small as one step makes it, which a second thread does not speed up:
  // the bench's LSTM (64 units, 20 steps) at batch 256, on two threads against one, took 0.27
  // against 0.18 s of CPU and of wall time for its epoch (fused graph, load 8, 2026-11-30; 0.57
  // against 0.40 s of CPU at load 11, and 2.31 against 1.22 s of wall time).
  const perStep = (opts: Parameters<typeof macsPerExample>[1]) => 3 * macsPerExample(spec, opts) * spec.training.batchSize;
  return perStep({ oneTimeStep: true }) < SINGLE_THREAD_LIMIT && perStep({ only: 'conv2d' }) < CONV_POOL_LIMIT ? 1 : undefined;
}

/** Layer types a step in halves takes (graph/trainGraph.ts `halves`). */
const HALVES_LAYERS: ReadonlySet<string> = new Set(['dense', 'concatenate', 'add', 'dropout']);
/** Whether a step in halves takes this model's layers: a dropout layer only at rate 0 (the halves would draw their masks apart). */
export function layersTakeHalves(spec: Pick<ExperimentSpec, 'model'>): boolean {
  return spec.model.layers.every((l) => HALVES_LAYERS.has(l.type) && (l.type !== 'dropout' || l.rate <= 0));
}
/**
 * From this many multiply-adds per step a plain dense step on one intra-op thread runs in halves
 * on two inter-op threads. The fused step of the dense reference (bench/splitStepProbe.ts, the
 * step alone, 2026-12-01 07:18, at the highest scheduling priority as on an idle machine, load
 * 14-15, two alternating rounds each), wall time a step on one thread against in halves:
 * batch 32 (1.1e7) 345-359 µs against 593-637, batch 64 533-540 against 746-753, batch 128 (4.2e7)
 * 938-940 against 875-910, batch 256 (8.4e7) 1,722-1,740 against 1,277-1,287 (1.73 against 2.37 ms
 * of CPU), batch 512 3,308-3,329 against 2,068-2,081.
 */
const HALVES_LIMIT = 6e7;

/**
 * Whether a run of this experiment on `cores` cores should train its fused step in halves: the
 * batch split in two, a forward and backward pass each, run side by side by TensorFlow's
 * inter-op pool of two threads (each op on one thread), the gradients summed. Only where one
 * intra-op thread is the choice (a larger step keeps TensorFlow's pool) and the step is large
 * enough to pay the pool's hand-off; a dense model whose loss weights are known before the step
 * (no learned or gradient-based weighting: their graphs are not split).
 */
export function stepHalvesFor(spec: Pick<ExperimentSpec, 'model' | 'training'>, cores: number): boolean {
  if (cores < 2 || intraOpThreadsFor(spec) !== 1) return false;
  if (!layersTakeHalves(spec)) return false;
  const d = weightingMethod(spec.training.weighting?.method ?? 'equal')?.description;
  // A learned weighting (uncertainty's log-variances) is a 'tensor' engine: the rule engine alone excludes it.
  if (!d || d.family !== 'loss' || d.engine !== 'rule' || d.needs.losses || d.needs.lossesAfter) return false;
  return 3 * macsPerExample(spec) * spec.training.batchSize >= HALVES_LIMIT;
}

/**
 * TensorFlow's inter-op setting for this intra-op thread count, or undefined to keep its default.
 * A step in halves (`stepHalvesFor`) takes two threads: one per half.
 * With one intra-op thread, a negative TF_NUM_INTEROP_THREADS makes every session run its ops on
 * the calling thread (TensorFlow's DirectSession reads it once, at its first session): the
 * default inter-op pool hands each op of the fused step to another thread and wakes the caller
 * when the step ends. Measured on the dense reference at batch 256 (bench/sessionConfigProbe.ts,
 * 2026-11-30, load 10-15): 1.8-2.1 ms of CPU per step against 2.2-2.4, the step's 10th-percentile
 * wall time 1.5-1.6 ms against 1.6-2.0; a whole bench run at the highest scheduling priority (as on
 * an idle machine) 93,000-97,000 samples/s by wall against 73,000-80,000. On a machine loaded 15 times
 * over, the other way round (19,000-28,000 against 20,000-57,000): a thread that never waits gets
 * fewer turns from the scheduler than one woken at every step. A larger model keeps the pool: its
 * branches may run side by side.
 */
export function interOpThreadsFor(intraOpThreads: number | undefined, halves = false): number | undefined {
  return intraOpThreads !== 1 ? undefined : halves ? 2 : -1;
}

/** Says how many threads TensorFlow got and who chose them (the log of every run). */
export function threadsLine(threads: number, by: 'environment' | 'requested' | 'automatic', halves = false): string {
  const who = by === 'environment' ? 'TF_NUM_INTRAOP_THREADS' : by === 'requested' ? 'requested: setting or --threads'
    : threads === 1 ? 'automatic: a small model runs faster on one' : "automatic: TensorFlow's default";
  return `TensorFlow intra-op threads: ${threads} (${who})${halves ? '; the fused step in halves, side by side on two inter-op threads' : ''}.`;
}
