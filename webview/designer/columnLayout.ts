// The automatic layout: a few milliseconds for hundreds of nodes, computed in the render
// that draws them, so the first frame shows every node where it stays. Deterministic: the
// same graph always gets the same picture. Described left to right (LR); top to bottom (TB)
// is the same picture with the two axes exchanged (narrow editors, see flowDirection.ts).
//   Along the flow, a column per depth (the longest path from an input).
//   Across it, a lane per task: each group (the nodes serving one set of tasks) is
//   centred on the mean lane of its tasks, so a shared trunk sits between its branches (as
//   in the report's diagram); groups that share columns are stacked without overlapping.
//   Inside a group, the nodes of a column are stacked in rows, ordered like their inputs.
import { canvasEdges, GROUP_PAD, groupNodes, NODE_SIZE, sizeOf, type CanvasEdge, type Direction, type LayoutGroup, type Point, type Size } from './layout';
import type { DesignModel } from './model';

/** Between two columns of one group, and between boxes (as elk's spacing options were). */
const COLUMN_GAP = 56;
const GROUP_GAP = 40;
const ROW_GAP = 28;
/**
 * Top to bottom, cards are wider than tall: rows of cards need less room between them than columns do.
 * 32 leaves the arrow 22 px between the handles; at 40 digits-parity (696 px high) fitted a 1400x900
 * VS Code window's designer only at zoom 0.905, under READABLE_ZOOM, and a 1024x768 one at 0.88.
 */
const TB_COLUMN_GAP = 32;
const TB_GROUP_GAP = 24;

/** Sizes and paddings along the flow and across it, for one direction. */
interface Axes {
  along(s: Size): number;
  across(s: Size): number;
  pad: { alongStart: number; alongEnd: number; acrossStart: number; acrossEnd: number };
  columnGap: number;
  groupGap: number;
  point(along: number, across: number): Point;
}

const AXES: Record<Direction, Axes> = {
  LR: {
    along: (s) => s.width, across: (s) => s.height, columnGap: COLUMN_GAP, groupGap: GROUP_GAP,
    pad: { alongStart: GROUP_PAD.side, alongEnd: GROUP_PAD.side, acrossStart: GROUP_PAD.top, acrossEnd: GROUP_PAD.bottom },
    point: (along, across) => ({ x: along, y: across }),
  },
  TB: {
    along: (s) => s.height, across: (s) => s.width, columnGap: TB_COLUMN_GAP, groupGap: TB_GROUP_GAP,
    pad: { alongStart: GROUP_PAD.top, alongEnd: GROUP_PAD.bottom, acrossStart: GROUP_PAD.side, acrossEnd: GROUP_PAD.side },
    point: (along, across) => ({ x: across, y: along }),
  },
};

interface Box { group: LayoutGroup; lane: number; first: number; last: number; rows: number; start: number; end: number; top: number; height: number }

