// The shared-weight diagram of report.md: input(s) → shared block(s) → one branch per task.
// The grouping (layers serving the same set of tasks form one block), the block edges and
// depths, shapes and parameter counts come from core/sharingBlocks.ts, like the diagram
// webview's; this file only lays the blocks out and draws them as a standalone SVG. Because a
// layer serves the union of the tasks of the layers it feeds, a block only ever feeds blocks
// serving fewer tasks: a tree-like DAG.
import { sharingDiagram, type BlockLayer, type SharingBlock } from '../../core/sharingBlocks';
import type { ExperimentSpec } from '../../core/spec';
import { NEUTRAL_HEX, taskColorHex } from '../../core/taskColors';
import { blockFooter } from '../../core/blockFooter';
import { escapeXml, formatInteger } from '../../core/markup';

interface BlockColor { fill: string; stroke: string }

/** `hex` mixed with white: a block's background, light enough for dark text. */
export function tint(hex: string, amount = 0.14): string {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `#${c.map((v) => Math.round(255 - (255 - v) * amount).toString(16).padStart(2, '0')).join('')}`;
}

/** Shared: neutral, with its tasks' colours as a bar along the top (core/taskColors). */
export const SHARED_COLOR: BlockColor = { fill: tint(NEUTRAL_HEX, 0.05), stroke: NEUTRAL_HEX };
export const INPUT_COLOR: BlockColor = { fill: '#eeeeee', stroke: '#999999' };

export function taskColor(index: number): BlockColor {
  const stroke = taskColorHex(index);
  return { fill: tint(stroke), stroke };
}

const BAR = 5;

/** A sharing block placed on the canvas, its tasks in spec.tasks order (lanes, colours, labels). */
interface Block extends SharingBlock {
  x: number;
  y: number;
  width: number;
  height: number;
}

const LINE = 15;
const HEADER = 22;
const FOOTER = 20;
const CHAR_W = 6.4; // monospace 11px

function shapeText(shape: number[] | undefined): string {
  return shape ? `[${shape.map((d) => (d < 0 ? '?' : String(d))).join('×')}]` : '[?]';
}

interface Line { left: string; right: string; /** A sharing block's part: the tasks it serves. */ tasks?: string[] }

/** A layer's line, then for a sharing block one line per part: what each task gets of it. */
function layerLines(l: BlockLayer): Line[] {
  return [
    { left: `${l.id} · ${l.type} → ${shapeText(l.shape)}`, right: l.params === undefined ? '?' : formatInteger(l.params) },
    ...(l.parts ?? []).map((p) => ({ left: `  ${p.label}: ${p.tasks.length > 1 ? 'shared' : p.tasks[0] ?? 'unused'}`, right: formatInteger(p.params), tasks: p.tasks })),
  ];
}

