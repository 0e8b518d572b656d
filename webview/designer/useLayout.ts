// Places the nodes: the automatic layout (recomputed only when the graph's structure
// changes, not when a setting does) under the document's saved positions, in the direction
// that suits the canvas (flowDirection.ts).
import { useMemo, useRef } from 'react';
import { columnLayout } from './columnLayout';
import { chooseDirection } from './flowDirection';
import { canvasEdges, groupNodes, layoutKey, placeNodes, type Direction, type LayoutGroup, type Point, type Size } from './layout';
import type { DesignModel } from './model';

/** `fits`: how many times "Fit view" was asked for; each asks for the direction afresh. */
export function useLayout(model: DesignModel, canvas?: Size, fits = 0): { groups: LayoutGroup[]; positions: Map<string, Point>; direction: Direction } {
  const groups = useMemo(() => groupNodes(model), [model]);
  const edges = useMemo(() => canvasEdges(model), [model]);
  const key = useMemo(() => layoutKey(groups, edges), [groups, edges]);
  // Only a change of structure needs a new layout; `model` and `groups` are read at that moment.
  const autoLR = useMemo(() => columnLayout(model, groups, edges, 'LR'), [key]);
  const autoTB = useMemo(() => columnLayout(model, groups, edges, 'TB'), [key]);
  const lr = useMemo(() => placeNodes(model, autoLR, edges), [model, autoLR, edges]);
  const tb = useMemo(() => placeNodes(model, autoTB, edges), [model, autoTB, edges]);
  // Chosen again only for another canvas width (flowDirection.ts), or on "Fit view". A height
  // change alone keeps it: a narrow designer's inspector, under the canvas, grows and shrinks
  // with the selection, and the graph turned on every click. "Fit view" chooses again: a graph
  // built up from an empty one kept the empty one's left to right, and a tree that is tall
  // and narrow was then framed at a zoom with unreadable text (6 px) where top to bottom fits at 1.
  const chosen = useRef<{ canvas: Size | undefined; fits: number; direction: Direction } | undefined>(undefined);
  const direction = useMemo(() => {
    const last = chosen.current;
    const kept = canvas && last?.canvas?.width === canvas.width && last.fits === fits ? last.direction : undefined;
    return chooseDirection(model, { LR: lr, TB: tb }, groups, edges, canvas, kept);
  }, [model, lr, tb, groups, edges, canvas, fits]);
  chosen.current = { canvas, fits, direction };
  return { groups, positions: direction === 'TB' ? tb : lr, direction };
}
