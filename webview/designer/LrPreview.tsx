// A small chart of the learning rate over the epochs, drawn by core/schedule (the curve the
// trainer follows): warm-up, steps, decays and SGDR's warm restarts are visible at a glance.
import { learningRateCurve } from '../../src/core/schedule';
import type { ScheduleSpec } from '../../src/core/spec';

const W = 280, H = 96, PAD = { left: 8, right: 8, top: 10, bottom: 18 };

export function LrPreview({ schedule, learningRate, epochs }: { schedule: unknown; learningRate: unknown; epochs: unknown }) {
  if (typeof learningRate !== 'number' || !(learningRate > 0) || typeof epochs !== 'number' || !(epochs >= 1)) {
    return <p className="muted lr-empty">The preview needs a learning rate and a number of epochs.</p>;
  }
  const perEpoch = Math.max(1, Math.min(40, Math.floor(600 / epochs)));
  let points: Array<[number, number]> = [];
  try {
    points = learningRateCurve(schedule as ScheduleSpec | undefined, learningRate, epochs, perEpoch).filter(([, y]) => Number.isFinite(y));
  } catch {
    points = [];
  }
  if (points.length === 0) return <p className="muted lr-empty">No preview: complete the schedule's settings.</p>;
  const top = Math.max(...points.map(([, y]) => y), 1e-12);
  const x = (t: number): number => PAD.left + (t / epochs) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - v / top) * (H - PAD.top - PAD.bottom);
  const line = [...points, [epochs, points[points.length - 1]![1]] as [number, number]].map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const last = points[points.length - 1]![1];
  const fmt = (v: number): string => (v === 0 ? '0' : v >= 0.01 ? String(+v.toPrecision(3)) : v.toExponential(1));
  return (
    <figure className="lr-preview" data-testid="lr-preview">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Learning rate over ${epochs} epochs: from ${fmt(points[0]![1])}, peak ${fmt(top)}, ending at ${fmt(last)}`}>
        <line className="axis" x1={PAD.left} x2={W - PAD.right} y1={H - PAD.bottom} y2={H - PAD.bottom} />
        <polyline className="curve" points={line} />
        <text className="tick" x={PAD.left} y={H - 4}>0</text>
        <text className="tick" x={W - PAD.right} y={H - 4} textAnchor="end">{epochs} epochs</text>
        <text className="tick" x={PAD.left + 2} y={PAD.top - 1}>{fmt(top)}</text>
      </svg>
      <figcaption className="muted">Learning rate per epoch (peak {fmt(top)}, final {fmt(last)})</figcaption>
    </figure>
  );
}
