// Places the nodes: the automatic layout (recomputed only when the graph's structure
// changes, not when a setting does) under the document's saved positions, in the direction
// that suits the canvas (flowDirection.ts).
import { useMemo } from 'react';
import { columnLayout } from './columnLayout';
import { chooseDirection } from './flowDirection';
import { canvasEdges, groupNodes, layoutKey, placeNodes, type Direction, type LayoutGroup, type Point, type Size } from './layout';
import type { DesignModel } from './model';

export function useLayout(model: DesignModel, canvas?: Size): { groups: LayoutGroup[]; positions: Map<string, Point>; direction: Direction } {
  const groups = useMemo(() => groupNodes(model), [model]);
  const edges = useMemo(() => canvasEdges(model), [model]);
  const key = useMemo(() => layoutKey(groups, edges), [groups, edges]);
  // Only a change of structure needs a new layout; `model` and `groups` are read at that moment.
  const autoLR = useMemo(() => columnLayout(model, groups, edges, 'LR'), [key]);
  const autoTB = useMemo(() => columnLayout(model, groups, edges, 'TB'), [key]);
  const lr = useMemo(() => placeNodes(model, autoLR, edges), [model, autoLR, edges]);
  const tb = useMemo(() => placeNodes(model, autoTB, edges), [model, autoTB, edges]);
  const direction = useMemo(() => chooseDirection(model, { LR: lr, TB: tb }, groups, edges, canvas), [model, lr, tb, groups, edges, canvas]);
  return { groups, positions: direction === 'TB' ? tb : lr, direction };
}
