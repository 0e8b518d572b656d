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

/**
 * A JSON path in the baseline's spec (singleTaskSpec) as the same place in the experiment: its
 * one task is tasks[0] there, and its layers and inputs are a subset, so their indices differ. A
 * problem a baseline meets (a loss infinite from the first step) is shown where the user edits.
 */
export function experimentPath(spec: ExperimentSpec, baseline: ExperimentSpec, path: readonly (string | number)[]): (string | number)[] {
  const same = (list: readonly { id: string }[], item: { id: string } | undefined) => (item ? list.findIndex((x) => x.id === item.id) : -1);
  const [a, b, c, ...rest] = path;
  const at = a === 'tasks' && typeof b === 'number' ? { prefix: ['tasks'], index: same(spec.tasks, baseline.tasks[b]), rest: path.slice(2) }
    : a === 'model' && (b === 'layers' || b === 'inputs') && typeof c === 'number' ? { prefix: ['model', b], index: same(spec.model[b], baseline.model[b][c]), rest }
      : undefined;
  return at && at.index >= 0 ? [...at.prefix, at.index, ...at.rest] : [...path];
}
