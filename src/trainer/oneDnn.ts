// TensorFlow's oneDNN kernels and the allocator that comes with them. With oneDNN on (the
// default of tfjs-node's TensorFlow 2.x on x86), TensorFlow allocates every tensor of 256 KB or
// more from its own pool (MklCPUAllocator, a BFC pool) that keeps whatever it once held: a
// run's resident memory only grows, by each batch block, evaluation block and first-run
// buffer, and the data's device copy stays in the pool after it is freed. Measured on
// digits-parity (bench/memoryStages.ts, 2026-11-30, one epoch and its baselines): training
// peaked at +83 MB over the TensorFlow-loaded baseline with oneDNN and +72 without, and at the
// run's end, no tensor alive, 65 MB of private memory stayed against 27. A model of dense layers gains nothing
// from oneDNN (the fused dense step took the same CPU time per step, within the machine's noise,
// at batch 32 and 256 with it off: bench/graphStepProbe.ts, rounds interleaved), so such a
// model runs on TensorFlow's own kernels and its plain allocator, which returns freed memory.
// Convolutions, pooling, normalisation and recurrent layers keep oneDNN (its kernels are
// TensorFlow's fast path for them). The switch is read once, when the library loads: a
// process trains with the setting of its first run (a study's variants share one load).
import type { ExperimentSpec } from '../core/spec';

/** Layer types whose work is matrix products and element-wise ops: TensorFlow's own kernels serve them as fast. */
const PLAIN_LAYERS: ReadonlySet<string> = new Set(['dense', 'concatenate', 'add', 'dropout', 'flatten', 'reshape', 'parallelDense', 'crossStitch', 'mmoe', 'ple', 'select']);

/** Whether TensorFlow should load with its oneDNN kernels (and their allocator) for this experiment. */
export function oneDnnFor(spec: Pick<ExperimentSpec, 'model'>): boolean {
  return spec.model.layers.some((l) => !PLAIN_LAYERS.has(l.type));
}

/** Whether the user set the switch (read as this module loads, before a run sets it). */
const USER_SET = process.env.TF_ENABLE_ONEDNN_OPTS !== undefined;

/** Says whether oneDNN is on and who chose it (the run's log). */
export function oneDnnLine(on: boolean): string {
  const why = USER_SET ? 'TF_ENABLE_ONEDNN_OPTS' : on ? 'automatic: the model has convolutional, normalisation or recurrent layers'
    : 'automatic: a dense model runs as fast on TensorFlow\'s own kernels, whose allocator gives freed memory back';
  return `TensorFlow oneDNN kernels: ${on ? 'on' : 'off'} (${why}).`;
}
