// Automatic layout: elk "layered" left to right, with one group per set of tasks served,
// so the shared trunk and each task's branch sit in their own box. Saved positions (the
// document's `layout`) win over computed ones; group boxes are then drawn around wherever
// their members ended up.
import type { ElkNode } from 'elkjs/lib/elk-api';
import { taskNodeId, type DesignModel } from './model';

export interface Size { width: number; height: number }
export interface Point { x: number; y: number }

export const NODE_SIZE: Size = { width: 224, height: 100 };
export const TASK_SIZE: Size = { width: 184, height: 84 };
const GROUP_PAD = { top: 34, side: 16, bottom: 16 };

export interface LayoutGroup {
  /** Stable id from the served tasks: `group:digit+parity`, `group:digit`, `group:` (serves none). */
  id: string;
  tasks: string[];
  label: string;
  /** Canvas node ids (inputs, layers, task nodes). */
  members: string[];
}

/** Nodes grouped by the set of tasks they serve: shared groups first (widest first), then one per task, then unused. */
export function groupNodes(model: DesignModel): LayoutGroup[] {
  const groups = new Map<string, LayoutGroup>();
  const all = model.tasks.length;
  const add = (tasks: string[], member: string): void => {
    const id = `group:${tasks.join('+')}`;
    let g = groups.get(id);
    if (!g) {
      const label = tasks.length === 0 ? 'Not used by any task'
        : tasks.length === 1 ? `${tasks[0]} branch`
          : tasks.length === all ? `Shared trunk · all ${all} tasks` : `Shared by ${tasks.join(', ')}`;
      g = { id, tasks, label, members: [] };
      groups.set(id, g);
    }
    g.members.push(member);
  };
  for (const n of model.nodes) add(n.serves, n.id);
  for (const t of model.tasks) add([t.id], taskNodeId(t.id));
  const rank = (g: LayoutGroup): number => (g.tasks.length === 0 ? 1e9 : g.tasks.length >= 2 ? -g.tasks.length : 0);
  const taskOrder = new Map(model.tasks.map((t, i) => [t.id, i]));
  return [...groups.values()].sort((a, b) => rank(a) - rank(b) || (taskOrder.get(a.tasks[0]!) ?? 0) - (taskOrder.get(b.tasks[0]!) ?? 0));
}

export interface CanvasEdge { id: string; source: string; target: string }

/** The edges drawn on the canvas: every "from" reference, and head -> task node. */
export function canvasEdges(model: DesignModel): CanvasEdge[] {
  const edges: CanvasEdge[] = [];
  for (const n of model.nodes) {
    n.from.forEach((source, i) => { if (model.nodeById.has(source)) edges.push({ id: `from:${source}->${n.id}#${i}`, source, target: n.id }); });
  }
  for (const t of model.tasks) {
    if (t.output && model.nodeById.has(t.output)) edges.push({ id: `output:${t.id}`, source: t.output, target: taskNodeId(t.id) });
  }
  return edges;
}

export const sizeOf = (id: string): Size => (id.startsWith('task:') ? TASK_SIZE : NODE_SIZE);

/**
 * Runs of nodes that elk may treat as one: a chain a -> b -> c inside one group, where each
 * link is the only way out of its start and the only way into its end. Deep networks are
 * mostly such chains; laying them out as single wide nodes gives the picture elk would draw
 * and keeps a 100-layer graph to a handful of elk nodes (elk's time grows quickly with nodes).
 */
export function chainsOf(model: DesignModel, groups: LayoutGroup[], edges: CanvasEdge[] = canvasEdges(model)): string[][] {
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g.id);
  const outs = new Map<string, string[]>();
  const ins = new Map<string, string[]>();
  for (const e of edges) {
    outs.set(e.source, [...(outs.get(e.source) ?? []), e.target]);
    ins.set(e.target, [...(ins.get(e.target) ?? []), e.source]);
  }
  const next = (id: string): string | undefined => {
    const o = outs.get(id);
    if (o?.length !== 1) return undefined;
    const t = o[0]!;
    return ins.get(t)?.length === 1 && groupOf.get(t) === groupOf.get(id) && t !== id ? t : undefined;
  };
  const hasPrev = new Set<string>();
  for (const id of groupOf.keys()) { const n = next(id); if (n !== undefined) hasPrev.add(n); }
  const chains: string[][] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    for (const start of g.members) {
      if (hasPrev.has(start) || seen.has(start)) continue;
      const chain = [start];
      seen.add(start);
      for (let n = next(start); n !== undefined && !seen.has(n); n = next(n)) { chain.push(n); seen.add(n); }
      chains.push(chain);
    }
    // Members left over sit on a cycle; each stays on its own.
    for (const m of g.members) if (!seen.has(m)) { chains.push([m]); seen.add(m); }
  }
  return chains;
}

const CHAIN_GAP = 56;

function chainSize(chain: string[]): Size {
  const sizes = chain.map(sizeOf);
  return { width: sizes.reduce((w, s) => w + s.width, 0) + CHAIN_GAP * (chain.length - 1), height: Math.max(...sizes.map((s) => s.height)) };
}

