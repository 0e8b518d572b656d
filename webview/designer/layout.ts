// Where the nodes of the canvas go. The automatic layout (columnLayout.ts) places every
// node; the document's `layout` names the positions the user chose. Group boxes (the shared
// trunk, each task's branch) are drawn around wherever their members ended up. elk
// (elkLayout.ts) only runs when the user asks for "Auto-layout".
import { isBlockType } from '../../src/core/blockLayers';
import { fromEdgeId, outputEdgeId, parseNodeId, taskNodeId } from '../../src/core/nodeIds';
import type { DesignModel, NodeInfo } from './model';
import type { EdgeRef } from './operations';

export interface Size { width: number; height: number }
export interface Point { x: number; y: number }
/** Which way the graph reads: left to right, or top to bottom (where the canvas is narrow). */
export type Direction = 'LR' | 'TB';

export const NODE_SIZE: Size = { width: 232, height: 92 };
export const TASK_SIZE: Size = { width: 184, height: 84 };
/** Room around a group's members: its label sits in the top padding. */
export const GROUP_PAD = { top: 34, side: 16, bottom: 16 };

export interface LayoutGroup {
  /** Stable id from the served tasks: `group:digit+parity`, `group:digit`, `group:` (serves none). */
  id: string;
  tasks: string[];
  label: string;
  /** The label in fewer words, without the tasks it names (their colours say them), for compact cards (nodes.tsx): "Shared trunk", "Experts + gates". */
  shortLabel: string;
  /** Canvas node ids (inputs, layers, task nodes). */
  members: string[];
}

/**
 * What a group of nodes serving several tasks holds, as its label says it: a shared trunk
 * (layers every task reads whole), task columns (parallelDense, crossStitch: one column per
 * task, tied by cross-stitch units), experts with a gate per task (mmoe, ple), or a lone input.
 * "Shared trunk" over cross-stitch columns said they were one shared stack, which they are not.
 */
