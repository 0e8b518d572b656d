// The single-task baseline of a task: the same architecture restricted to that task's
// path (every layer it reads through, shared ones included), nothing shared, same settings
// except the task weighting: a model of one task trains that task with weight 1 (equal
// weighting). A static weight would only scale its learning rate and an uncertainty weight
// would learn a variance of its own, so the baseline would not be the plain model it stands for.
import { analyzeGraph, taskSubgraph } from './graph';
import type { ExperimentSpec } from './spec';

export function singleTaskSpec(spec: ExperimentSpec, taskId: string): ExperimentSpec {
  const keep = new Set(taskSubgraph(spec, taskId, analyzeGraph(spec)));
  const task = spec.tasks.find((t) => t.id === taskId);
  if (!task) throw new Error(`no task ${taskId}`);
  const { weight: _weight, ...unweighted } = task;
  return {
    ...spec,
    name: `${spec.name}-${taskId}`,
    tasks: [unweighted],
    training: { ...spec.training, weighting: { method: 'equal' } },
    model: {
      inputs: spec.model.inputs.filter((i) => keep.has(i.id)),
      layers: spec.model.layers.filter((l) => keep.has(l.id)),
      outputs: { [taskId]: spec.model.outputs[taskId]! },
    },
  };
}
