// The shared trunk of a model as the gradient-family weighting methods see it: the layers
// serving two or more tasks, and the representation, i.e. the trunk layers whose output a
// task's own layers (or a task output) read. Gradients taken "on the shared representation"
// are gradients with respect to these outputs.
import { analyzeGraph, type Graph } from './graph';
import type { ExperimentSpec } from './spec';

export interface Trunk {
  /** Ids of the layers serving two or more tasks. */
  layers: ReadonlySet<string>;
  /** Trunk layers read by a layer outside the trunk or named as a task output, in document order. */
  representation: string[];
  /** Per task (model.outputs order): ids of the layers serving that task alone. */
  own: Record<string, string[]>;
}

export function trunkOf(spec: Pick<ExperimentSpec, 'model'>, graph: Graph = analyzeGraph(spec)): Trunk {
  const served = (id: string) => graph.serves.get(id) ?? [];
  const layers = new Set(spec.model.layers.filter((l) => served(l.id).length >= 2).map((l) => l.id));
  const outputs = new Set(Object.values(spec.model.outputs));
  const representation = [...layers].filter((id) => outputs.has(id) || (graph.consumers.get(id) ?? []).some((c) => !layers.has(c)));
  const own = Object.fromEntries(graph.tasks.map((t) => [t, spec.model.layers.filter((l) => served(l.id).length === 1 && served(l.id)[0] === t).map((l) => l.id)]));
  return { layers, representation, own };
}