export function columnLayout(model: DesignModel, groups: LayoutGroup[] = groupNodes(model), edges: CanvasEdge[] = canvasEdges(model), direction: Direction = 'LR'): Map<string, Point> {
  const ax = AXES[direction];
  const row = ax.across(NODE_SIZE) + ROW_GAP;
  const ids = groups.flatMap((g) => g.members);
  const inputs = new Map<string, string[]>(ids.map((id) => [id, []]));
  const outputs = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) {
    if (e.source === e.target || !inputs.has(e.target) || !inputs.has(e.source)) continue;
    inputs.get(e.target)!.push(e.source);
    outputs.get(e.source)!.push(e.target);
  }
  const depth = depths(ids, inputs, outputs);

  // Rows: the nodes of one group in one column, in the order of their inputs' rows.
  const cells = new Map<LayoutGroup, Map<number, string[]>>();
  for (const g of groups) {
    const byColumn = new Map<number, string[]>();
    for (const id of g.members) byColumn.set(depth.get(id)!, [...(byColumn.get(depth.get(id)!) ?? []), id]);
    cells.set(g, byColumn);
  }
  const rowOf = new Map<string, number>();
  const columns = [...new Set(depth.values())].sort((a, b) => a - b);
  for (const c of columns) {
    for (const g of groups) {
      const cell = cells.get(g)!.get(c);
      if (!cell) continue;
      const key = (id: string): number => {
        const from = inputs.get(id)!.filter((s) => rowOf.has(s));
        return from.length ? from.reduce((sum, s) => sum + rowOf.get(s)!, 0) / from.length : -1;
      };
      const keys = new Map(cell.map((id) => [id, key(id)]));
      cell.sort((a, b) => keys.get(a)! - keys.get(b)!);
      cell.forEach((id, i) => rowOf.set(id, i));
    }
  }

  // Column starts along the flow: wider gaps where one group ends and another begins, so boxes stand apart.
  const boxes: Box[] = groups.map((g) => {
    const cols = [...cells.get(g)!.keys()];
    const lane = g.tasks.length === 0 ? model.tasks.length : g.tasks.reduce((sum, t) => sum + Math.max(0, model.tasks.findIndex((x) => x.id === t)), 0) / g.tasks.length;
    return { group: g, lane, first: Math.min(...cols), last: Math.max(...cols), rows: Math.max(...[...cells.get(g)!.values()].map((c) => c.length)), start: 0, end: 0, top: 0, height: 0 };
  });
  const lastColumn = Math.max(0, ...columns);
  const columnAt: number[] = [0];
  for (let c = 0; c < lastColumn; c++) {
    const boundary = boxes.some((b) => b.last === c) && boxes.some((b) => b.first === c + 1);
    columnAt.push(columnAt[c]! + ax.along(NODE_SIZE) + (boundary ? ax.groupGap + ax.pad.alongEnd + ax.pad.alongStart : ax.columnGap));
  }
  for (const b of boxes) {
    const longest = Math.max(...cells.get(b.group)!.get(b.last)!.map((id) => ax.along(sizeOf(id))));
    b.start = columnAt[b.first]! - ax.pad.alongStart;
    b.end = columnAt[b.last]! + longest + ax.pad.alongEnd;
    b.height = ax.pad.acrossStart + (b.rows - 1) * row + ax.across(NODE_SIZE) + ax.pad.acrossEnd;
  }

  // Lanes across the flow: one per task, as wide as the widest single-task branch; boxes pushed off the ones before.
  const branches = boxes.filter((b) => b.group.tasks.length === 1);
  const pitch = Math.max(...(branches.length ? branches : boxes).map((b) => b.height)) + ax.groupGap;
  const placed: Box[] = [];
  for (const b of [...boxes].sort((p, q) => p.lane - q.lane)) {
    b.top = b.lane * pitch - b.height / 2;
    for (const before of placed) {
      if (before.start < b.end + ax.groupGap && b.start < before.end + ax.groupGap) b.top = Math.max(b.top, before.top + before.height + ax.groupGap);
    }
    placed.push(b);
  }
  const top = Math.min(...boxes.map((b) => b.top));

  const positions = new Map<string, Point>();
  for (const b of boxes) {
    for (const [c, cell] of cells.get(b.group)!) {
      cell.forEach((id, i) => {
        const across = b.top - top + ax.pad.acrossStart + ((b.rows - cell.length) / 2 + i) * row;
        positions.set(id, ax.point(columnAt[c]!, across + (ax.across(NODE_SIZE) - ax.across(sizeOf(id))) / 2));
      });
    }
  }
  return positions;
}

/** Longest path from a node without inputs (Kahn's order); nodes on a cycle go one column after what feeds them. */
function depths(ids: string[], inputs: Map<string, string[]>, outputs: Map<string, string[]>): Map<string, number> {
  const depth = new Map<string, number>();
  const pending = new Map(ids.map((id) => [id, inputs.get(id)!.length]));
  const ready = ids.filter((id) => pending.get(id) === 0);
  for (const id of ready) depth.set(id, 0);
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i]!;
    for (const next of outputs.get(id)!) {
      depth.set(next, Math.max(depth.get(next) ?? 0, depth.get(id)! + 1));
      const left = pending.get(next)! - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  for (const id of ids) {
    if (pending.get(id) === 0) continue;
    depth.set(id, Math.max(0, ...inputs.get(id)!.flatMap((s) => (pending.get(s) === 0 ? [depth.get(s)! + 1] : []))));
    pending.set(id, 0);
  }
  return depth;
}
