// The graph canvas (@xyflow/react): nodes placed by layout.ts, edges from "from" and
// model.outputs, group boxes behind them. Every change the user makes (connect, delete,
// duplicate, move, drop from the palette) becomes a document edit; the canvas itself only
// holds positions while a drag is in flight. It opens framing the graph at a readable zoom
// (viewport.ts) and keeps it framed as the editor is resized, until the user pans or zooms.
import {
  Background, BackgroundVariant, Controls, EdgeLabelRenderer, MiniMap, Position, ReactFlow, useReactFlow, useStore, ViewportPortal,
  type Connection, type ReactFlowState, type Edge, type EdgeChange, type Node, type NodeChange, type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useImperativeHandle, useLayoutEffect, useMemo, useRef, useState, type DragEvent, type FocusEvent, type KeyboardEvent, type RefObject } from 'react';
import { LAYER_TYPES } from '../../src/core/experimentSchema';
import { parseNodeId, taskNodeId } from '../../src/core/nodeIds';
import type { LayerType } from '../../src/core/spec';
import { useDesigner } from './context';
import { canvasEdges, edgeRefOf, groupBoxes, NODE_SIZE, sizeOf, TASK_SIZE, type Direction, type LayoutGroup, type Point, type Size } from './layout';
import { TASK_COLORS } from './model';
import { CompactCards, describeNode, describeTask, FlowDirection, GroupBoxView, GroupLabelView, NODE_TYPES, OpeningZoom, type LayerNode, type TaskNode } from './nodes';
import { addInput, addLayer, connect, deleteElements, duplicateNodes, moveNodes, type EdgeRef } from './operations';
import { cardAfterDelete, focusCard } from './focusAfterDelete';
import { EditButton } from './EditButton';
import { motionMs } from '../common/motion';
import { PALETTE_MIME } from './Palette';
import type { Selection } from './selection';
import { fitViewport, framesCompact, graphBounds, inView, MIN_ZOOM, minimapFor, openingViewport, opensCompact, panToShow, sameViewport, screenRect, type Bounds, type MinimapSize } from './viewport';

type SetSelection = (update: (s: Selection) => Selection) => void;

interface Props {
  positions: ReadonlyMap<string, Point>;
  groups: LayoutGroup[];
  /** Which way the graph reads: where handles sit, and which end of a large graph the view opens at. */
  direction: Direction;
  /** The canvas' size, whenever it changes (the layout's direction follows it). */
  onSize(size: Size): void;
  selection: Selection;
  setSelection: SetSelection;
  /** Where the user last looked (saved view state); none: frame the whole graph. */
  defaultViewport?: Viewport;
  /** The viewport the user moved to, or undefined while the canvas frames the whole graph by itself. */
  onViewportChange(v: Viewport | undefined): void;
  /** Nodes to select once they exist (after an add or duplicate comes back from the host). */
  selectWhenReady(ids: string[]): void;
  /** C pressed with one node selected: open the inspector's "Connect output to…" list. */
  connectKey(): void;
  /** F pressed: "Fit view", as the toolbar's button does it (the direction chosen again, then the whole graph framed). */
  fitKey(): void;
  /** Whether the inspector is collapsed (a narrow designer): the one selected card then offers "Edit". */
  inspectorHidden: boolean;
  /** A card's settings wanted: its "Edit", Enter on it once selected, a double-click. */
  editNode(id: string): void;
  view: RefObject<CanvasView | null>;
}

export interface FitOptions {
  duration?: number;
  /** Where the nodes are about to be (a layout on its way to the document); else where they are. */
  positions?: ReadonlyMap<string, Point>;
  /** The whole graph, however small ("Fit view"); else as the designer opens: never below a readable zoom. */
  whole?: boolean;
  /** A card to keep wholly in sight, panning the framed view as little as needed (the framing still follows later resizes). */
  inSight?: string;
}

export interface CanvasView {
  /** Frames the graph (see FitOptions) and keeps it framed so on resize. */
  fit(options?: FitOptions): void;
}

const SHARED_EDGE = 'var(--vscode-descriptionForeground)';
/** A selected connection's colour (designer.css draws its line so; its arrowhead follows). */
const SELECTED_EDGE = 'var(--vscode-focusBorder)';
const HANDLE = 10;

/**
 * Arrowheads, one per edge colour, defined once (as xyflow's "arrowclosed"): edges name them
 * by id, so xyflow need not derive marker definitions from the edges on every change.
 */
