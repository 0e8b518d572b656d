// The shared-weight picture of a model as data: layers grouped into blocks by the set of
// tasks they serve (inputs; shared by 2+ tasks; only one task; feeding none), the edges
// between blocks, and the parameter arithmetic. The diagram webview lays it out and draws
// it, and so does the report's SVG (trainer/artifacts/weightDiagram.ts).
import { columnOwners, taskParts, type TaskPart } from './blockLayers';
import { analyzeGraph } from './graph';
import { countParams } from './params';
import { inferShapes } from './shapes';
import type { ExperimentSpec } from './spec';

export type BlockKind = 'input' | 'shared' | 'task' | 'unused';

export interface BlockLayer {
  id: string;
  /** Layer type, or 'input'. */
  type: string;
  /** Undefined when it cannot be counted (shape unknown). */
  params?: number;
  shape?: number[];
  /** A sharing block's weights by owner: shared parts serve all its tasks, a column's part its task. */
  parts?: TaskPart[];
}

export interface SharingBlock {
  key: string;
  kind: BlockKind;
  /** Tasks served, in the diagram's task order. */
  tasks: string[];
  /** Layers in data-flow order. */
  layers: BlockLayer[];
  params: number;
  /** Column: longest chain of blocks from an input. */
  depth: number;
}

export interface SharingDiagram {
  name: string;
  tasks: string[];
  blocks: SharingBlock[];
  /** Block keys: data flows from the first to the second. */
  edges: Array<[string, string]>;
  params: { total: number; shared: number; perTask: Record<string, number>; singleTaskTotal: number; saving: number; savingFraction: number; complete: boolean };
}

/** `spec.tasks`, when given, orders the tasks (lanes, colours); outputs of undeclared tasks follow. */
export function sharingDiagram(spec: Pick<ExperimentSpec, 'name' | 'model'> & { tasks?: ReadonlyArray<{ id: string }> }): SharingDiagram {
  const graph = analyzeGraph(spec);
  const shapes = inferShapes(spec, graph).shapes;
  const counts = countParams(spec, graph, shapes);
  const declared = (spec.tasks ?? []).map((t) => t.id).filter((t) => graph.tasks.includes(t));
  const taskOrder = [...declared, ...graph.tasks.filter((t) => !declared.includes(t))];
  const taskIndex = new Map(taskOrder.map((t, i) => [t, i]));
  const owners = columnOwners(graph);

  const blocks = new Map<string, SharingBlock>();
  // Grouped by kind and exact task list ("shared:a,b,c" alone would merge tasks ["a,b", "c"]
  // with ["a", "b,c"]); a readable key already taken gets a suffix.
  const groups = new Map<string, SharingBlock>();
  const blockOf = new Map<string, SharingBlock>();
  // Topological order first, then anything left on a cycle, so every node gets a block.
  const placed = new Set(graph.order);
  const ids = [...graph.order, ...[...graph.nodes.keys()].filter((id) => !placed.has(id))];
  for (const id of ids) {
    const node = graph.nodes.get(id)!;
    const tasks = [...(graph.serves.get(id) ?? [])].sort((a, b) => (taskIndex.get(a) ?? 0) - (taskIndex.get(b) ?? 0));
    const kind: BlockKind = node.kind === 'input' ? 'input' : tasks.length === 0 ? 'unused' : tasks.length > 1 ? 'shared' : 'task';
    const group = JSON.stringify(kind === 'input' ? [kind, id] : [kind, ...tasks]);
    let block = groups.get(group);
    if (!block) {
      const readable = kind === 'input' ? `input:${id}` : `${kind}:${tasks.join(',')}`;
      let key = readable;
      for (let n = 2; blocks.has(key); n++) key = `${readable}#${n}`;
      block = { key, kind, tasks, layers: [], params: 0, depth: 0 };
      groups.set(group, block);
      blocks.set(key, block);
    }
    const params = counts.perNode.get(id);
    const parts = taskParts(graph, shapes, owners, id, tasks);
    block.layers.push({
      id, type: node.kind === 'input' ? 'input' : node.layer.type,
      ...(params !== undefined ? { params } : {}),
      ...(shapes.has(id) ? { shape: shapes.get(id)! } : {}),
      ...(parts ? { parts } : {}),
    });
    block.params += params ?? 0;
    blockOf.set(id, block);
  }

  const edges = new Map<string, [string, string]>();
  for (const node of graph.nodes.values()) {
    for (const source of node.from) {
      const a = blockOf.get(source), b = blockOf.get(node.id);
      if (a && b && a !== b) edges.set(`${a.key}\u0000${b.key}`, [a.key, b.key]);
    }
  }
  // Longest path over the block graph (bounded rounds: a cycle cannot loop forever).
  const list = [...blocks.values()];
  for (let round = 0; round < list.length; round++) {
    let changed = false;
    for (const [a, b] of edges.values()) {
      const from = blocks.get(a)!, to = blocks.get(b)!;
      if (from.depth + 1 > to.depth) { to.depth = from.depth + 1; changed = true; }
    }
    if (!changed) break;
  }

  return {
    name: spec.name,
    tasks: taskOrder,
    blocks: list,
    edges: [...edges.values()],
    params: {
      total: counts.total, shared: counts.shared, perTask: counts.perTask, singleTaskTotal: counts.singleTaskTotal,
      saving: counts.saving, savingFraction: counts.savingFraction, complete: counts.complete,
    },
  };
}
