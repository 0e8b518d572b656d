// Semantic checks of the tasks against the model: every task has a head, the head's size
// and activation fit the task kind, and loss and metrics make sense for the kind.
// Mirrors what the trainer does with heads: cross-entropy on a softmax, sigmoid or linear
// head is trained on logits; more than one unit means one-hot classes.
import { problemList } from './checkHelpers';
import { DEFAULT_LOSS } from './defaults';
import type { JsonPath } from './edits';
import { LOSS_NAMES } from './experimentSchema';
import { outputOf, type Graph } from './graph';
import type { Shape } from './shapes';
import type { ExperimentSpec, LayerSpec, LossName, MetricName, Problem, TaskKind, TaskSpec } from './spec';
import { formatShape, listNames } from './wording';

const LOSSES_BY_KIND: Record<TaskKind, LossName[]> = {
  multiclass: ['categoricalCrossentropy', 'sparseCategoricalCrossentropy'],
  binary: ['binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'],
  regression: ['meanSquaredError', 'meanAbsoluteError', 'huber'],
};
const METRICS_BY_KIND: Record<TaskKind, MetricName[]> = {
  multiclass: ['accuracy', 'macroF1'],
  binary: ['accuracy', 'macroF1', 'rocAuc'],
  regression: ['mae', 'rmse', 'r2'],
};

export function checkTasks(spec: ExperimentSpec, graph: Graph, shapes: Map<string, Shape>): Problem[] {
  const { problems, error, warning } = problemList();

  const seen = new Set<string>();
  let loose: string[] | undefined; // layers that feed nothing, found once for all tasks without an output
  spec.tasks.forEach((task, i) => {
    const path: JsonPath = ['tasks', i];
    if (seen.has(task.id)) error([...path, 'id'], `Task id "${task.id}" is used twice: task ids must be unique.`);
    seen.add(task.id);

    // Classes.
    if (task.kind === 'multiclass' && task.classes === undefined) {
      error([...path, 'classes'], `Task "${task.id}" is multiclass: set "classes" to the number of classes.`);
    } else if (task.kind === 'binary' && typeof task.classes === 'number' && task.classes !== 2) {
      error([...path, 'classes'], `Task "${task.id}" is binary, so it has 2 classes, not ${task.classes}: remove "classes" or make the task multiclass.`);
    } else if (task.kind === 'regression' && task.classes !== undefined) {
      warning([...path, 'classes'], `Task "${task.id}" is a regression: "classes" is ignored.`);
    }

    // Loss and metrics.
    // Unknown names and malformed values were reported by the structural check.
    const loss = LOSS_NAMES.includes(task.loss as LossName) ? task.loss! : DEFAULT_LOSS[task.kind];
    const losses = LOSSES_BY_KIND[task.kind];
    if (!losses.includes(loss)) {
      error([...path, 'loss'], `Task "${task.id}" (${task.kind}) cannot use loss "${loss}": use ${listNames(losses)}.`);
    }
    const metrics = METRICS_BY_KIND[task.kind];
    const allMetrics = Object.values(METRICS_BY_KIND).flat();
    (Array.isArray(task.metrics) ? task.metrics : []).forEach((metric, j) => {
      if (metrics.includes(metric) || !allMetrics.includes(metric)) return;
      error([...path, 'metrics', j], `Task "${task.id}" (${task.kind}) cannot report "${metric}": use ${listNames(metrics)}.`);
    });

    // Head.
    const outputId = outputOf(spec, task.id);
    if (outputId === undefined) {
      if (!loose) {
        const outputs = new Set(Object.values(spec.model.outputs));
        loose = spec.model.layers.filter((l) => (graph.consumers.get(l.id)?.length ?? 0) === 0 && !outputs.has(l.id)).map((l) => l.id);
      }
      const hint = loose.length ? ` Layers that feed nothing yet: ${listNames(loose)}.` : '';
      error(path, `Task "${task.id}" has no output: add "${task.id}": "<layer id>" to model.outputs.${hint}`);
      return;
    }
    const node = graph.nodes.get(outputId);
    const shape = shapes.get(outputId);
    if (node?.kind !== 'layer' || !shape) return; // missing output or unknown shape: reported elsewhere
    problems.push(...checkHead(task, i, node.layer, node.index, shape, loss));
  });
  return problems;
}

function checkHead(task: TaskSpec, taskIndex: number, layer: LayerSpec, layerIndex: number, shape: Shape, loss: LossName): Problem[] {
  const { problems, error, warning } = problemList();
  const head = `head "${layer.id}"`;
  const name = `Task "${task.id}"`;
  const layerPath: JsonPath = ['model', 'layers', layerIndex];
  const sizePath: JsonPath = layer.type === 'dense' ? [...layerPath, 'units'] : ['model', 'outputs', task.id];

  if (shape.length !== 1) {
    error(['model', 'outputs', task.id], `${name}: its ${head} outputs ${formatShape(shape)}, but a task needs a vector: end the branch with flatten and dense layers.`);
    return problems;
  }
  const units = shape[0]!;
  const activation = layer.type === 'dense' || layer.type === 'conv2d' ? layer.activation ?? 'linear' : undefined;
  const activationPath: JsonPath = [...layerPath, 'activation'];
  const wantProbabilities = (expected: 'softmax' | 'sigmoid'): void => {
    // Not a string: the schema check says so; quoting it here would print "[object Object]".
    if (typeof activation !== 'string' || activation === expected || activation === 'linear') return;
    warning(activationPath, `${name}: its ${head} has activation "${activation}"; ${loss} expects "${expected}" (or "linear" logits).`);
  };

  switch (task.kind) {
    case 'multiclass': {
      const classes = task.classes;
      if (typeof classes === 'number' && units !== classes) {
        error(sizePath, `${name} has ${classes} classes but its ${head} outputs ${units} value${units === 1 ? '' : 's'}: set its units to ${classes}.`);
      }
      wantProbabilities('softmax');
      break;
    }
    case 'binary':
      if (units !== 1 && units !== 2) {
        error(sizePath, `${name} is binary: its ${head} must output 1 value (sigmoid) or 2 (softmax), not ${units}.`);
      } else {
        if (units === 1 && loss !== 'binaryCrossentropy') {
          error(['tasks', taskIndex, 'loss'], `${name}: ${loss} needs one unit per class, but the ${head} has 1 unit: use binaryCrossentropy or give the head 2 units with softmax.`);
        }
        wantProbabilities(units === 1 ? 'sigmoid' : 'softmax');
      }
      break;
    case 'regression':
      if (units !== 1) error(sizePath, `${name} is a regression: its ${head} must output 1 value, not ${units}: set its units to 1.`);
      if (activation === 'softmax') error(activationPath, `${name}: softmax over a single output is always 1, so the ${head} cannot learn: use "linear".`);
      break;
  }
  return problems;
}
