// The automatic layout: a few milliseconds for hundreds of nodes, computed in the render
// that draws them, so the first frame shows every node where it stays. Deterministic: the
// same graph always gets the same picture.
//   Left to right, a column per depth (the longest path from an input).
//   Top to bottom, a lane per task: each group (the nodes serving one set of tasks) is
//   centred on the mean lane of its tasks, so a shared trunk sits between its branches (as
//   in the report's diagram); groups that share columns are stacked without overlapping.
//   Inside a group, the nodes of a column are stacked in rows, ordered like their inputs.
import { canvasEdges, GROUP_PAD, groupNodes, NODE_SIZE, sizeOf, type CanvasEdge, type LayoutGroup, type Point } from './layout';
import type { DesignModel } from './model';

/** Between two columns of one group, and between boxes (as elk's spacing options were). */
const COLUMN_GAP = 56;
const GROUP_GAP = 40;
const ROW_GAP = 28;
const ROW = NODE_SIZE.height + ROW_GAP;

interface Box { group: LayoutGroup; lane: number; first: number; last: number; rows: number; x: number; right: number; top: number; height: number }

export function columnLayout(model: DesignModel, groups: LayoutGroup[] = groupNodes(model), edges: CanvasEdge[] = canvasEdges(model)): Map<string, Point> {
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
  const row = new Map<string, number>();
  const columns = [...new Set(depth.values())].sort((a, b) => a - b);
  for (const c of columns) {
    for (const g of groups) {
      const cell = cells.get(g)!.get(c);
      if (!cell) continue;
      const key = (id: string): number => {
        const from = inputs.get(id)!.filter((s) => row.has(s));
        return from.length ? from.reduce((sum, s) => sum + row.get(s)!, 0) / from.length : -1;
      };
      const keys = new Map(cell.map((id) => [id, key(id)]));
      cell.sort((a, b) => keys.get(a)! - keys.get(b)!);
      cell.forEach((id, i) => row.set(id, i));
    }
  }

  // Column x: wider gaps where one group ends and another begins, so boxes stand apart.
  const boxes: Box[] = groups.map((g) => {
    const cols = [...cells.get(g)!.keys()];
    const lane = g.tasks.length === 0 ? model.tasks.length : g.tasks.reduce((sum, t) => sum + Math.max(0, model.tasks.findIndex((x) => x.id === t)), 0) / g.tasks.length;
    return { group: g, lane, first: Math.min(...cols), last: Math.max(...cols), rows: Math.max(...[...cells.get(g)!.values()].map((c) => c.length)), x: 0, right: 0, top: 0, height: 0 };
  });
  const lastColumn = Math.max(0, ...columns);
  const columnX: number[] = [0];
  for (let c = 0; c < lastColumn; c++) {
    const boundary = boxes.some((b) => b.last === c) && boxes.some((b) => b.first === c + 1);
    columnX.push(columnX[c]! + NODE_SIZE.width + (boundary ? GROUP_GAP + 2 * GROUP_PAD.side : COLUMN_GAP));
  }
  for (const b of boxes) {
    const widest = Math.max(...cells.get(b.group)!.get(b.last)!.map((id) => sizeOf(id).width));
    b.x = columnX[b.first]! - GROUP_PAD.side;
    b.right = columnX[b.last]! + widest + GROUP_PAD.side;
    b.height = GROUP_PAD.top + (b.rows - 1) * ROW + NODE_SIZE.height + GROUP_PAD.bottom;
  }

  // Lanes: one per task, as tall as the tallest single-task branch; boxes pushed down off the ones above.
  const branches = boxes.filter((b) => b.group.tasks.length === 1);
  const pitch = Math.max(...(branches.length ? branches : boxes).map((b) => b.height)) + GROUP_GAP;
  const placed: Box[] = [];
  for (const b of [...boxes].sort((p, q) => p.lane - q.lane)) {
    b.top = b.lane * pitch - b.height / 2;
    for (const above of placed) {
      if (above.x < b.right + GROUP_GAP && b.x < above.right + GROUP_GAP) b.top = Math.max(b.top, above.top + above.height + GROUP_GAP);
    }
    placed.push(b);
  }
  const top = Math.min(...boxes.map((b) => b.top));

  const positions = new Map<string, Point>();
  for (const b of boxes) {
    for (const [c, cell] of cells.get(b.group)!) {
      cell.forEach((id, i) => {
        const y = b.top - top + GROUP_PAD.top + ((b.rows - cell.length) / 2 + i) * ROW;
        positions.set(id, { x: columnX[c]!, y: y + (NODE_SIZE.height - sizeOf(id).height) / 2 });
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
