// Whether GradDrop's mask on the shared parameters runs as XLA's compiled loop or on TensorFlow's
// kernels (gradDrop.ts graphGradDropBlocks), decided where the fused step is built from the steps
// the run plans. XLA's loop saves about 0.3 ms of CPU a step on the reference network (2 tasks,
// 108,864 shared weights: a whole step 0.98-1.12 ms against 1.16-1.51, bench/gradDropCompileProbe.ts,
// load 10-17), but its compilation costs the first steps some 0.32 s of CPU more (0.26-0.38: once
// for all the session's fetch sets, graphFunction.ts), so a short run (an example, a first try)
// would be slower for it.
// Both ways give the same bits (test/unit/trainer/graphGradDrop.test.ts), so the choice is speed only.
// These figures predate XLA's mask block by block (gradDrop.ts), which saves about 0.3 ms more a
// step for a like compilation (bench/gradDropPartsProbe.ts's first calls): the break-even below is
// lower now (not measured again), so it errs towards the kernels for runs between.

/**
 * From this many planned steps XLA's loop pays for its compilation: the break-even measured with
 * bench/gradDropCompileProbe.ts, the compilation's extra CPU over the CPU a step saves (means of
 * four interleaved runs, both orders, load 10-17: 322 ms / 0.30 ms, about 1,060 steps; the runs
 * ranged 850-2,000). Fewer shared weights save less a step and compile about as long: smaller
 * networks break even later, and a run of these lengths loses at most about 0.3 s either way.
 */
export const GRADDROP_XLA_MIN_STEPS = 1000;

/** Whether a phase of `plannedSteps` steps (epochs x steps an epoch) compiles GradDrop's mask with XLA. */
export function gradDropCompiles(plannedSteps: number): boolean {
  return plannedSteps >= GRADDROP_XLA_MIN_STEPS;
}

/** The run log's note on the choice (appended to the loop's step path). */
export function gradDropJitNote(xla: boolean, plannedSteps: number): string {
  const run = Number.isFinite(plannedSteps) ? `a run of ${plannedSteps.toLocaleString('en-US')} steps` : 'a long run';
  return xla ? `GradDrop: XLA-compiled mask (${run})` : `GradDrop: on TensorFlow's kernels (${run}; XLA's compilation pays from ${GRADDROP_XLA_MIN_STEPS.toLocaleString('en-US')})`;
}
