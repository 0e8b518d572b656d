// Graph analysis of the model: node index, topological order, cycles, and which tasks each
// node serves. Sharing is never declared in the document; it follows from here: a node
// serves task t when a path leads from it to model.outputs[t], and is shared when it
// serves two or more tasks.
import type { ExperimentSpec, InputSpec, LayerSpec } from './spec';

export type GraphNode =
  | { kind: 'input'; id: string; index: number; from: string[]; input: InputSpec }
  | { kind: 'layer'; id: string; index: number; from: string[]; layer: LayerSpec };

export interface Graph {
  /** Inputs then layers, by id (the first of duplicate ids wins; validation reports the rest). */
  nodes: Map<string, GraphNode>;
  /** id -> ids of the layers that read from it, in document order. */
  consumers: Map<string, string[]>;
  /** Topological order (each node after everything it reads from). Nodes on or after a cycle are left out. */
  order: string[];
  /** Each cycle once, in data-flow order: [a, b, c] means a feeds b, b feeds c, c feeds a. */
  cycles: string[][];
  /** id -> ids of the tasks it serves, in model.outputs order (empty when it reaches no output). */
  serves: Map<string, string[]>;
  /** Task ids, in model.outputs order. */
  tasks: string[];
}

type ModelOnly = Pick<ExperimentSpec, 'model'>;

export function analyzeGraph(spec: ModelOnly): Graph {
  const nodes = new Map<string, GraphNode>();
  spec.model.inputs.forEach((input, index) => {
    if (!nodes.has(input.id)) nodes.set(input.id, { kind: 'input', id: input.id, index, from: [], input });
  });
  spec.model.layers.forEach((layer, index) => {
    if (!nodes.has(layer.id)) nodes.set(layer.id, { kind: 'layer', id: layer.id, index, from: layer.from, layer });
  });

  const consumers = new Map<string, string[]>();
  for (const id of nodes.keys()) consumers.set(id, []);
  for (const node of nodes.values()) {
    for (const source of new Set(node.from)) consumers.get(source)?.push(node.id);
  }

  const tasks = Object.keys(spec.model.outputs);
  const serves = new Map<string, string[]>();
  for (const id of nodes.keys()) serves.set(id, []);
  for (const task of tasks) {
    for (const id of upstream(nodes, outputOf(spec, task))) serves.get(id)?.push(task);
  }

  return { nodes, consumers, order: topologicalOrder(nodes, consumers), cycles: findCycles(nodes, consumers), serves, tasks };
}

/** Ids of `start` and everything that feeds it (dangling references are skipped). */
function upstream(nodes: Map<string, GraphNode>, start: string | undefined): Set<string> {
  const seen = new Set<string>();
  const stack = start !== undefined && nodes.has(start) ? [start] : [];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const source of nodes.get(id)?.from ?? []) if (nodes.has(source)) stack.push(source);
  }
  return seen;
}

/** Kahn's algorithm, stable in document order. */
function topologicalOrder(nodes: Map<string, GraphNode>, consumers: Map<string, string[]>): string[] {
  const pending = new Map<string, number>();
  for (const node of nodes.values()) pending.set(node.id, new Set(node.from.filter((s) => nodes.has(s))).size);
  const ready = [...nodes.keys()].filter((id) => pending.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    order.push(id);
    for (const next of consumers.get(id) ?? []) {
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  return order;
}

/**
 * Depth-first search along data flow; a back edge closes a cycle. Iterative (an explicit
 * stack of [node, next consumer index]): a chain of thousands of layers must not overflow.
 */
function findCycles(nodes: Map<string, GraphNode>, consumers: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  /** Position of each open node on `path`, so closing a cycle does not search the path. */
  const onPath = new Map<string, number>();
  const cycles: string[][] = [];
  const seenKeys = new Set<string>();
  for (const root of nodes.keys()) {
    if (state.has(root)) continue;
    const frames: Array<{ id: string; next: number }> = [{ id: root, next: 0 }];
    state.set(root, 'open'); onPath.set(root, 0); path.push(root);
    while (frames.length) {
      const frame = frames[frames.length - 1]!;
      const out = consumers.get(frame.id) ?? [];
      if (frame.next < out.length) {
        const next = out[frame.next++]!;
        const s = state.get(next);
        if (s === 'open') {
          const cycle = path.slice(onPath.get(next));
          const key = [...cycle].sort().join('\u0000');
          if (!seenKeys.has(key)) { seenKeys.add(key); cycles.push(cycle); }
        } else if (s === undefined) {
          state.set(next, 'open'); onPath.set(next, path.length); path.push(next);
          frames.push({ id: next, next: 0 });
        }
        continue;
      }
      frames.pop(); path.pop(); onPath.delete(frame.id);
      state.set(frame.id, 'done');
    }
  }
  return cycles;
}

/** True when the node feeds two or more task outputs. */
export function isShared(graph: Graph, id: string): boolean {
  return (graph.serves.get(id)?.length ?? 0) >= 2;
}

/**
 * The node ids on one task's path: its output layer and everything feeding it, in
 * topological order. This is the network a single-task baseline of that task trains.
 * Empty when the task has no output or its output names no node.
 */
export function taskSubgraph(spec: ModelOnly, taskId: string, graph: Graph = analyzeGraph(spec)): string[] {
  const members = upstream(graph.nodes, outputOf(spec, taskId));
  const ordered = graph.order.filter((id) => members.has(id));
  // Nodes on a cycle have no topological place; keep them (document order) so nothing is lost.
  const placed = new Set(ordered);
  const rest = [...graph.nodes.keys()].filter((id) => members.has(id) && !placed.has(id));
  return [...ordered, ...rest];
}

/** The output layer id of a task (own properties only: a task named "constructor" is not Object's). */
export function outputOf(spec: ModelOnly, taskId: string): string | undefined {
  return Object.hasOwn(spec.model.outputs, taskId) ? spec.model.outputs[taskId] : undefined;
}

/**
 * The graph node a problem is about, from its JSON path: model.layers[i]..., model.inputs[i]...,
 * model.outputs.<task> (the task's output layer) or layout.<id>. Lets the designer mark nodes.
 */
export function nodeAtPath(spec: ModelOnly, path: readonly (string | number)[]): string | undefined {
  const [root, section, key] = path;
  if (root === 'layout' && typeof section === 'string') return section;
  if (root !== 'model') return undefined;
  if (section === 'layers' && typeof key === 'number') return spec.model.layers[key]?.id;
  if (section === 'inputs' && typeof key === 'number') return spec.model.inputs[key]?.id;
  if (section === 'outputs' && typeof key === 'string') return outputOf(spec, key);
  return undefined;
}
