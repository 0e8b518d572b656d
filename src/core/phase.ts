// A training run trains in phases, one after another: the shared model, then (unless
// evaluation.baselines is "none", or there is one task) one single-task baseline per task
// on that task's own path of the graph. The trainer runs them, the host shows the current
// one in its progress notification, the panel lists them and keys curves by them, and a
// run folder read back rebuilds them; this is the one place that says what a phase is,
// how it is keyed and named, and which phases an experiment has.
import type { EvaluationSpec } from './spec';

/** Which model is training: the shared model, or the single-task baseline of one task. */
export type TrainingPhase = { kind: 'shared' } | { kind: 'baseline'; task: string };

/**
 * A phase as a map key. Not a bare task id: a task may be called "shared" (or "*"), and
 * the key of its baseline must still differ from the shared model's.
 */
export type PhaseKey = 'shared' | `baseline:${string}`;

export const SHARED_PHASE: TrainingPhase = Object.freeze({ kind: 'shared' });
export const SHARED_PHASE_KEY: PhaseKey = 'shared';

export const baselinePhase = (task: string): TrainingPhase => ({ kind: 'baseline', task });

export function phaseKey(phase: TrainingPhase): PhaseKey {
  return phase.kind === 'shared' ? SHARED_PHASE_KEY : `baseline:${phase.task}`;
}

export function samePhase(a: TrainingPhase | undefined, b: TrainingPhase | undefined): boolean {
  return a !== undefined && b !== undefined && phaseKey(a) === phaseKey(b);
}

/**
 * How a phase is named to a user (progress notification, panel, CLI, trainer log). "single-task"
 * as in the setting that asks for them (evaluation.baselines: "single-task") and the README.
 */
export function phaseLabel(phase: TrainingPhase): string {
  return phase.kind === 'shared' ? 'shared model' : `single-task ${phase.task}`;
}

/** The tasks that have a single-task baseline among `phases`, in their order. */
export function baselineTasks(phases: readonly TrainingPhase[]): string[] {
  return phases.flatMap((p) => (p.kind === 'baseline' ? [p.task] : []));
}

/** The phases a run of `spec` trains, in order: the shared model, then one baseline per task. */
export function phasesOf(spec: { tasks: ReadonlyArray<{ id: string }>; evaluation?: EvaluationSpec }): TrainingPhase[] {
  const baselines = (spec.evaluation?.baselines ?? 'single-task') === 'single-task' && spec.tasks.length > 1;
  return [SHARED_PHASE, ...(baselines ? spec.tasks.map((t) => baselinePhase(t.id)) : [])];
}
