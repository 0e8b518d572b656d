// TensorFlow's intra-op thread pool: handing a small op to another thread costs more
// than the op (measured on 2 cores: 27 µs per op with the default pool, 9 µs with one
// thread, and whole training steps 20-40 % faster for the reference MLP at batch 32 and
// 256). Large steps (big convolutions, wide layers) still gain from the pool.
import { analyzeGraph } from '../core/graph';
import { countParams } from '../core/params';
import { inferShapes } from '../core/shapes';
import type { ExperimentSpec } from '../core/spec';

/** Above this many multiply-adds per training step the default pool is kept. */
const SINGLE_THREAD_LIMIT = 2e8;

/**
 * Multiply-adds of one forward pass per example: a weight is used once per output position.
 * `oneTimeStep`: a recurrent layer's counted for one of its steps (what one of its products holds).
 */
export function macsPerExample(spec: Pick<ExperimentSpec, 'model'>, opts: { oneTimeStep?: boolean } = {}): number {
  const graph = analyzeGraph(spec);
  const shapes = inferShapes(spec, graph).shapes;
  const params = countParams(spec, graph, shapes).perNode;
  let macs = 0;
  for (const l of spec.model.layers) {
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
  return 3 * macsPerExample(spec, { oneTimeStep: true }) * spec.training.batchSize < SINGLE_THREAD_LIMIT ? 1 : undefined;
}

/** Says how many threads TensorFlow got and who chose them (the log of every run). */
export function threadsLine(threads: number, by: 'environment' | 'requested' | 'automatic'): string {
  const who = by === 'environment' ? 'TF_NUM_INTRAOP_THREADS' : by === 'requested' ? 'requested: setting or --threads'
    : threads === 1 ? 'automatic: a small model runs faster on one' : "automatic: TensorFlow's default";
  return `TensorFlow intra-op threads: ${threads} (${who}).`;
}
