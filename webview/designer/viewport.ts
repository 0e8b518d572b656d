// Framing the graph. "Fit view": the viewport that shows all of it (nodes and their group
// boxes, labels included) centred in the canvas, never zoomed in past natural size, so a
// 4-node graph is not blown up and a 100-layer one is shown whole. The opening view: the
// same, but never below the zoom at which a card's text can be read: a compact card's (name,
// shape, parameters, sharing badge in larger type) where the graph fits only with them, edits
// or not; else a whole card's. A graph that does not fit at that zoom opens at READABLE_ZOOM with whole cards,
// anchored at its inputs (the minimap shows the rest).
import type { Viewport } from '@xyflow/react';
import { groupBoxes, sizeOf, type Direction, type LayoutGroup, type Point, type Size } from './layout';

export interface Bounds { x: number; y: number; width: number; height: number }

/** MIN_ZOOM is also the canvas' own lower limit, so "Fit view" is never clamped short of the whole graph. */
export const MIN_ZOOM = 0.01;
export const MAX_FIT_ZOOM = 1;
/** The smallest font on a card (designer.css: .mts-node, .mts-task), in CSS pixels at zoom 1. */
export const CARD_TEXT_PX = 12;
/** Text smaller than this on screen is hard to read (issue 15: 6-7 px at first open was unreadable). */
export const READABLE_TEXT_PX = 11;
/** Below this zoom a whole card's smallest text is under READABLE_TEXT_PX on screen. */
export const READABLE_ZOOM = READABLE_TEXT_PX / CARD_TEXT_PX;
/**
 * The smallest font on a compact card and on a group label drawn compact (designer.css: .compact), at
 * zoom 1. 16 px keeps "→ [128]" and "100,480 params" side by side on a 232 px card (a longer shape
 * wraps the parameters onto a second line) and the badge, the shape and the parameters all on it.
 */
export const COMPACT_TEXT_PX = 16;
/**
 * The lowest zoom the designer opens at with the whole graph in view, its cards compact:
 * their text is READABLE_TEXT_PX on screen. Two-branch examples in a 1024x768 editor needed
 * 0.85-0.88, MMoE 0.71, and at READABLE_ZOOM they opened cut at the bottom.
 */
export const COMPACT_ZOOM = READABLE_TEXT_PX / COMPACT_TEXT_PX;
/**
 * Below COMPACT_ZOOM a framed view draws fewer facts in larger type, each look READABLE_TEXT_PX
 * on screen at its lowest zoom (nodes.tsx cardLook), every card keeping its handles: 'brief'
 * (the name, the output shape and the badge or task in 18 px type: "→ [128]" and "100,480 params"
 * no longer share a line, and four lines do not fit the card; in 20 px mmoe's "Part shared · 2 tasks" was cut), and 'names' (the name alone in
 * 28 px type, on up to two lines), down to 0.39: multimnist-cnn is framed whole at 0.40 in a
 * small laptop's editor. Below that, the frames and their handles without text.
 */
export const BRIEF_TEXT_PX = 18;
export const BRIEF_ZOOM = READABLE_TEXT_PX / BRIEF_TEXT_PX;
export const NAME_TEXT_PX = 28;
export const NAME_ZOOM = READABLE_TEXT_PX / NAME_TEXT_PX;
const MARGIN = 24;
/** The zoom controls sit at the left (15 px in, 26 px wide; Canvas.tsx: top left top to bottom, else bottom left): the graph keeps clear of their column. */
const LEFT = 52;