const ARROW_COLORS = [SHARED_EDGE, SELECTED_EDGE, ...TASK_COLORS];
const arrowId = (color: string): string => `mts-arrow-${Math.max(0, ARROW_COLORS.indexOf(color))}`;

function Arrowheads() {
  return (
    <svg className="edge-markers" aria-hidden="true">
      <defs>
        {ARROW_COLORS.map((color) => (
          <marker key={color} id={arrowId(color)} className="react-flow__arrowhead" markerWidth="16" markerHeight="16" viewBox="-10 -10 20 20"
            markerUnits="strokeWidth" orient="auto-start-reverse" refX="0" refY="0">
            <polyline className="arrowclosed" style={{ stroke: color, fill: color, strokeWidth: 1 }} strokeLinecap="round" strokeLinejoin="round" points="-5,-4 0,0 -5,4 -5,-4" />
          </marker>
        ))}
      </defs>
    </svg>
  );
}

/**
 * Sizes and handle places are fixed, so xyflow need not measure the DOM before drawing
 * edges (measuring 100 nodes on every change would cost a render pass each time).
 */
function fixedGeometry(size: { width: number; height: number }, direction: Direction, target: boolean, source = true): Pick<Node, 'measured' | 'handles'> {
  const y = size.height / 2 - HANDLE / 2, x = size.width / 2 - HANDLE / 2;
  const [into, out] = direction === 'TB'
    ? [{ position: Position.Top, x, y: -HANDLE / 2 }, { position: Position.Bottom, x, y: size.height - HANDLE / 2 }]
    : [{ position: Position.Left, x: -HANDLE / 2, y }, { position: Position.Right, x: size.width - HANDLE / 2, y }];
  return {
    measured: { ...size },
    handles: [
      ...(target ? [{ type: 'target' as const, ...into, width: HANDLE, height: HANDLE }] : []),
      ...(source ? [{ type: 'source' as const, ...out, width: HANDLE, height: HANDLE }] : []),
    ],
  };
}


/**
 * The previous object for every node or edge whose content is unchanged, so React Flow
 * (which compares by identity) redraws only what changed. Updates `cache` in place.
 */
function keepUnchanged<T extends { id: string }>(cache: Map<string, { key: string; item: T }>, fresh: T[]): T[] {
  const seen = new Set<string>();
  const out = fresh.map((item) => {
    const key = JSON.stringify(item);
    const old = cache.get(item.id);
    const kept = old && old.key === key ? old.item : item;
    cache.set(item.id, { key, item: kept });
    seen.add(item.id);
    return kept;
  });
  for (const id of [...cache.keys()]) if (!seen.has(id)) cache.delete(id);
  return out;
}

