// Semantic checks of the model graph: unique ids, references that resolve, no cycles,
// outputs that name real layers of real tasks, and layers that actually reach an output.
import { problemList } from './checkHelpers';
import type { JsonPath } from './edits';
import { outputOf, type Graph } from './graph';
import type { ExperimentSpec, Problem } from './spec';
import { didYouMean, listNames } from './wording';

/** Dangling references that get a "did you mean". */
const MAX_GUESSES = 20;

export function checkModel(spec: ExperimentSpec, graph: Graph): Problem[] {
  const { problems, error, warning } = problemList();
  const { inputs, layers } = spec.model;

  // Ids: one namespace for inputs and layers.
  const firstUse = new Map<string, string>();
  const claim = (id: string, what: string, path: JsonPath): void => {
    const previous = firstUse.get(id);
    if (previous) error([...path, 'id'], `Id "${id}" is already used by ${previous}: ids must be unique among inputs and layers. Rename one of them.`);
    else firstUse.set(id, what);
  };
  inputs.forEach((input, i) => claim(input.id, `input #${i + 1}`, ['model', 'inputs', i]));
  layers.forEach((layer, i) => claim(layer.id, `layer #${i + 1} (${layer.type})`, ['model', 'layers', i]));

  // References. A guess compares the name with every id, so only the first few dangling
  // references get one: thousands of them must not cost thousands of scans of all ids.
  const allIds = [...graph.nodes.keys()];
  let guesses = 0;
  layers.forEach((layer, i) => {
    layer.from.forEach((source, j) => {
      if (graph.nodes.has(source)) return;
      const known = guesses++ < MAX_GUESSES ? allIds.filter((id) => id !== layer.id) : allIds;
      const guess = known === allIds ? '' : didYouMean(source, known);
      error(['model', 'layers', i, 'from', j],
        `Layer "${layer.id}" reads from "${source}", which does not exist.${guess} Known ids: ${listNames(known)}.`);
    });
  });

  // Cycles: reported on the connection that closes each one.
  for (const cycle of graph.cycles) {
    const first = cycle[0]!;
    const last = cycle[cycle.length - 1]!;
    const node = graph.nodes.get(first);
    const at: JsonPath = node ? ['model', 'layers', node.index, 'from', Math.max(0, node.from.indexOf(last))] : ['model', 'layers'];
    error(at, cycle.length === 1
      ? `Layer "${first}" reads from itself: remove "${first}" from its "from".`
      : `Layers form a cycle: ${[...cycle, first].join(' → ')}. A layer cannot depend on its own output: remove one of these connections.`);
  }

  // Outputs.
  const taskIds = spec.tasks.map((t) => t.id);
  const taskSet = new Set(taskIds);
  const layerIds = layers.map((l) => l.id);
  for (const [task, target] of Object.entries(spec.model.outputs)) {
    const path = ['model', 'outputs', task];
    if (!taskSet.has(task)) {
      error(path, `model.outputs names task "${task}", which is not in "tasks".${didYouMean(task, taskIds)} Tasks: ${listNames(taskIds)}. Add the task or remove this output.`);
    }
    const node = graph.nodes.get(target);
    if (!node) {
      error(path, `The output of task "${task}" is "${target}", which does not exist.${didYouMean(target, layerIds)} Layers: ${listNames(layerIds)}.`);
    } else if (node.kind === 'input') {
      error(path, `The output of task "${task}" is the input "${target}": point it to a layer (the task's head).`);
    }
  }

  // Nodes that reach no output are not part of the model (only meaningful once some output resolves).
  const anyOutput = graph.tasks.some((t) => { const o = outputOf(spec, t); return o !== undefined && graph.nodes.has(o); });
  if (anyOutput) {
    for (const node of graph.nodes.values()) {
      if ((graph.serves.get(node.id)?.length ?? 0) > 0) continue;
      if (node.kind === 'input') {
        warning(['model', 'inputs', node.index], `Input "${node.id}" feeds no task output, so the model does not use it.`);
      } else {
        warning(['model', 'layers', node.index], `Layer "${node.id}" feeds no task output, so it is not part of the model and is not trained: connect it toward a task's head, or delete it.`);
      }
    }
  }
  return problems;
}
