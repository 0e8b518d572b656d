// Whether GradDrop's mask on the shared parameters runs as XLA's compiled loop or on TensorFlow's
// kernels (gradDrop.ts graphGradDropBlocks), decided where the fused step is built from the steps
// the run plans. XLA's loop saves about 1.1 ms of CPU a step on the reference network (2 tasks,
// 108,864 shared weights, batch 32), but its compilation costs the first steps some 0.55 s of CPU
// more (once for all the session's fetch sets, graphFunction.ts), so a short run (an example, a
// first try) would be slower for it.
// Both ways give the same bits (test/unit/trainer/graphGradDrop.test.ts), so the choice is speed only.

/**
 * From this many planned steps XLA's loop pays for its compilation: the break-even measured with
 * bench/gradDropCompileProbe.ts (XLA's mask block by block, Grappler off as the session opens;
 * 4 runs, both orders alternated, 2026-12-01 18:29-18:35, load 24-34): the first calls' extra CPU
 * 454-655 ms (median 545) over what a plain step saves, 1.02-1.11 ms (2.84-3.18 against 1.82-2.06
 * ms), each run's ratio 408-598 steps (median about 520). Before the block-by-block mask it was
 * 1,000 (322 ms / 0.30 ms, load 10-17). Fewer shared weights save less a step and compile about as
 * long: smaller networks break even later, and a run of these lengths loses at most about 0.1 s either way.
 */
export const GRADDROP_XLA_MIN_STEPS = 500;

/** Whether a phase of `plannedSteps` steps (epochs x steps an epoch) compiles GradDrop's mask with XLA. */
export function gradDropCompiles(plannedSteps: number): boolean {
  return plannedSteps >= GRADDROP_XLA_MIN_STEPS;
}

/** The run log's note on the choice (appended to the loop's step path). */
export function gradDropJitNote(xla: boolean, plannedSteps: number): string {
  const run = Number.isFinite(plannedSteps) ? `a run of ${plannedSteps.toLocaleString('en-US')} steps` : 'a long run';
  return xla ? `GradDrop: XLA-compiled mask (${run})` : `GradDrop: on TensorFlow's kernels (${run}; XLA's compilation pays from ${GRADDROP_XLA_MIN_STEPS.toLocaleString('en-US')})`;
}