/** The elk graph (groups as compound nodes holding chains, edges at the root) and the chains by id (their first node). */
export function layoutPlan(model: DesignModel, groups: LayoutGroup[] = groupNodes(model)): { graph: ElkNode; chains: Map<string, string[]> } {
  const edges = canvasEdges(model);
  const chains = chainsOf(model, groups, edges);
  const chainOf = new Map<string, string>();
  for (const c of chains) for (const id of c) chainOf.set(id, c[0]!);
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g.id);
  const members = new Map<string, string[][]>();
  for (const c of chains) members.set(groupOf.get(c[0]!)!, [...(members.get(groupOf.get(c[0]!)!) ?? []), c]);
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': String(CHAIN_GAP),
      'elk.spacing.nodeNode': '28',
      'elk.spacing.componentComponent': '40',
    },
    children: groups.map((g) => ({
      id: g.id,
      layoutOptions: { 'elk.padding': `[top=${GROUP_PAD.top},left=${GROUP_PAD.side},bottom=${GROUP_PAD.bottom},right=${GROUP_PAD.side}]` },
      children: (members.get(g.id) ?? []).map((c) => ({ id: c[0]!, ...chainSize(c) })),
    })),
    // Links inside a chain are implied; the others end at a chain's first node.
    edges: edges.filter((e) => chainOf.get(e.target) === e.target).map((e) => ({ id: e.id, sources: [chainOf.get(e.source)!], targets: [e.target] })),
  };
  return { graph, chains: new Map(chains.map((c) => [c[0]!, c])) };
}

export const elkGraph = (model: DesignModel, groups?: LayoutGroup[]): ElkNode => layoutPlan(model, groups).graph;

export interface LayoutEngine { layout(graph: ElkNode): Promise<ElkNode> }

/** Absolute positions of every node as elk places them (chains unrolled left to right). */
export async function autoLayout(elk: LayoutEngine, model: DesignModel, groups: LayoutGroup[] = groupNodes(model)): Promise<Map<string, Point>> {
  const plan = layoutPlan(model, groups);
  const result = await elk.layout(plan.graph);
  const positions = new Map<string, Point>();
  for (const g of result.children ?? []) {
    for (const n of g.children ?? []) {
      const chain = plan.chains.get(n.id) ?? [n.id];
      const height = chainSize(chain).height;
      let x = (g.x ?? 0) + (n.x ?? 0);
      const y = (g.y ?? 0) + (n.y ?? 0);
      for (const id of chain) {
        const s = sizeOf(id);
        positions.set(id, { x, y: y + (height - s.height) / 2 });
        x += s.width + CHAIN_GAP;
      }
    }
  }
  return positions;
}

/** Saved positions first, then computed ones, then a spot right of the node's first input (new nodes before elk answers). */
export function placeNodes(model: DesignModel, computed: ReadonlyMap<string, Point>): Map<string, Point> {
  const out = new Map<string, Point>();
  const place = (id: string, from: string | undefined): Point => {
    const known = out.get(id) ?? model.layout[id] ?? computed.get(id);
    if (known) return known;
    const source = from !== undefined ? out.get(from) : undefined;
    return source ? { x: source.x + NODE_SIZE.width + 56, y: source.y } : { x: 0, y: out.size * 40 };
  };
  for (const id of model.graph.order) out.set(id, place(id, model.nodeById.get(id)?.from[0]));
  for (const n of model.nodes) if (!out.has(n.id)) out.set(n.id, place(n.id, undefined));
  for (const t of model.tasks) out.set(taskNodeId(t.id), place(taskNodeId(t.id), t.output));
  return clearOfSaved(out, new Set(Object.keys(model.layout).filter((id) => out.has(id))));
}

/** Computed positions that fall on a saved one (a layout that names only some nodes) move below it. */
function clearOfSaved(positions: Map<string, Point>, saved: ReadonlySet<string>): Map<string, Point> {
  if (saved.size === 0 || saved.size === positions.size) return positions;
  const fixed = [...saved].map((id) => ({ ...positions.get(id)!, ...sizeOf(id) }));
  const hits = (p: Point, s: Size): { y: number; height: number } | undefined =>
    fixed.find((f) => p.x < f.x + f.width && f.x < p.x + s.width && p.y < f.y + f.height && f.y < p.y + s.height);
  for (const [id, p] of positions) {
    if (saved.has(id)) continue;
    const s = sizeOf(id);
    let at = p;
    for (let hit = hits(at, s), i = 0; hit && i < fixed.length + 1; hit = hits(at, s), i++) at = { x: at.x, y: hit.y + hit.height + 24 };
    if (at !== p) positions.set(id, at);
  }
  return positions;
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
export function layoutKey(model: DesignModel, groups: LayoutGroup[]): string {
  return JSON.stringify([groups.map((g) => [g.id, g.members]), canvasEdges(model).map((e) => e.id)]);
}
