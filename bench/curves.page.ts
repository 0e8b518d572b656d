// Browser side of bench/curves.mjs: the training panel's chart path (RunView points →
// joinSeries → uPlot.setData with the panel's options), timed at growing series lengths.
import uPlot from 'uplot';
import type { SessionEvent } from '../src/core/panelProtocol';
import type { MetricPoint } from '../src/core/protocol';
import { chartOptions } from '../webview/training/Chart';
import { taskCharts, modelCharts, type ChartDef } from '../webview/training/charts';
import { RunView } from '../webview/training/runState';
import { joinSeries } from '../webview/training/seriesJoin';
import { chartTheme } from '../webview/ui/themeColors';

const TASKS = ['digit', 'parity'];
const header: SessionEvent = {
  kind: 'header',
  header: {
    experiment: 'bench', tasks: TASKS.map((id) => ({ id, kind: 'multiclass', metrics: ['accuracy'] })),
    phases: [{ kind: 'shared' }, ...TASKS.map((task) => ({ kind: 'baseline' as const, task }))], totalEpochs: 1000, weighting: 'equal', live: true,
  },
};

/** One report of every series at step s (the loop sends several points per progress message). */
function pointsAt(s: number, phase: string): MetricPoint[] {
  const out: MetricPoint[] = [];
  const tasks = phase === '*' ? TASKS : [phase];
  for (const task of tasks) {
    for (const split of ['train', 'validation'] as const) {
      out.push({ step: s, epoch: 1, split, task, metric: 'loss', value: 1 / (1 + s / 500) + 0.05 * Math.sin(s) });
      out.push({ step: s, epoch: 1, split, task, metric: 'accuracy', value: 1 - 1 / (1 + s / 300) });
    }
  }
  if (phase === '*') {
    out.push({ step: s, epoch: 1, split: 'train', task: '*', metric: 'loss', value: 2 / (1 + s / 500) });
    out.push({ step: s, epoch: 1, split: 'validation', task: '*', metric: 'loss', value: 2 / (1 + s / 500) });
    out.push({ step: s, epoch: 1, split: 'train', task: '*', metric: 'lr', value: 0.01 });
  }
  return out;
}

function feed(view: RunView, from: number, to: number): void {
  for (let s = from; s < to; s++) {
    for (const phase of ['*', ...TASKS]) {
      view.apply({ kind: 'trainer', msg: { type: 'progress', phase: phase === '*' ? { kind: 'shared' } : { kind: 'baseline', task: phase }, points: pointsAt(s, phase) } });
    }
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Row { points: number; charts: number; buildMs: number; joinMs: number; setDataMs: number; perAppendAllChartsMs: number }

async function run(): Promise<{ rows: Row[]; replayMs: number; replayPoints: number }> {
  const theme = chartTheme();
  const rows: Row[] = [];
  let warm = 0;
  const root = document.getElementById('root')!;
  for (const n of [1000, 1000, 5000, 10000]) { // the first 1000 warms up the JIT and is not reported
    const view = new RunView();
    view.apply(header);
    feed(view, 1, n + 1);
    const defs: ChartDef[] = [...taskCharts(view, {}).flatMap((t) => t.charts), ...modelCharts(view)];
    const build = async () => {
      root.innerHTML = '';
      const t0 = performance.now();
      const plots = defs.map((def) => {
        const el = document.createElement('div');
        root.appendChild(el);
        const series = def.series.map((s) => view.series.get(s.key)!);
        return { def, u: new uPlot(chartOptions(def, theme, 520, 170), joinSeries(series) as uPlot.AlignedData, el) };
      });
      await Promise.resolve(); // uPlot draws in a microtask: the build is timed with its first draw
      return { plots, ms: performance.now() - t0 };
    };
    const builds: number[] = [];
    for (let k = 0; k < 4; k++) {
      const b = await build();
      builds.push(b.ms);
      b.plots.forEach((p) => p.u.destroy());
    }
    const buildMs = median(builds);
    const { plots } = await build();
    // Appends: one progress message of every phase, then each chart re-joins and redraws (as one animation frame does).
    const join: number[] = [], set: number[] = [], total: number[] = [];
    for (let k = 0; k < 40; k++) {
      const start = performance.now();
      feed(view, n + 1 + k, n + 2 + k);
      let j = 0, d = 0;
      for (const { def, u } of plots) {
        const a = performance.now();
        const data = joinSeries(def.series.map((s) => view.series.get(s.key)!)) as uPlot.AlignedData;
        const b = performance.now();
        u.batch(() => u.setData(data)); // batch: draw now, not in a microtask, so it is timed
        d += performance.now() - b;
        j += b - a;
      }
      join.push(j / plots.length);
      set.push(d / plots.length);
      total.push(performance.now() - start);
      await new Promise((r) => requestAnimationFrame(r));
    }
    if (rows.length || warm++) rows.push({ points: n, charts: plots.length, buildMs, joinMs: median(join), setDataMs: median(set), perAppendAllChartsMs: median(total) });
    plots.forEach((p) => p.u.destroy());
  }
  // A replay (the panel shown again): the whole stream applied to a fresh view.
  const events: SessionEvent[] = [header];
  for (let s = 1; s <= 10000; s++) events.push({ kind: 'trainer', msg: { type: 'progress', phase: { kind: 'shared' }, points: pointsAt(s, '*') } });
  const t = performance.now();
  const view = new RunView();
  view.replay(events.map((event, i) => ({ seq: i + 1, event })));
  return { rows, replayMs: performance.now() - t, replayPoints: events.length * 11 };
}

(window as unknown as { benchResult: Promise<unknown> }).benchResult = run();
