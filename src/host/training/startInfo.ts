// The panel header of a training from its validated document (no vscode import): tasks, the
// phases the trainer will run (shared model, then one baseline per task unless baselines
// are off), epochs and weighting, as trainer/run.ts does with the same document.
import type { SessionHeader } from '../../core/panelProtocol';
import type { TrainingPhase } from '../../core/protocol';
import { tasksOf } from '../../core/runsIndex';
import type { ExperimentSpec } from '../../core/spec';

export function headerFromSpec(spec: ExperimentSpec, specPath: string, epochsOverride?: number): SessionHeader {
  const tasks = tasksOf(spec);
  const baselines = (spec.evaluation?.baselines ?? 'single-task') === 'single-task' && tasks.length > 1;
  const phases: TrainingPhase[] = [{ kind: 'shared' }, ...(baselines ? tasks.map((t) => ({ kind: 'baseline' as const, task: t.id })) : [])];
  return {
    experiment: spec.name,
    specPath,
    tasks,
    phases,
    totalEpochs: epochsOverride ?? spec.training.epochs,
    weighting: spec.training.weighting?.method ?? 'equal',
    live: true,
  };
}
