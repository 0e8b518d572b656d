// The panel header of a training from its validated document (no vscode import): tasks, the
// phases the trainer will run (core/phase.ts phasesOf, as trainer/run.ts), epochs and weighting.
import type { SessionHeader } from '../../core/panelProtocol';
import { phasesOf } from '../../core/phase';
import { tasksOf } from '../../core/runsIndex';
import { DEFAULT_TRAIN_METRICS, type ExperimentSpec } from '../../core/spec';
import { weightingLabel } from '../../core/weighting/registry';

export function headerFromSpec(spec: ExperimentSpec, specPath: string, epochsOverride?: number): SessionHeader {
  const tasks = tasksOf(spec);
  return {
    experiment: spec.name,
    specPath,
    tasks,
    phases: phasesOf(spec),
    totalEpochs: epochsOverride ?? spec.training.epochs,
    weighting: weightingLabel(spec.training.weighting),
    trainMetrics: spec.evaluation?.trainMetrics ?? DEFAULT_TRAIN_METRICS,
    live: true,
  };
}
