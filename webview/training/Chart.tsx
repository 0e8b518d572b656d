// One uPlot chart over series of the RunView. Built once per set of series and theme;
// afterwards new points only trigger setData, at most once per animation frame, and only
// when one of its series changed (series versions).
import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatMetric } from '../../src/core/runsIndex';
import { CURVE_STYLE } from '../../src/core/taskColors';
import { chartTheme, withAlpha, type ChartTheme } from '../ui/themeColors';
import type { ChartDef, ColorRole } from './charts';
import type { RunView } from './runState';
import { chartSummary } from './chartSummary';
import { legendKeys } from './legendKeys';
import { legendValue } from './legendValue';
import { joinSeries } from './seriesJoin';

/** Fired by the app after points were added; charts check their own series. */
export const pointsAdded = new EventTarget();

export function colorOf(role: ColorRole, theme: ChartTheme): string {
  return role === 'neutral' ? theme.foreground : theme.charts[role];
}

/** The last value at or before idx (validation curves have values only at epoch ends). */
function latestAt(ys: Array<number | null>, idx: number): number | null {
  for (let i = Math.min(idx, ys.length - 1); i >= 0; i--) if (ys[i] != null) return ys[i]!;
  return null;
}

/** Dots only while they stay apart (once per epoch, say); thousands of dots would hide the line and cost a lot to draw. */
function sparse(u: uPlot, si: number, i0: number, i1: number): boolean {
  const ys = u.data[si]!;
  let n = 0;
  for (let i = i0; i <= i1; i++) if (ys[i] != null && ++n * 8 > u.bbox.width / devicePixelRatio) return false;
  return true;
}

/** A curve of one value so far draws no line: its dot shows it (the first report sat on empty axes). */
function lone(u: uPlot, si: number, i0: number, i1: number): boolean {
  const ys = u.data[si]!;
  let n = 0;
  for (let i = i0; i <= i1; i++) if (ys[i] != null && ++n > 1) return false;
  return n === 1;
}

/** Not hovering: the legend shows the newest values. */
function showLatest(u: uPlot): void {
  const n = u.data[0].length;
  if (n) u.setLegend({ idx: n - 1 });
}

export function chartOptions(def: ChartDef, theme: ChartTheme, width: number, height: number,
  onHover?: (step: number | undefined) => void, xMax: () => number = () => 0): uPlot.Options {
  const axis = (): uPlot.Axis => ({
    stroke: theme.muted, font: theme.font,
    grid: { stroke: withAlpha(theme.grid, 0.6), width: 1 }, ticks: { stroke: withAlpha(theme.grid, 0.6), width: 1, size: 4 },
  });
  return {
    width, height,
    plugins: [legendKeys()],
    // Legend markers drawn like their lines: a baseline's square has a dashed border.
    legend: { live: true, markers: { dash: (_u, si) => (si > 0 && def.series[si - 1]?.variant === 'baseline' ? 'dashed' : 'solid') } },
    cursor: { drag: { x: true, y: false }, points: { size: 6 } },
    // Every chart spans step 0 to the newest step of any curve, so all charts line up.
    scales: { x: { time: false, range: (_u, _min, max) => [0, Math.max(max, xMax(), 1)] } },
    hooks: {
      setCursor: [(u) => {
        onHover?.(u.cursor.idx == null ? undefined : (u.data[0][u.cursor.idx] as number | undefined));
        if (u.cursor.idx == null) showLatest(u);
      }],
    },
    // The x axis is the optimizer step (the legend's first entry names it while hovering).
    axes: [{ ...axis(), size: 28 }, { ...axis(), size: 52, values: (_u, splits) => splits.map((v) => formatMetric(v)) }],
    series: [
      { label: 'step', value: (_u, v) => (v == null ? '–' : String(v)) },
      ...def.series.map((s): uPlot.Series => {
        const color = colorOf(s.color, theme);
        const line = CURVE_STYLE[s.style];
        return {
          label: s.label,
          // Faded, a train line reads 2.6:1 on a high-contrast theme's black (2:1 on its white): there, its width alone tells it apart.
          stroke: withAlpha(color, theme.highContrast ? 1 : line.alpha),
          width: line.width,
          // The colour is the task's: the single-task baseline is told apart by its dashes.
          ...(s.variant === 'baseline' ? { dash: [...CURVE_STYLE.baselineDash] } : {}),
          points: { show: s.style === 'validation' && !def.id.startsWith('model:lr') ? sparse : lone, size: 5, fill: color, stroke: color },
          spanGaps: true,
          value: (u, v, si, idx) => {
            const latest = v ?? (idx == null ? null : latestAt(u.data[si] as Array<number | null>, idx));
            const y = u.scales.y;
            return latest == null ? '–' : legendValue(latest, y?.max != null && y.min != null ? y.max - y.min : undefined);
          },
        };
      }),
    ],
  };
}