export function sharedWeightDiagramSvg(spec: Pick<ExperimentSpec, 'name' | 'tasks' | 'model'>): string {
  const diagram = sharingDiagram(spec);
  const taskOrder = spec.tasks.map((t) => t.id);
  const taskIndex = new Map(taskOrder.map((t, i) => [t, i]));
  const sortTasks = (ts: string[]): string[] => [...ts].sort((a, b) => (taskIndex.get(a) ?? 1e9) - (taskIndex.get(b) ?? 1e9) || a.localeCompare(b));

  const list: Block[] = diagram.blocks.map((b) => ({ ...b, tasks: sortTasks(b.tasks), x: 0, y: 0, width: 0, height: 0 }));
  const byKey = new Map(list.map((b) => [b.key, b]));
  const blockEdges = diagram.edges.flatMap(([a, b]): Array<[Block, Block]> => {
    const from = byKey.get(a), to = byKey.get(b);
    return from && to ? [[from, to]] : [];
  });

  // Size blocks.
  for (const b of list) {
    const header = blockHeader(b, taskOrder.length);
    const lines = b.layers.flatMap(layerLines);
    const widest = Math.max(header.length + 2, ...lines.map((line) => line.left.length + line.right.length + 3), blockFooter(b, diagram).length + 2);
    b.width = Math.max(170, Math.ceil(widest * CHAR_W) + 20);
    b.height = HEADER + lines.length * LINE + (b.kind === 'input' ? 6 : FOOTER) + 4;
  }

  // Columns by depth; rows: each task has a lane, a block sits at the mean lane of its tasks.
  const maxDepth = Math.max(0, ...list.map((b) => b.depth));
  const colX: number[] = [];
  let x = 20;
  for (let d = 0; d <= maxDepth; d++) {
    colX.push(x);
    x += Math.max(0, ...list.filter((b) => b.depth === d).map((b) => b.width)) + 60;
  }
  const lanePitch = Math.max(70, ...list.filter((b) => b.kind === 'task').map((b) => b.height + 24));
  for (const b of list) {
    const lanes = b.tasks.map((t) => taskIndex.get(t) ?? 0);
    const lane = lanes.length ? lanes.reduce((s, v) => s + v, 0) / lanes.length : taskOrder.length;
    b.x = colX[b.depth] ?? 20;
    b.y = lane * lanePitch - b.height / 2;
  }
  for (let d = 0; d <= maxDepth; d++) {
    const col = list.filter((b) => b.depth === d).sort((p, q) => p.y + p.height / 2 - (q.y + q.height / 2));
    for (let i = 1; i < col.length; i++) {
      const prev = col[i - 1] as Block, cur = col[i] as Block;
      if (cur.y < prev.y + prev.height + 20) cur.y = prev.y + prev.height + 20;
    }
  }
  const top = Math.min(...list.map((b) => b.y));
  const offset = 50 - top;
  for (const b of list) b.y += offset;
  const diagramBottom = Math.max(...list.map((b) => b.y + b.height));
  const width = Math.max(x - 40, 420);

  const out: string[] = [];
  const legendY = diagramBottom + 30;
  const legend: Array<{ label: string; color: BlockColor; bar?: string[] }> = [
    { label: 'input', color: INPUT_COLOR }, { label: 'shared (2+ tasks)', color: SHARED_COLOR, bar: taskOrder.map((_, i) => taskColorHex(i)) },
    ...taskOrder.map((t, i) => ({ label: `only ${t}`, color: taskColor(i) })),
  ];
  const legendRows = Math.ceil(legend.length / 4);
  const height = legendY + legendRows * 20 + 10;
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="sans-serif" font-size="11">`);
  out.push(`<title>${escapeXml(`Shared-weight diagram of ${spec.name}`)}</title>`);
  out.push(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>`);
  out.push(`<rect width="${Math.ceil(width)}" height="${Math.ceil(height)}" fill="#ffffff"/>`);
  out.push(`<text x="20" y="26" font-size="13" font-weight="bold" fill="#222">${escapeXml(spec.name)}: weights shared across tasks</text>`);

  for (const [a, b] of blockEdges) {
    const x1 = a.x + a.width, y1 = a.y + a.height / 2, x2 = b.x, y2 = b.y + b.height / 2;
    const mx = (x1 + x2) / 2;
    out.push(`<path d="M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}" fill="none" stroke="#666" stroke-width="1.5" marker-end="url(#arrow)"/>`);
  }
  list.forEach((b, n) => {
    const color = blockColor(b, taskIndex);
    const cls = b.kind === 'task' ? 'task-specific' : b.kind;
    out.push(`<g class="block ${cls}" data-tasks="${escapeXml(b.tasks.join(','))}">`);
    out.push(`<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6" fill="${color.fill}" stroke="${color.stroke}" stroke-width="${b.kind === 'shared' ? 2 : 1.5}"/>`);
    if (b.kind === 'shared') {
      out.push(`<clipPath id="block-${n}"><rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" rx="6"/></clipPath>`);
      out.push(stripes(b.tasks.map((t) => taskColorHex(taskIndex.get(t) ?? 0)), b.x, b.y, b.width, BAR, `block-${n}`));
    }
    out.push(`<text x="${b.x + 8}" y="${b.y + 15}" font-weight="bold" fill="#222">${escapeXml(blockHeader(b, taskOrder.length))}</text>`);
    b.layers.flatMap(layerLines).forEach((line, i) => {
      const ly = b.y + HEADER + 11 + i * LINE;
      // A part of one task in that task's colour; shared parts and layers in the text colour.
      const fill = line.tasks?.length === 1 ? taskColorHex(taskIndex.get(line.tasks[0]!) ?? 0) : '#222';
      out.push(`<text x="${b.x + 8}" y="${ly}" font-family="monospace" fill="${fill}">${escapeXml(line.left)}</text>`);
      if (b.kind !== 'input') out.push(`<text x="${b.x + b.width - 8}" y="${ly}" font-family="monospace" text-anchor="end" fill="${fill}">${escapeXml(line.right)}</text>`);
    });
    if (b.kind !== 'input') {
      out.push(`<text x="${b.x + b.width - 8}" y="${b.y + b.height - 8}" text-anchor="end" font-weight="bold" fill="#333">${escapeXml(blockFooter(b, diagram))}</text>`);
    }
    out.push('</g>');
  });
  legend.forEach((l, i) => {
    const lx = 20 + (i % 4) * Math.max(100, (width - 40) / 4);
    const ly = legendY + Math.floor(i / 4) * 20;
    out.push(`<rect x="${lx}" y="${ly - 10}" width="14" height="12" rx="2" fill="${l.color.fill}" stroke="${l.color.stroke}"/>`);
    if (l.bar) out.push(stripes(l.bar, lx, ly - 10, 14, 3));
    out.push(`<text x="${lx + 20}" y="${ly}" fill="#333">${escapeXml(l.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function blockHeader(b: Block, taskCount: number): string {
  switch (b.kind) {
    case 'input': return `input ${b.layers[0]?.id ?? ''}`;
    case 'shared': return b.tasks.length === taskCount ? 'shared by all tasks' : `shared by ${b.tasks.join(', ')}`;
    case 'task': return `only ${b.tasks[0] ?? ''}`;
    case 'unused': return 'feeds no task output';
  }
}

/** Equal bands of `colors` side by side (a shared block's top bar), clipped to the block's corners when given. */
function stripes(colors: string[], x: number, y: number, width: number, height: number, clip?: string): string {
  const w = width / Math.max(1, colors.length);
  const clipped = clip ? ` clip-path="url(#${clip})"` : '';
  return colors.map((c, i) => `<rect class="task-bar" x="${f(x + i * w)}" y="${y}" width="${f(w)}" height="${height}" fill="${c}"${clipped}/>`).join('');
}

const f = (v: number): string => String(Math.round(v * 100) / 100);

function blockColor(b: Block, taskIndex: Map<string, number>): BlockColor {
  if (b.kind === 'input' || b.kind === 'unused') return INPUT_COLOR;
  if (b.kind === 'shared') return SHARED_COLOR;
  return taskColor(taskIndex.get(b.tasks[0] ?? '') ?? 0);
}