/** The area the graph covers: every node and the box drawn around each group. */
export function graphBounds(positions: ReadonlyMap<string, Point>, groups: LayoutGroup[]): Bounds | undefined {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const add = (x: number, y: number, width: number, height: number): void => {
    x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + width); y1 = Math.max(y1, y + height);
  };
  for (const [id, p] of positions) { const s = sizeOf(id); add(p.x, p.y, s.width, s.height); }
  for (const b of groupBoxes(groups, positions)) add(b.x, b.y, b.width, b.height);
  return x0 === Infinity ? undefined : { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The zoom that shows `bounds` whole in a canvas of `canvas` size (at most natural size). */
export function fitZoom(bounds: Bounds | undefined, canvas: Size): number {
  if (!bounds || canvas.width <= 0 || canvas.height <= 0) return MAX_FIT_ZOOM;
  const width = Math.max(canvas.width - LEFT - MARGIN, 1), height = Math.max(canvas.height - 2 * MARGIN, 1);
  return Math.min(MAX_FIT_ZOOM, Math.max(MIN_ZOOM, Math.min(width / Math.max(bounds.width, 1), height / Math.max(bounds.height, 1))));
}

/**
 * Whether a view the designer frames by itself (the opening view, "Fit view") at `zoom` draws
 * its cards by the framed looks (nodes.tsx cardLook): below READABLE_ZOOM, where a whole card's
 * text is too small. One rule for both: "Fit view" at 0.40-0.66 drew whole cards with 5-8 px text.
 */
export const framesCompact = (zoom: number): boolean => zoom < READABLE_ZOOM - 1e-9;

/**
 * Whether the designer opens with compact cards: the whole graph fits only below READABLE_ZOOM,
 * and at COMPACT_ZOOM or above (where compact cards read).
 */
export function opensCompact(bounds: Bounds | undefined, canvas: Size): boolean {
  const zoom = fitZoom(bounds, canvas);
  return bounds !== undefined && zoom < READABLE_ZOOM - 1e-9 && zoom >= COMPACT_ZOOM - 1e-9;
}

/**
 * The view the designer opens at: the whole graph when it fits at a readable zoom (down to
 * COMPACT_ZOOM where `compact` cards may be drawn, else READABLE_ZOOM); else READABLE_ZOOM
 * (whole cards), the graph's start (its left edge, or top edge top to bottom) at the margin
 * and, across the flow, the inputs (`anchor`) in the middle as far as the graph allows.
 */
export function openingViewport(bounds: Bounds | undefined, anchor: Bounds | undefined, canvas: Size, direction: Direction, compact = false): Viewport {
  const whole = fitViewport(bounds, canvas);
  if (!bounds || whole.zoom >= (compact ? COMPACT_ZOOM : READABLE_ZOOM) - 1e-9) return whole;
  const zoom = READABLE_ZOOM;
  const at = anchor ?? bounds;
  // One axis of the view: the graph's start at the margin (along the flow). Across it: the
  // graph's start at the margin too while the anchor is then wholly in sight (a tree a little
  // wider than the canvas, centred on its inputs, spilled to both sides and put a card under
  // the zoom controls, then at the bottom left), else the anchor centred, kept within the graph.
  const place = (start: number, extent: number, anchorStart: number, anchorEnd: number, lo: number, span: number, along: boolean): number => {
    const fromStart = lo - start * zoom;
    if (along) return fromStart;
    if (extent * zoom <= span) return lo + span / 2 - (start + extent / 2) * zoom;
    if (fromStart + anchorEnd * zoom <= lo + span) return fromStart;
    const centred = lo + span / 2 - (anchorStart + anchorEnd) / 2 * zoom;
    return Math.min(fromStart, Math.max(lo + span - (start + extent) * zoom, centred));
  };
  const width = Math.max(canvas.width - LEFT - MARGIN, 1), height = Math.max(canvas.height - 2 * MARGIN, 1);
  return {
    zoom,
    x: place(bounds.x, bounds.width, at.x, at.x + at.width, LEFT, width, direction === 'LR'),
    y: place(bounds.y, bounds.height, at.y, at.y + at.height, MARGIN, height, direction === 'TB'),
  };
}

/** The viewport showing `bounds` whole and centred in a canvas of `canvas` size (a margin all round, clear of the zoom controls). */
export function fitViewport(bounds: Bounds | undefined, canvas: Size): Viewport {
  if (!bounds || canvas.width <= 0 || canvas.height <= 0) return { x: LEFT, y: MARGIN, zoom: MAX_FIT_ZOOM };
  const width = Math.max(canvas.width - LEFT - MARGIN, 1), height = Math.max(canvas.height - 2 * MARGIN, 1);
  const zoom = fitZoom(bounds, canvas);
  return {
    zoom,
    x: LEFT + width / 2 - (bounds.x + bounds.width / 2) * zoom,
    y: MARGIN + height / 2 - (bounds.y + bounds.height / 2) * zoom,
  };
}

/** A side of the canvas, for the part of the graph that lies past it. */
export type Side = 'above' | 'below' | 'left' | 'right';

/** The sides of a canvas of `canvas` size past which part of `bounds` lies, seen through `v` (none: all of it in view). */
export function hiddenSides(bounds: Bounds, v: Viewport, canvas: Size): Side[] {
  const x0 = bounds.x * v.zoom + v.x, y0 = bounds.y * v.zoom + v.y;
  const sides: Side[] = [];
  if (y0 < -0.5) sides.push('above');
  if (y0 + bounds.height * v.zoom > canvas.height + 0.5) sides.push('below');
  if (x0 < -0.5) sides.push('left');
  if (x0 + bounds.width * v.zoom > canvas.width + 0.5) sides.push('right');
  return sides;
}

/** The minimap's size for a canvas of `canvas` size: none below 560 x 360 px (it would cover a third of the canvas), small below 800 px wide. */
export type MinimapSize = 'none' | 'small' | 'large';
export function minimapFor(canvas: Size): MinimapSize {
  return canvas.width < 560 || canvas.height < 360 ? 'none' : canvas.width < 800 ? 'small' : 'large';
}

/** Whether `bounds` lies wholly inside a canvas of `canvas` size seen through `v`. */
export function inView(bounds: Bounds, v: Viewport, canvas: Size): boolean {
  return hiddenSides(bounds, v, canvas).length === 0;
}

export const sameViewport = (a: Viewport, b: Viewport): boolean =>
  Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.zoom - b.zoom) < 1e-4;

/** A screen rectangle (getBoundingClientRect's sides). */
export interface ScreenRect { left: number; top: number; right: number; bottom: number }

/**
 * How far (screen pixels) to pan so that `card` lies wholly inside `pane`, MARGIN clear of its
 * sides (the left side also clear of the zoom controls); {0, 0} when it already does. A card
 * larger than the pane is aligned at its top left. For a card reached with Tab: xyflow pans
 * only when a focused card is wholly outside the canvas, so a card half under the palette
 * stayed half hidden.
 */
export function panToShow(card: ScreenRect, pane: ScreenRect): Point {
  const axis = (lo: number, hi: number, min: number, max: number): number =>
    lo < min || hi - lo > max - min ? min - lo : hi > max ? max - hi : 0;
  return { x: axis(card.left, card.right, pane.left + LEFT, pane.right - MARGIN), y: axis(card.top, card.bottom, pane.top + MARGIN, pane.bottom - MARGIN) };
}

/** Where a card of `size` at flow position `at` is drawn through `v`, in the canvas' own pixels. */
export function screenRect(at: Point, size: Size, v: Viewport): ScreenRect {
  return { left: at.x * v.zoom + v.x, top: at.y * v.zoom + v.y, right: (at.x + size.width) * v.zoom + v.x, bottom: (at.y + size.height) * v.zoom + v.y };
}
