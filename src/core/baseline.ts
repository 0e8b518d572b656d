// The single-task baseline of a task: the same architecture restricted to that task's
// path (every layer it reads through, shared ones included), nothing shared, same settings.
import { analyzeGraph, taskSubgraph } from './graph';
import type { ExperimentSpec } from './spec';

export function singleTaskSpec(spec: ExperimentSpec, taskId: string): ExperimentSpec {
  const keep = new Set(taskSubgraph(spec, taskId, analyzeGraph(spec)));
  const task = spec.tasks.find((t) => t.id === taskId);
  if (!task) throw new Error(`no task ${taskId}`);
  return {
    ...spec,
    name: `${spec.name}-${taskId}`,
    tasks: [task],
    model: {
      inputs: spec.model.inputs.filter((i) => keep.has(i.id)),
      layers: spec.model.layers.filter((l) => keep.has(l.id)),
      outputs: { [taskId]: spec.model.outputs[taskId]! },
    },
  };
}