export function Chart(p: { def: ChartDef; view: RunView; themeVersion: number; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const versions = useRef<number[]>([]);
  const stepLabel = useRef<HTMLSpanElement>(null);
  const summary = useRef<HTMLParagraphElement>(null);
  const summaryId = useId();
  const seriesKeys = p.def.series.map((s) => s.key).join('\n');

  useEffect(() => {
    const el = box.current;
    if (!el || !p.def.series.length) return undefined;
    const theme = chartTheme();
    const data = () => {
      const list = p.def.series.map((s) => p.view.series.get(s.key) ?? { x: [], y: [], version: 0 });
      versions.current = list.map((s) => s.version);
      return joinSeries(list) as uPlot.AlignedData;
    };
    const onHover = (step: number | undefined) => { if (stepLabel.current) stepLabel.current.textContent = step === undefined ? '' : `step ${step}`; };
    // The curves in words (chartSummary.ts), the canvas's description: read when the user reaches it, never announced.
    const describe = () => {
      if (summary.current) summary.current.textContent = chartSummary(p.def.series.map((s) => ({ label: s.label, ...(p.view.series.get(s.key) ?? { x: [], y: [] }) })), p.def.better);
    };
    const u = new uPlot(chartOptions(p.def, theme, Math.max(200, el.clientWidth), p.height ?? 170, onHover, () => p.view.maxStep), data(), el);
    plot.current = u;
    u.ctx.canvas.setAttribute('role', 'img');
    u.ctx.canvas.setAttribute('aria-label', `${p.def.title} curves`);
    u.ctx.canvas.setAttribute('aria-describedby', summaryId);
    describe();
    showLatest(u);
    let frame = 0;
    let drawnMax = p.view.maxStep;
    const onPoints = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const now = p.def.series.map((s) => p.view.series.get(s.key)?.version ?? 0);
        // Redraw when a series changed, or when other curves moved the common x range.
        if (now.some((v, i) => v !== versions.current[i]) || p.view.maxStep !== drawnMax) {
          drawnMax = p.view.maxStep;
          u.setData(data());
          describe();
          if (u.cursor.idx == null) showLatest(u);
        }
      });
    };
    pointsAdded.addEventListener('points', onPoints);
    const resize = new ResizeObserver(() => {
      const w = Math.max(200, el.clientWidth);
      if (w !== u.width) u.setSize({ width: w, height: p.height ?? 170 });
    });
    resize.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      pointsAdded.removeEventListener('points', onPoints);
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Rebuilt when the set of series, the theme or the run changes; new points go through setData.
  }, [seriesKeys, p.themeVersion, p.view, p.def.title]);

  return (
    <section className="chart" aria-label={p.def.title}>
      <h4>{p.def.title} <span ref={stepLabel} className="hover-step" /></h4>
      {p.def.series.length ? <><div ref={box} className="plot" /><p ref={summary} id={summaryId} className="sr-only" /></> : <div className="plot-empty">{p.def.empty}</div>}
    </section>
  );
}
