// Places the nodes: the automatic layout (recomputed only when the graph's structure
// changes, not when a setting does) under the document's saved positions.
import { useMemo } from 'react';
import { columnLayout } from './columnLayout';
import { canvasEdges, groupNodes, layoutKey, placeNodes, type LayoutGroup, type Point } from './layout';
import type { DesignModel } from './model';

export function useLayout(model: DesignModel): { groups: LayoutGroup[]; positions: Map<string, Point> } {
  const groups = useMemo(() => groupNodes(model), [model]);
  const edges = useMemo(() => canvasEdges(model), [model]);
  const key = useMemo(() => layoutKey(groups, edges), [groups, edges]);
  // Only a change of structure needs a new layout; `model` and `groups` are read at that moment.
  const auto = useMemo(() => columnLayout(model, groups, edges), [key]);
  const positions = useMemo(() => placeNodes(model, auto, edges), [model, auto, edges]);
  return { groups, positions };
}
