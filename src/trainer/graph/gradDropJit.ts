// Whether GradDrop's mask on the shared parameters runs as XLA's compiled loop or on TensorFlow's
// kernels (gradDrop.ts graphGradDropBlocks), decided where the fused step is built from the steps
// the run plans. XLA's loop saves about 0.2 ms of CPU a step on the reference network (2 tasks,
// 108,864 shared weights: 0.35 against 0.56 ms, bench/gradDropPartsProbe.ts `joined`), but its
// compilation costs the first step some 0.3 s of CPU (once for all the session's fetch sets:
// graphFunction.ts), so a short run (an example, a first try) would be slower for it.
// Both ways give the same bits (test/unit/trainer/graphGradDrop.test.ts), so the choice is speed only.

/**
 * From this many planned steps XLA's loop pays for its compilation: the break-even measured with
 * bench/gradDropCompileProbe.ts (compilation's CPU over the CPU a step saves, reference network,
 * 2 tasks; see README's Speed section). Fewer shared weights save less a step and compile about
 * as long, so smaller networks break even later; this errs towards the kernels for them.
 */
export const GRADDROP_XLA_MIN_STEPS = 2000;

/** Whether a phase of `plannedSteps` steps (epochs x steps an epoch) compiles GradDrop's mask with XLA. */
export function gradDropCompiles(plannedSteps: number): boolean {
  return plannedSteps >= GRADDROP_XLA_MIN_STEPS;
}

/** The run log's note on the choice (appended to the loop's step path). */
export function gradDropJitNote(xla: boolean, plannedSteps: number): string {
  const run = Number.isFinite(plannedSteps) ? `a run of ${plannedSteps.toLocaleString('en-US')} steps` : 'a long run';
  return xla ? `GradDrop: XLA-compiled mask (${run})` : `GradDrop: on TensorFlow's kernels (${run}; XLA's compilation pays from ${GRADDROP_XLA_MIN_STEPS.toLocaleString('en-US')})`;
}
