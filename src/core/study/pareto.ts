// The Pareto front of points scored on two metrics: the points no other point beats on one
// metric without losing on the other. Each axis has its own direction (accuracy up, loss down).

export interface ScorePoint { x: number; y: number }

/** True when `a` is at least as good as `b` on both axes and better on one. */
export function dominates(a: ScorePoint, b: ScorePoint, higherX: boolean, higherY: boolean): boolean {
  const dx = (higherX ? 1 : -1) * (a.x - b.x);
  const dy = (higherY ? 1 : -1) * (a.y - b.y);
  return dx >= 0 && dy >= 0 && (dx > 0 || dy > 0);
}

/** Indices of the non-dominated points with finite coordinates, in order of increasing x. */
export function paretoFront(points: readonly ScorePoint[], higherX: boolean, higherY: boolean): number[] {
  const finite = points.map((p, i) => ({ p, i })).filter(({ p }) => Number.isFinite(p.x) && Number.isFinite(p.y));
  return finite
    .filter(({ p }) => !finite.some(({ p: q }) => dominates(q, p, higherX, higherY)))
    .sort((a, b) => a.p.x - b.p.x || a.p.y - b.p.y)
    .map(({ i }) => i);
}
