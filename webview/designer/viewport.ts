// Framing the graph: the viewport that shows all of it (nodes and their group boxes, labels
// included) centred in the canvas, never zoomed in past natural size, so a 4-node graph is
// not blown up and a 100-layer one is shown whole (the minimap and zoom then go into detail).
import type { Viewport } from '@xyflow/react';
import { groupBoxes, sizeOf, type LayoutGroup, type Point, type Size } from './layout';

export interface Bounds { x: number; y: number; width: number; height: number }

/** MIN_ZOOM is also the canvas' own lower limit, so "Fit view" is never clamped short of the whole graph. */
export const MIN_ZOOM = 0.01;
export const MAX_FIT_ZOOM = 1;
const MARGIN = 24;
/** The zoom controls sit at the bottom left (15 px in, 26 px wide): the graph keeps clear of their column. */
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

/** The viewport showing `bounds` whole and centred in a canvas of `canvas` size (a margin all round, clear of the zoom controls). */
export function fitViewport(bounds: Bounds | undefined, canvas: Size): Viewport {
  if (!bounds || canvas.width <= 0 || canvas.height <= 0) return { x: LEFT, y: MARGIN, zoom: MAX_FIT_ZOOM };
  const width = Math.max(canvas.width - LEFT - MARGIN, 1), height = Math.max(canvas.height - 2 * MARGIN, 1);
  const fit = Math.min(width / Math.max(bounds.width, 1), height / Math.max(bounds.height, 1));
  const zoom = Math.min(MAX_FIT_ZOOM, Math.max(MIN_ZOOM, fit));
  return {
    zoom,
    x: LEFT + width / 2 - (bounds.x + bounds.width / 2) * zoom,
    y: MARGIN + height / 2 - (bounds.y + bounds.height / 2) * zoom,
  };
}

export const sameViewport = (a: Viewport, b: Viewport): boolean =>
  Math.abs(a.x - b.x) < 0.5 && Math.abs(a.y - b.y) < 0.5 && Math.abs(a.zoom - b.zoom) < 1e-4;
