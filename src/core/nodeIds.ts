// Ids of what the designer draws: a node per input and layer (its own id), a node per task,
// and the edges between them. A task's node id is also the key of its position in the
// document's `layout`, so it is part of the file format: "task:<task id>" (never changes).
// Made and read here only; nothing else slices the prefix off.

const TASK_PREFIX = 'task:';

/** A canvas node: an input or a layer of the graph (by its id), or a task's node. */
export type CanvasNodeRef = { kind: 'graph'; id: string } | { kind: 'task'; task: string };

/** The canvas node id (and `layout` key) of a task's node. */
export const taskNodeId = (task: string): string => `${TASK_PREFIX}${task}`;

export function parseNodeId(id: string): CanvasNodeRef {
  return id.startsWith(TASK_PREFIX) ? { kind: 'task', task: id.slice(TASK_PREFIX.length) } : { kind: 'graph', id };
}

/** The edge of the `index`-th "from" reference of `target` to `source`. */
export const fromEdgeId = (source: string, target: string, index: number): string => `from:${source}->${target}#${index}`;

/** The edge from a task's head layer to the task's node. */
export const outputEdgeId = (task: string): string => `output:${task}`;