export function Canvas(p: Props) {
  const d = useDesigner();
  const { model, readOnly } = d;
  const flow = useReactFlow();
  const wrapper = useRef<HTMLDivElement>(null);
  const selected = useMemo(() => new Set(p.selection.nodes), [p.selection.nodes]);
  const selectedEdges = useMemo(() => new Set(p.selection.edges), [p.selection.edges]);

  // The canvas' size, once it has one: the flow is mounted then, already framing the graph,
  // so the first frame shows the whole graph where it belongs (no jump to it a frame later).
  const [size, setSize] = useState<Size>();
  const measured = useRef<Size | undefined>(undefined);
  const report = p.onSize;
  useLayoutEffect(() => {
    const el = wrapper.current;
    if (el && el.clientWidth > 0 && el.clientHeight > 0) {
      setSize(measured.current = { width: el.clientWidth, height: el.clientHeight });
      report(measured.current);
    }
  }, [report]);
  // While the view frames the graph by itself, how ("whole" after "Fit view", else as it opened):
  // any pan or zoom that is not a fit ends it.
  const auto = useRef<'open' | 'whole' | undefined>(p.defaultViewport ? undefined : 'open');
  const lastFit = useRef<Viewport | undefined>(undefined);
  const fitting = useRef(0);
  const current = useRef({ positions: p.positions, groups: p.groups, direction: p.direction, model });
  current.current = { positions: p.positions, groups: p.groups, direction: p.direction, model };
  // Compact cards (nodes.tsx) where the graph is framed (opening, Fit view) below READABLE_ZOOM; kept
  // after edits, until the user zooms in to READABLE_ZOOM, where cards are whole (cardLook).
  // Whole cards brought back by the first edit at the framed zoom had 8-10 px text, and a
  // re-fit to READABLE_ZOOM would move the graph under the user typing in the inspector and cut
  // it: the edit is in the inspector beside it, and its shape and parameters on the card.
  const compact = useRef(false);
  // Decided once, in the render that mounts the flow (then xyflow owns the viewport).
  const initialViewport = useRef<Viewport | undefined>(undefined);
  const [, redraw] = useState(0);
  const setCompact = (on: boolean): void => {
    if (compact.current === on) return;
    compact.current = on;
    if (initialViewport.current) redraw((n) => n + 1);
  };
  const framing = (canvas: Size, positions = current.current.positions, whole = false): Viewport => {
    const { groups, direction, model: m } = current.current;
    const bounds = graphBounds(positions, groups);
    if (whole) {
      // "Fit view" draws by the opening view's rule (nodes.tsx cardLook): framed below READABLE_ZOOM,
      // the look whose text is readable at its zoom, every card with its handles.
      const v = fitViewport(bounds, canvas);
      setCompact(framesCompact(v.zoom));
      return v;
    }
    const inputs = new Map(m.nodes.flatMap((n) => (n.kind === 'input' && positions.has(n.id) ? [[n.id, positions.get(n.id)!] as const] : [])));
    setCompact(opensCompact(bounds, canvas));
    return openingViewport(bounds, graphBounds(inputs, []), canvas, direction, compact.current);
  };
  if (size && !initialViewport.current) {
    initialViewport.current = p.defaultViewport ?? framing(size);
    if (!p.defaultViewport) lastFit.current = initialViewport.current;
  }

  /** `v` panned so that the card `id` (if any) is wholly inside a canvas of `canvas` size. */
  const withCardInSight = (v: Viewport, id: string | undefined, canvas: Size): Viewport => {
    const at = id !== undefined ? current.current.positions.get(id) : undefined;
    if (!at) return v;
    const shift = panToShow(screenRect(at, sizeOf(id!), v), { left: 0, top: 0, right: canvas.width, bottom: canvas.height });
    return { x: v.x + shift.x, y: v.y + shift.y, zoom: v.zoom };
  };
  const fit = useCallback((options: FitOptions = {}) => {
    const el = wrapper.current;
    if (!el || el.clientWidth === 0 || el.clientHeight === 0) return;
    const canvas = { width: el.clientWidth, height: el.clientHeight };
    const v = withCardInSight(framing(canvas, options.positions, options.whole), options.inSight, canvas);
    auto.current = options.whole ? 'whole' : 'open';
    lastFit.current = v;
    const token = ++fitting.current;
    void flow.setViewport(v, { duration: options.duration ?? 0 }).finally(() => { if (fitting.current === token) fitting.current = 0; });
  }, [flow]);
  useImperativeHandle(p.view, () => ({ fit }), [fit]);

  const reportViewport = p.onViewportChange;
  const onViewportChange = useCallback((v: Viewport) => {
    if (auto.current && !fitting.current && !(lastFit.current && sameViewport(v, lastFit.current))) auto.current = undefined;
    reportViewport(auto.current ? undefined : v);
  }, [reportViewport]);

  // Node and edge objects are reused while their content is the same, so that a change of
  // one setting re-renders one node, not all of them (xyflow and the cards compare by identity).
  const nodeCache = useRef(new Map<string, { key: string; item: LayerNode | TaskNode }>());
  const derived = useMemo((): Array<LayerNode | TaskNode> => {
    const fresh: Array<LayerNode | TaskNode> = [
      ...model.nodes.map((info): LayerNode => ({
        id: info.id, type: 'layer', position: p.positions.get(info.id) ?? { x: 0, y: 0 }, ...NODE_SIZE, ...fixedGeometry(NODE_SIZE, p.direction, info.kind === 'layer'),
        data: { info, tasks: info.serves.flatMap((t) => model.taskById.get(t) ?? []), problems: model.problemsByNode.get(info.id) ?? [] },
        // The name of the focusable element (xyflow's wrapper), read when Tab reaches the card.
        ariaLabel: describeNode(info, model.problemsByNode.get(info.id) ?? []),
        selected: selected.has(info.id), draggable: !readOnly, connectable: !readOnly, deletable: false,
      })),
      ...model.tasks.map((task): TaskNode => {
        const id = taskNodeId(task.id);
        const hasHead = !!task.output && model.nodeById.has(task.output);
        return {
          id, type: 'task', position: p.positions.get(id) ?? { x: 0, y: 0 }, ...TASK_SIZE, ...fixedGeometry(TASK_SIZE, p.direction, true, false),
          data: { task, problems: model.problemsByNode.get(id) ?? [], hasHead },
          ariaLabel: describeTask(task, hasHead),
          selected: selected.has(id), draggable: !readOnly, connectable: !readOnly, deletable: false,
        };
      }),
    ];
    return keepUnchanged(nodeCache.current, fresh);
  }, [model, p.positions, p.direction, selected, readOnly]);

  // Positions of nodes being dragged (or moved with the keyboard) until the document has them.
  const [moving, setMoving] = useState<ReadonlyMap<string, Point>>(new Map());
  useEffect(() => setMoving((m) => (m.size ? new Map() : m)), [derived]);
  const nodes = useMemo((): Node[] => (moving.size ? derived.map((n) => { const at = moving.get(n.id); return at ? { ...n, position: at } : n; }) : derived), [derived, moving]);

  const edgeRefs = useRef(new Map<string, EdgeRef>());
  const edgeCache = useRef(new Map<string, { key: string; item: Edge }>());
  const edges = useMemo((): Edge[] => {
    edgeRefs.current.clear();
    const fresh = canvasEdges(model).map((e) => {
      const ref = edgeRefOf(e);
      const output = ref.kind === 'output'; // a head's edge to its task's node
      const targetInfo = model.nodeById.get(e.target);
      const task = output ? model.taskById.get(ref.task) : targetInfo?.serves.length === 1 ? model.taskById.get(targetInfo.serves[0]!) : undefined;
      const color = task?.color ?? SHARED_EDGE;
      edgeRefs.current.set(e.id, ref);
      const edge: Edge = {
        id: e.id, source: e.source, target: e.target, selected: selectedEdges.has(e.id), deletable: false,
        className: output ? 'output-edge' : undefined,
        style: { stroke: color, strokeWidth: output ? 1.5 : 2, ...(output ? { strokeDasharray: '6 4' } : {}) },
        markerEnd: arrowId(selectedEdges.has(e.id) ? SELECTED_EDGE : color),
        ariaLabel: output ? `${e.source} is the head of task ${ref.task}` : `${e.source} feeds ${e.target}`,
      };
      return edge;
    });
    return keepUnchanged(edgeCache.current, fresh);
  }, [model, selectedEdges]);

  // Moves (drag ends, arrow keys) are saved together, shortly after the last one.
  const pendingMoves = useRef(new Map<string, Point>());
  const moveTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const saveMoves = useCallback(() => {
    const moved = Object.fromEntries(pendingMoves.current);
    pendingMoves.current.clear();
    if (Object.keys(moved).length) d.edit(moveNodes(model.doc, moved, p.positions));
  }, [d, model.doc, p.positions]);
  const queueMove = useCallback((id: string, position: Point) => {
    const current = p.positions.get(id);
    if (current && Math.abs(current.x - position.x) < 1 && Math.abs(current.y - position.y) < 1) return;
    pendingMoves.current.set(id, position);
    clearTimeout(moveTimer.current);
    moveTimer.current = setTimeout(saveMoves, 150);
  }, [p.positions, saveMoves]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const selects = changes.filter((c) => c.type === 'select');
    if (selects.length) {
      p.setSelection((s) => {
        const next = new Set(s.nodes);
        for (const c of selects) if (c.selected) next.add(c.id); else next.delete(c.id);
        return { ...s, nodes: [...next] };
      });
    }
    const moves = changes.flatMap((c) => (c.type === 'position' && c.position && !readOnly ? [c] : []));
    if (moves.length) {
      setMoving((m) => { const next = new Map(m); for (const c of moves) next.set(c.id, c.position!); return next; });
      for (const c of moves) if (c.dragging === false) queueMove(c.id, c.position!);
    }
    // Sizes are fixed (fixedGeometry), so measured dimensions need not be kept.
  }, [p, queueMove, readOnly]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const selects = changes.filter((c) => c.type === 'select');
    if (!selects.length) return;
    p.setSelection((s) => {
      const next = new Set(s.edges);
      for (const c of selects) if (c.selected) next.add(c.id); else next.delete(c.id);
      return { ...s, edges: [...next] };
    });
  }, [p]);

  const isValidConnection = useCallback((c: Connection | Edge): boolean => {
    if (readOnly || c.source === c.target) return false;
    if (parseNodeId(c.target).kind === 'task') return model.nodeById.get(c.source)?.kind === 'layer';
    const target = model.nodeById.get(c.target);
    if (target?.kind !== 'layer') return false;
    // No cycles: the target must not already feed the source.
    const stack = [c.target];
    const seen = new Set<string>();
    while (stack.length) {
      const id = stack.pop()!;
      if (id === c.source) return false;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...(model.graph.consumers.get(id) ?? []));
    }
    return true;
  }, [model, readOnly]);

  const onConnect = useCallback((c: Connection) => {
    if (!isValidConnection(c)) return;
    const target = parseNodeId(c.target);
    d.edit(connect(model.doc, c.source, target.kind === 'task' ? { task: target.task } : { layer: target.id }));
  }, [d, model.doc, isValidConnection]);

  const deleteSelection = useCallback(() => {
    const ids = p.selection.nodes.filter((id) => model.nodeById.has(id));
    const refs = p.selection.edges.flatMap((id) => edgeRefs.current.get(id) ?? []);
    const next = ids.length ? cardAfterDelete(model, ids) : undefined;
    if (ids.length || refs.length) d.edit(deleteElements(model.doc, ids, refs));
    p.setSelection(() => ({ nodes: [], edges: [] }));
    if (ids.length) focusCard(next);
  }, [d, model, p]);

  const duplicate = useCallback(() => {
    const ids = p.selection.nodes.filter((id) => model.nodeById.has(id));
    if (!ids.length) return;
    const e = duplicateNodes(model.doc, ids);
    d.edit(e);
    p.selectWhenReady(e.ids);
  }, [d, model, p]);

  const onKeyDown = useCallback((e: KeyboardEvent) => {
    if (isTyping(e.target)) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if ((e.key === 'Delete' || e.key === 'Backspace') && !readOnly) { e.preventDefault(); deleteSelection(); }
    else if (mod && key === 'd' && !readOnly) { e.preventDefault(); duplicate(); }
    else if (mod && key === 'a') { e.preventDefault(); p.setSelection(() => ({ nodes: nodes.map((n) => n.id), edges: [] })); }
    else if (!mod && !e.altKey && key === 'f') { e.preventDefault(); p.fitKey(); }
    else if (e.key === 'Escape') p.setSelection(() => ({ nodes: [], edges: [] }));
    else if (e.key === 'Enter' && p.inspectorHidden && isCard(e.target) && p.selection.nodes.length === 1 && p.selection.nodes[0] === (e.target as HTMLElement).getAttribute('data-id')) {
      // The first Enter selects the card (xyflow; this render's selection is still the one before it), the next one edits it.
      e.preventDefault();
      p.editNode(p.selection.nodes[0]!);
    }
    else if (!mod && !e.altKey && key === 'c' && !readOnly && p.selection.nodes.length === 1 && model.nodeById.has(p.selection.nodes[0]!)) {
      // The keyboard's connect: the inspector's "Connect output to…" list, opened with focus on its first choice.
      e.preventDefault();
      p.connectKey();
    }
    else if (e.key.startsWith('Arrow') && !e.defaultPrevented && !readOnly && p.selection.nodes.length) {
      // Arrow keys with the canvas (not a node) focused: move the selection, 10 px (50 with Shift).
      e.preventDefault();
      const step = e.shiftKey ? 50 : 10;
      const [dx, dy] = ({ ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] } as Record<string, [number, number]>)[e.key] ?? [0, 0];
      setMoving((m) => {
        const next = new Map(m);
        for (const n of nodes) {
          if (!selected.has(n.id)) continue;
          const position = { x: n.position.x + dx, y: n.position.y + dy };
          next.set(n.id, position);
          queueMove(n.id, position);
        }
        return next;
      });
    }
  }, [deleteSelection, duplicate, fit, model, nodes, p, queueMove, readOnly, selected]);

  const onDragOver = (e: DragEvent): void => {
    if (!readOnly && e.dataTransfer.types.includes(PALETTE_MIME)) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }
  };
  const onDrop = (e: DragEvent): void => {
    const type = e.dataTransfer.getData(PALETTE_MIME);
    if (!type || readOnly) return;
    e.preventDefault();
    const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const position = { x: at.x - NODE_SIZE.width / 2, y: at.y - NODE_SIZE.height / 2 };
    const added = type === 'input' ? addInput(model.doc, position, p.positions)
      : (LAYER_TYPES as string[]).includes(type) ? addLayer(model.doc, type as LayerType, [], position, p.positions) : undefined;
    if (added) { d.edit(added); p.selectWhenReady([added.id]); }
  };

  // When the canvas is resized (a panel opens, the editor is split, VS Code settles its
  // layout after opening) a framed graph is framed again; a view the user chose keeps its
  // centre, so what was in the middle stays in sight. The minimap only where there is room
  // (minimapFor), and from the first resize notification on: after the graph's first frame,
  // which it would delay (an element per node, drawn and measured again), as an overview it can follow.
  // Where there is none, the toolbar's Fit view button says what is out of view (FitViewButton).
  const [minimap, setMinimap] = useState<MinimapSize>('none');
  const selectedIds = useRef(p.selection.nodes);
  selectedIds.current = p.selection.nodes;
  useEffect(() => {
    const el = wrapper.current;
    if (!el) return undefined;
    // Sizes from the observer's entries: reading clientWidth here would force a layout of
    // the freshly drawn graph before the browser does it anyway.
    let last = measured.current && { w: measured.current.width, h: measured.current.height };
    const observer = new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      const now = { w: Math.round(box.width), h: Math.round(box.height) };
      setMinimap(minimapFor({ width: now.w, height: now.h }));
      if (now.w > 0 && now.h > 0) { setSize((s) => s ?? { width: now.w, height: now.h }); report({ width: now.w, height: now.h }); }
      if (last && last.w > 0 && last.h > 0 && now.w > 0 && now.h > 0 && (now.w !== last.w || now.h !== last.h)) {
        // The one selected card is kept in sight: a narrow designer's inspector opens under the
        // canvas when a card is clicked (or beside it, from the toolbar), and the card went under it.
        const inSight = selectedIds.current.length === 1 ? selectedIds.current[0] : undefined;
        if (auto.current) fit({ whole: auto.current === 'whole', inSight });
        else {
          const v = flow.getViewport();
          void flow.setViewport(withCardInSight({ x: v.x + (now.w - last.w) / 2, y: v.y + (now.h - last.h) / 2, zoom: v.zoom }, inSight, { width: now.w, height: now.h }));
        }
      }
      last = now;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [flow, fit, report]);

  // The graph turned (the canvas became narrow or wide): a framed view frames it again.
  const shownDirection = useRef(p.direction);
  useEffect(() => {
    if (shownDirection.current === p.direction) return;
    shownDirection.current = p.direction;
    if (auto.current) fit({ whole: auto.current === 'whole' });
  }, [p.direction, fit]);

  // A card reached with Tab is brought wholly into view (xyflow's autoPanOnNodeFocus, turned off
  // below, pans only for a card wholly outside the canvas: a card half under the palette stayed half hidden).
  // Where the card lies is worked out from its flow position and the viewport, not read from the DOM:
  // the browser scrolls the pane to show what Tab reaches before this handler runs, and xyflow undoes
  // that scroll a frame later, so the box read here looked in view and the card went back out of it.
  const onFocus = useCallback((e: FocusEvent) => {
    const card = e.target as HTMLElement;
    const el = wrapper.current;
    const id = card.getAttribute('data-id');
    if (!el || id === null || !card.classList.contains('react-flow__node') || !card.matches(':focus-visible')) return;
    const v = flow.getViewport();
    const next = withCardInSight(v, id, { width: el.clientWidth, height: el.clientHeight });
    if (next.x === v.x && next.y === v.y) return;
    void flow.setViewport(next, { duration: motionMs(150) });
  }, [flow]);

  // Group boxes follow the nodes as they are dragged.
  const boxes = useMemo(() => groupBoxes(p.groups, new Map(nodes.map((n) => [n.id, n.position]))), [p.groups, nodes]);
  const bounds = useMemo(() => graphBounds(p.positions, p.groups), [p.positions, p.groups]);
  // With the inspector collapsed a click selected the card and nothing else showed: its "Edit" beside it (EditButton).
  const editable = p.inspectorHidden && p.selection.nodes.length === 1 ? p.selection.nodes[0] : undefined;

  return (
    <div className="canvas" ref={wrapper} tabIndex={0} data-layout={initialViewport.current ? 'ready' : 'pending'} onKeyDown={onKeyDown} onFocus={onFocus} onDragOver={onDragOver} onDrop={onDrop}
      role="application" aria-label={'Model graph. Tab goes from node to node, Enter selects (again: its settings, the inspector shown), C connects the selected node\'s output to a layer you pick, '
        + 'arrow keys move, Delete removes, Ctrl+D duplicates, Ctrl+A selects all, F fits the view. The palette adds a layer after the selection; '
        + 'the inspector\'s Inputs remove a connection.'}>
      <Arrowheads />
      {initialViewport.current && <FlowDirection.Provider value={p.direction}><CompactCards.Provider value={compact.current}><OpeningZoom.Provider value={initialViewport.current.zoom}><ReactFlow
        nodes={nodes} edges={edges} nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={onConnect} isValidConnection={isValidConnection}
        deleteKeyCode={null} selectionKeyCode="Shift" multiSelectionKeyCode={['Meta', 'Control', 'Shift']}
        defaultViewport={initialViewport.current} onViewportChange={onViewportChange}
        minZoom={MIN_ZOOM} maxZoom={2} proOptions={{ hideAttribution: true }} nodesConnectable={!readOnly}
        onPaneClick={() => wrapper.current?.focus()} onNodeDoubleClick={(_, n) => p.editNode(n.id)} elevateEdgesOnSelect autoPanOnNodeFocus={false}
        // Connections are named (role img) but no Tab stops: xyflow draws them before the cards, so Tab met
        // every connection (104 in a 100-layer graph) before the first card. Each card names what it reads;
        // the inspector's Inputs chips remove a connection.
        edgesFocusable={false}
      >
        <ViewportPortal>
          <div className="group-layer">
            {boxes.map((b) => <GroupBoxView key={b.group.id} box={b} colors={b.group.tasks.flatMap((t) => model.taskById.get(t)?.color ?? [])} />)}
          </div>
        </ViewportPortal>
        <EdgeLabelRenderer>
          {boxes.map((b) => <GroupLabelView key={b.group.id} box={b} color={model.taskById.get(b.group.tasks[0]!)?.color} />)}
        </EdgeLabelRenderer>
        {editable !== undefined && <EditButton id={editable} direction={p.direction} onEdit={p.editNode} />}
        <Background variant={BackgroundVariant.Dots} gap={24} size={1} />
        {/* Top to bottom at the top left, like the minimap at the top right: the tree widens downwards, so a
            graph wider than the canvas (800x700) put a branch's card under them at the bottom left. Either
            corner lies in the column viewport.ts keeps clear (LEFT). */}
        <Controls showInteractive={false} aria-label="Zoom controls" position={p.direction === 'TB' ? 'top-left' : 'bottom-left'} />
        {minimap !== 'none' && <Overview bounds={bounds} small={minimap === 'small'} direction={p.direction} nodeColor={(n) => {
          if (n.type === 'task') return (n.data as { task: { color: string } }).task.color;
          const info = (n.data as LayerNode['data']).info;
          return info.shared ? 'var(--vscode-foreground)' : info.serves.length === 1 ? model.taskById.get(info.serves[0]!)?.color ?? SHARED_EDGE : SHARED_EDGE;
        }} />}
      </ReactFlow></OpeningZoom.Provider></CompactCards.Provider></FlowDirection.Provider>}
    </div>
  );
}

/**
 * The minimap, while part of the graph is out of view (where it has something to show, and
 * no reason to cover a graph that is all in sight). Re-renders only when that changes. Top
 * to bottom, the graph opens anchored at its top centre: the top right corner is the free one.
 */
function Overview(p: { bounds: Bounds | undefined; small: boolean; direction: Direction; nodeColor(n: Node): string }) {
  const partly = useStore((s: ReactFlowState) => !!p.bounds && !inView(p.bounds, { x: s.transform[0], y: s.transform[1], zoom: s.transform[2] }, { width: s.width, height: s.height }));
  if (!partly) return null;
  return <MiniMap pannable zoomable ariaLabel="Minimap" nodeBorderRadius={4} position={p.direction === 'TB' ? 'top-right' : 'bottom-right'} style={p.small ? { width: 150, height: 110 } : undefined} nodeColor={p.nodeColor} />;
}

const isCard = (target: EventTarget): boolean => (target as HTMLElement).classList?.contains('react-flow__node') ?? false;

function isTyping(target: EventTarget): boolean {
  const el = target as HTMLElement;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || el.tagName.startsWith('VSCODE-');
}

