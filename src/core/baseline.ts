// The single-task baseline of a task: the same architecture restricted to that task's
// path (every layer it reads through, shared ones included), nothing shared, same settings
// except the task weighting: a model of one task trains that task with weight 1 (equal
// weighting). A static weight would only scale its learning rate and an uncertainty weight
// would learn a variance of its own, so the baseline would not be the plain model it stands for.
//
// A sharing block keeps only the task's own columns: a parallelDense its column, an mmoe or
// ple the task's gate (and own experts), and a cross-stitch unit left with one column is
// dropped. Otherwise the baseline of a cross-stitch model would train every task's column
// (and mix them) to serve one task: a bigger model than the one it stands for, and not a
// single-task model at all. A cut-down block starts as the kept part of the shared model's block
// (KeptColumns: the trainer draws the whole block's initial weights and keeps those columns),
// but for a cross-stitch unit, which starts as a unit of the columns it keeps (each row summing to
// 1, Misra et al. 2016; the kept corner of the shared unit's rows would sum to less: see
// trainer/model/blockLayers.ts).
import { columnOwners, isBlockLayer } from './blockLayers';
import { analyzeGraph, taskSubgraph, type Graph } from './graph';
import type { ExperimentSpec, LayerSpec } from './spec';

export function singleTaskSpec(spec: ExperimentSpec, taskId: string): ExperimentSpec {
  const task = spec.tasks.find((t) => t.id === taskId);
  if (!task) throw new Error(`no task ${taskId}`);
  const { weight: _weight, ...unweighted } = task;
  return {
    ...spec,
    name: `${spec.name}-${taskId}`,
    tasks: [unweighted],
    training: { ...spec.training, weighting: { method: 'equal' } },
    model: singleTaskModel(spec, taskId),
  };
}

type Model = ExperimentSpec['model'];

/** Which columns of the shared model's block a cut-down block holds, in order, of how many it had. */
export interface KeptColumns { columns: number[]; of: number }

/** A task's baseline's cut-down blocks (by id), each with the shared block's columns it keeps; empty when none is cut. */
export function singleTaskColumns(spec: Pick<ExperimentSpec, 'model'>, taskId: string): ReadonlyMap<string, KeptColumns> {
  const graph = analyzeGraph(spec);
  return cutDown(spec, taskId, graph, columnOwners(graph))?.kept ?? new Map();
}

/** The model a task's baseline trains (see the header); core/params counts it as that task's single-task model. */
export function singleTaskModel(spec: Pick<ExperimentSpec, 'model'>, taskId: string, graph: Graph = analyzeGraph(spec)): Model {
  return ownColumns(spec, taskId, graph) ?? taskPath(spec, taskId, graph);
}

/** The task's path of the graph as it is: every layer it reads through, its output. */
function taskPath(spec: Pick<ExperimentSpec, 'model'>, taskId: string, graph: Graph): Model {
  const keep = new Set(taskSubgraph(spec, taskId, graph));
  return {
    inputs: spec.model.inputs.filter((i) => keep.has(i.id)),
    layers: spec.model.layers.filter((l) => keep.has(l.id)),
    outputs: { [taskId]: spec.model.outputs[taskId]! },
  };
}

/**
 * The task's path with its blocks cut down to the task's own columns, or undefined when that
 * is the path as it is (no block to cut: core/params then counts the path's nodes without
 * building a model), or when some layer reads a block's columns as a whole (a flatten, say):
 * then which columns the task needs is unknown and the baseline keeps them all.
 * `owners`: columnOwners(graph), when the caller has it.
 */
export function ownColumns(spec: Pick<ExperimentSpec, 'model'>, taskId: string, graph: Graph, owners: ReadonlyMap<string, string[][]> = columnOwners(graph)): Model | undefined {
  return cutDown(spec, taskId, graph, owners)?.model;
}

function cutDown(spec: Pick<ExperimentSpec, 'model'>, taskId: string, graph: Graph, owners: ReadonlyMap<string, string[][]>): { model: Model; kept: Map<string, KeptColumns> } | undefined {
  if (!spec.model.layers.some((l) => isBlockLayer(l) && l.type !== 'select')) return undefined;
  const model = taskPath(spec, taskId, graph);
  const own = (id: string): number[] => (owners.get(id) ?? []).flatMap((tasks, i) => (tasks.includes(taskId) ? [i] : []));
  /** Block id -> the columns of the original block that its cut-down output still holds, in order. */
  const kept = new Map<string, KeptColumns>();
  /** A dropped cross-stitch unit -> the layer it read. */
  const alias = new Map<string, string>();
  const changed = new Map<string, LayerSpec | null>();
  const byId = new Map(model.layers.map((l) => [l.id, l]));
  for (const id of graph.order) {
    const l = byId.get(id);
    if (!l) continue;
    const from = l.from.map((f) => alias.get(f) ?? f);
    const into = from[0] === undefined ? undefined : kept.get(from[0])?.columns;
    const rewired = from.some((f, i) => f !== l.from[i]) ? { ...l, from } : l;
    if (!isBlockLayer(l)) {
      if (from.some((f) => kept.has(f))) return undefined;
      if (rewired !== l) changed.set(id, rewired);
      continue;
    }
    switch (l.type) {
      case 'select': {
        if (!into) break;
        const index = into.indexOf(l.index);
        if (index < 0) return undefined;
        changed.set(id, { ...l, from, index });
        continue;
      }
      case 'crossStitch':
        if (!into) break;
        if (into.length < 2) { alias.set(id, from[0]!); changed.set(id, null); } else { kept.set(id, { columns: into, of: kept.get(from[0]!)!.of }); changed.set(id, rewired); }
        continue;
      case 'parallelDense': {
        const source = from[0] === undefined ? undefined : graph.nodes.get(from[0]);
        // Stacked columns from a block that keeps all of them: column i must read column i.
        if (!into && source?.kind === 'layer' && isBlockLayer(source.layer)) break;
        const columns = into ?? own(id);
        if (columns.length === 0 || columns.length === l.columns) break;
        kept.set(id, { columns, of: l.columns });
        changed.set(id, { ...l, from, columns: columns.length });
        continue;
      }
      case 'mmoe': case 'ple': {
        if (into) return undefined;
        const columns = own(id);
        if (columns.length === 0 || columns.length === l.tasks) break;
        kept.set(id, { columns, of: l.tasks });
        changed.set(id, { ...l, from, tasks: columns.length });
        continue;
      }
    }
    if (rewired !== l) changed.set(id, rewired);
  }
  if (changed.size === 0) return undefined;
  const out = model.outputs[taskId]!;
  return {
    model: {
      inputs: model.inputs,
      layers: model.layers.flatMap((l) => { const c = changed.get(l.id); return c === undefined ? [l] : c === null ? [] : [c]; }),
      outputs: { [taskId]: alias.get(out) ?? out },
    },
    kept,
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
