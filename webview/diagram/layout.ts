// Positions of the sharing blocks: columns by depth (inputs left, heads right), and one
// horizontal lane per task; a block sits at the mean lane of the tasks it serves, so the
// shared trunk is centred between the branches it feeds. Sizes come from the text they
// hold (monospace lines). Pure: no DOM.
import { blockFooter } from '../../src/core/blockFooter';
import type { SharingBlock, SharingDiagram } from '../../src/core/sharingBlocks';

export interface PlacedBlock {
  block: SharingBlock; x: number; y: number; width: number; height: number;
  /** Per layer line: its top, and the unit grid drawn under it (a trained run's reliance). */
  lines: Array<{ top: number; grid?: UnitGrid }>;
}

/** A shared layer's units as a grid of small cells under its line: `units` cells of `size` px, `cols` a row. */
export interface UnitGrid { top: number; units: number; cols: number; rows: number; size: number }

/** A unit's cell (large enough for a task's stripes; smaller past `manyUnits` so a flatten layer stays a block, not a page), the gap, the margin below. */
export const UNIT_CELL = { size: 7, smallSize: 3, manyUnits: 320, gap: 1, below: 6 };

/** The grid of `units` cells filling `width` px. */
export function unitGrid(units: number, width: number, top: number): UnitGrid {
  const size = units > UNIT_CELL.manyUnits ? UNIT_CELL.smallSize : UNIT_CELL.size;
  const pitch = size + UNIT_CELL.gap;
  const cols = Math.max(1, Math.floor((width + UNIT_CELL.gap) / pitch));
  return { top, units, cols, rows: Math.ceil(units / cols), size };
}

const gridHeight = (g: UnitGrid) => g.rows * (g.size + UNIT_CELL.gap) - UNIT_CELL.gap + UNIT_CELL.below;
export interface PlacedEdge { from: PlacedBlock; to: PlacedBlock; path: string }
export interface DiagramLayout { blocks: PlacedBlock[]; edges: PlacedEdge[]; width: number; height: number }

export const METRICS = { charWidth: 7.2, line: 18, header: 26, footer: 24, padX: 12, gapX: 56, gapY: 18, minWidth: 180 };

const int = (n: number) => n.toLocaleString('en-US');
const shapeText = (shape?: number[]) => (shape ? `[${shape.join('×')}]` : '[?]');

/** The text lines of a block body, left part and right-aligned parameter count. */
export function blockLines(b: SharingBlock): Array<{ left: string; right: string }> {
  return b.layers.map((l) => ({
    left: b.kind === 'input' ? `${shapeText(l.shape)}` : `${l.id} · ${l.type} → ${shapeText(l.shape)}`,
    right: b.kind === 'input' ? '' : l.params === undefined ? '?' : int(l.params),
  }));
}

export function blockTitle(b: SharingBlock, taskCount: number): string {
  switch (b.kind) {
    case 'input': return `input ${b.layers[0]?.id ?? ''}`;
    case 'shared': return b.tasks.length === taskCount ? 'shared by all tasks' : `shared by ${b.tasks.join(', ')}`;
    case 'task': return `only ${b.tasks[0] ?? ''}`;
    case 'unused': return 'feeds no task';
  }
}

/** `unitsOf(layer)`: how many units to draw under a layer's line (a run's shared layers with reliance), else undefined. */
export function layoutDiagram(d: SharingDiagram, unitsOf: (layer: string) => number | undefined = () => undefined): DiagramLayout {
  const m = METRICS;
  const lane = new Map(d.tasks.map((t, i) => [t, i]));
  const placed = d.blocks.map((block): PlacedBlock => {
    const lines = blockLines(block);
    const widest = Math.max(blockTitle(block, d.tasks.length).length + 2, ...lines.map((l) => l.left.length + l.right.length + 3), blockFooter(block, d).length + 2);
    const width = Math.max(m.minWidth, Math.ceil(widest * m.charWidth) + 2 * m.padX);
    let top = m.header;
    const placedLines = block.layers.map((layer) => {
      const line: PlacedBlock['lines'][number] = { top };
      top += m.line;
      const units = block.kind === 'input' ? undefined : unitsOf(layer.id);
      if (units) {
        line.grid = unitGrid(units, width - 2 * m.padX, top);
        top += gridHeight(line.grid);
      }
      return line;
    });
    const height = top + (block.kind === 'input' ? 8 : m.footer);
    return { block, x: 0, y: 0, width, height, lines: placedLines };
  });

  const maxDepth = Math.max(0, ...placed.map((p) => p.block.depth));
  const columns: PlacedBlock[][] = Array.from({ length: maxDepth + 1 }, () => []);
  for (const p of placed) columns[p.block.depth]!.push(p);
  const pitch = Math.max(70, ...placed.filter((p) => p.block.kind === 'task').map((p) => p.height + m.gapY));

  let x = 0;
  for (const col of columns) {
    const width = Math.max(0, ...col.map((p) => p.width));
    for (const p of col) {
      const lanes = p.block.tasks.map((t) => lane.get(t) ?? 0);
      const centre = lanes.length ? lanes.reduce((a, b) => a + b, 0) / lanes.length : d.tasks.length;
      p.x = x;
      p.y = centre * pitch - p.height / 2;
    }
    // No overlaps inside a column: push blocks down in order of their centres.
    col.sort((a, b) => a.y + a.height / 2 - (b.y + b.height / 2));
    for (let i = 1; i < col.length; i++) {
      const prev = col[i - 1]!, cur = col[i]!;
      if (cur.y < prev.y + prev.height + m.gapY) cur.y = prev.y + prev.height + m.gapY;
    }
    x += width + m.gapX;
  }
  const top = Math.min(0, ...placed.map((p) => p.y));
  for (const p of placed) p.y -= top;

  const byKey = new Map(placed.map((p) => [p.block.key, p]));
  const edges: PlacedEdge[] = [];
  for (const [a, b] of d.edges) {
    const from = byKey.get(a), to = byKey.get(b);
    if (!from || !to) continue;
    const x1 = from.x + from.width, y1 = from.y + from.height / 2, x2 = to.x, y2 = to.y + to.height / 2;
    const mx = (x1 + x2) / 2;
    edges.push({ from, to, path: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 2},${y2}` });
  }
  return {
    blocks: placed, edges,
    width: Math.max(0, ...placed.map((p) => p.x + p.width)),
    height: Math.max(0, ...placed.map((p) => p.y + p.height)),
  };
}