const TRUNK = 'Shared trunk';
function sharedContent(members: readonly NodeInfo[], short = false): string {
  const has = (...types: string[]): boolean => members.some((n) => types.includes(n.type));
  const trunk = members.some((n) => n.kind === 'layer' && !isBlockType(n.type));
  const parts = [
    ...(trunk ? [TRUNK.toLowerCase()] : []),
    ...(has('mmoe', 'ple') ? [short ? 'experts + gates' : 'experts + task gates'] : []),
    ...(has('crossStitch') ? [short ? 'cross-stitch' : 'cross-stitch columns'] : has('parallelDense') ? ['task columns'] : []),
  ];
  const text = parts.length ? parts.join(', ') : members.every((n) => n.kind === 'input') ? `shared input${members.length > 1 ? 's' : ''}` : 'shared';
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Nodes grouped by the set of tasks they serve: shared groups first (widest first), then one per task, then unused. */
export function groupNodes(model: DesignModel): LayoutGroup[] {
  const groups = new Map<string, LayoutGroup>();
  const add = (tasks: string[], member: string): void => {
    const id = `group:${tasks.join('+')}`;
    let g = groups.get(id);
    if (!g) {
      g = { id, tasks, label: '', shortLabel: '', members: [] };
      groups.set(id, g);
    }
    g.members.push(member);
  };
  for (const n of model.nodes) add(n.serves, n.id);
  for (const t of model.tasks) add([t.id], taskNodeId(t.id));
  const all = model.tasks.length;
  for (const g of groups.values()) {
    const { tasks } = g;
    const shared = (short = false): string => sharedContent(g.members.map((id) => model.nodeById.get(id)).filter((n): n is NodeInfo => n !== undefined), short);
    g.label = tasks.length === 0 ? 'Not used by any task'
      : tasks.length === 1 ? `${tasks[0]} branch`
        : tasks.length === all ? `${shared()} · ${all === 2 ? 'both tasks' : `all ${all} tasks`}`
          : shared() === TRUNK ? `Shared by ${tasks.join(', ')}` : `${shared()} · ${tasks.join(', ')}`;
    g.shortLabel = tasks.length === 0 ? 'Unused' : tasks.length === 1 ? tasks[0]! : shared(true);
  }
  const rank = (g: LayoutGroup): number => (g.tasks.length === 0 ? 1e9 : g.tasks.length >= 2 ? -g.tasks.length : 0);
  const taskOrder = new Map(model.tasks.map((t, i) => [t.id, i]));
  return [...groups.values()].sort((a, b) => rank(a) - rank(b) || (taskOrder.get(a.tasks[0]!) ?? 0) - (taskOrder.get(b.tasks[0]!) ?? 0));
}

export interface CanvasEdge { id: string; source: string; target: string }

/** What a drawn edge stands for in the document: a layer's "from" reference, or a task's head (the edge into the task's node). */
export function edgeRefOf(e: CanvasEdge): EdgeRef {
  const target = parseNodeId(e.target);
  return target.kind === 'task' ? { kind: 'output', task: target.task } : { kind: 'from', source: e.source, target: e.target };
}

/** The edges drawn on the canvas: every "from" reference, and head -> task node. */
export function canvasEdges(model: DesignModel): CanvasEdge[] {
  const edges: CanvasEdge[] = [];
  for (const n of model.nodes) {
    n.from.forEach((source, i) => { if (model.nodeById.has(source)) edges.push({ id: fromEdgeId(source, n.id, i), source, target: n.id }); });
  }
  for (const t of model.tasks) {
    if (t.output && model.nodeById.has(t.output)) edges.push({ id: outputEdgeId(t.id), source: t.output, target: taskNodeId(t.id) });
  }
  return edges;
}

export const sizeOf = (id: string): Size => (parseNodeId(id).kind === 'task' ? TASK_SIZE : NODE_SIZE);
/** The centre of a node placed at `at`. */
export const nodeCentre = (id: string, at: Point): Point => ({ x: at.x + sizeOf(id).width / 2, y: at.y + sizeOf(id).height / 2 });

/** Every canvas node id: inputs and layers in document order, then the task nodes. */
export const canvasIds = (model: DesignModel): string[] => [...model.nodes.map((n) => n.id), ...model.tasks.map((t) => taskNodeId(t.id))];

/** What a layout engine needs to know about the graph (elkLayout.ts takes it as is). */
export interface LayoutInput {
  groups: LayoutGroup[];
  edges: CanvasEdge[];
  sizeOf(id: string): Size;
  groupPad: typeof GROUP_PAD;
  /** Which way the graph reads (left to right when absent). */
  direction?: Direction;
}

export const layoutInput = (model: DesignModel, groups: LayoutGroup[] = groupNodes(model), edges: CanvasEdge[] = canvasEdges(model), direction: Direction = 'LR'): LayoutInput =>
  ({ groups, edges, sizeOf, groupPad: GROUP_PAD, direction });

/**
 * Final positions: the document's `layout` over the automatic one.
 *
 * A layout written by the designer names every node (see moveNodes), so it is used as is.
 * A layout that names only some nodes (written by hand, like `"trunk1": {"x": 0, "y": 120}`)
 * keeps those positions, and the rest of the graph follows them: each other node keeps its
 * place in the automatic layout relative to the closest listed node it is connected to (so
 * naming one node moves the whole picture with it, instead of piling that node onto the
 * others). Nodes not connected to any listed node follow the listed node nearest to them in
 * the automatic layout. Whatever still lands on a placed node moves down until it is clear.
 */
export function placeNodes(model: DesignModel, auto: ReadonlyMap<string, Point>, edges: CanvasEdge[] = canvasEdges(model)): Map<string, Point> {
  const ids = canvasIds(model);
  const saved = ids.filter((id) => Object.hasOwn(model.layout, id));
  const autoAt = (id: string): Point => auto.get(id) ?? { x: 0, y: 0 };
  if (saved.length === 0) return new Map(ids.map((id) => [id, autoAt(id)]));
  const out = new Map<string, Point>(saved.map((id) => [id, model.layout[id]!]));
  if (saved.length === ids.length) return out;

  // The offset (listed minus automatic) each node follows, spread from the listed nodes along the edges.
  const offset = new Map<string, Point>(saved.map((id) => [id, { x: model.layout[id]!.x - autoAt(id).x, y: model.layout[id]!.y - autoAt(id).y }]));
  const neighbours = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) { neighbours.get(e.source)?.push(e.target); neighbours.get(e.target)?.push(e.source); }
  const queue = [...saved];
  for (let i = 0; i < queue.length; i++) {
    for (const next of neighbours.get(queue[i]!) ?? []) {
      if (offset.has(next)) continue;
      offset.set(next, offset.get(queue[i]!)!);
      queue.push(next);
    }
  }
  const nearest = (p: Point): Point => {
    let best = saved[0]!;
    for (const id of saved) if (distance(autoAt(id), p) < distance(autoAt(best), p)) best = id;
    return offset.get(best)!;
  };

  const placed = saved.map((id) => ({ ...out.get(id)!, ...sizeOf(id) }));
  for (const id of ids) {
    if (out.has(id)) continue;
    const a = autoAt(id);
    const d = offset.get(id) ?? nearest(a);
    const s = sizeOf(id);
    let at = { x: a.x + d.x, y: a.y + d.y };
    for (let i = 0, hit = overlapping(placed, at, s); hit && i <= placed.length; hit = overlapping(placed, at, s), i++) at = { x: at.x, y: hit.y + hit.height + CLEARANCE };
    out.set(id, at);
    placed.push({ ...at, ...s });
  }
  return out;
}

const CLEARANCE = 24;
const distance = (a: Point, b: Point): number => Math.hypot(a.x - b.x, a.y - b.y);

function overlapping(rects: ReadonlyArray<Point & Size>, p: Point, s: Size): (Point & Size) | undefined {
  const m = CLEARANCE / 2;
  return rects.find((r) => p.x < r.x + r.width + m && r.x < p.x + s.width + m && p.y < r.y + r.height + m && r.y < p.y + s.height + m);
}

export interface GroupBox { group: LayoutGroup; x: number; y: number; width: number; height: number }

/** A box around each group's members, wherever they are. */
export function groupBoxes(groups: LayoutGroup[], positions: ReadonlyMap<string, Point>): GroupBox[] {
  const boxes: GroupBox[] = [];
  for (const group of groups) {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of group.members) {
      const p = positions.get(id);
      if (!p) continue;
      const s = sizeOf(id);
      x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x + s.width); y1 = Math.max(y1, p.y + s.height);
    }
    if (x0 === Infinity) continue;
    boxes.push({ group, x: x0 - GROUP_PAD.side, y: y0 - GROUP_PAD.top, width: x1 - x0 + 2 * GROUP_PAD.side, height: y1 - y0 + GROUP_PAD.top + GROUP_PAD.bottom });
  }
  return boxes;
}

/** A key that changes only when the layout must be recomputed (nodes, groups or edges changed). */
export function layoutKey(groups: LayoutGroup[], edges: CanvasEdge[]): string {
  return JSON.stringify([groups.map((g) => [g.id, g.members]), edges.map((e) => e.id)]);
}
