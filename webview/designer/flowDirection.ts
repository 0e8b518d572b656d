// Which way the canvas reads. The automatic layout runs left to right, or top to bottom where
// that shows the graph larger (a narrow editor, a split view): whichever lets the whole graph
// be framed at the higher zoom, left to right on a tie. It is chosen for a canvas width: edits
// keep it (a graph that turned when a layer was added would lose the user's place), and so does
// a change of height alone (a narrow designer's inspector grows under the canvas when a node is
// selected); a new width chooses again, and so does "Fit view" (useLayout.ts). A layout the document names in full keeps the direction its picture has, so
// handles sit on the sides its edges run between.
import { canvasIds, nodeCentre, type CanvasEdge, type Direction, type LayoutGroup, type Point, type Size } from './layout';
import type { DesignModel } from './model';
import { fitZoom, graphBounds } from './viewport';

/** TB only when it frames the graph this much larger: a near tie stays left to right, the usual picture. */
const TB_ADVANTAGE = 1.05;

/** `kept`: the direction chosen before for a canvas of this same width, if any. */
export function chooseDirection(model: DesignModel, placed: Record<Direction, ReadonlyMap<string, Point>>, groups: LayoutGroup[], edges: CanvasEdge[], canvas: Size | undefined, kept?: Direction): Direction {
  const ids = canvasIds(model);
  if (ids.length > 0 && ids.every((id) => Object.hasOwn(model.layout, id))) return pictureDirection(placed.LR, edges);
  if (kept) return kept;
  if (!canvas) return 'LR';
  const lr = fitZoom(graphBounds(placed.LR, groups), canvas);
  const tb = fitZoom(graphBounds(placed.TB, groups), canvas);
  return tb > lr * TB_ADVANTAGE ? 'TB' : 'LR';
}

/** The way a drawn graph's edges mostly run: down (TB) or across (LR). */
export function pictureDirection(positions: ReadonlyMap<string, Point>, edges: CanvasEdge[]): Direction {
  let across = 0, down = 0;
  for (const e of edges) {
    const a = positions.get(e.source), b = positions.get(e.target);
    if (!a || !b) continue;
    const from = nodeCentre(e.source, a), to = nodeCentre(e.target, b);
    across += Math.abs(to.x - from.x);
    down += Math.abs(to.y - from.y);
  }
  return down > across ? 'TB' : 'LR';
}
