// The gradient-conflict heatmap (issue 14): a row per task pair, a column per conflict report,
// growing to the right while the run trains; colour = cosine of the two tasks' gradients on
// the chosen shared block (red: conflict, blue: aligned), the share of conflicting reports
// beside each row. Layout and colours come from core/conflictHeatmap; this draws them as SVG
// (each cell's value in its <title>, the tooltip) and offers the same cells as a table.
// Points do not re-render the page (runState): the heatmap watches its own series, at most
// once per animation frame, as the uPlot charts do.
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { WHOLE_TRUNK, pairTask } from '../../src/core/conflict';
import { LEGEND_STOPS, cellText, conflictShareText, cosineColor, heatmapLayout, type HeatmapTheme } from '../../src/core/conflictHeatmap';
import { Dropdown } from '../ui/index';
import { cssVar } from '../ui/themeColors';
import { pointsAdded } from './Chart';
import { conflictPairs, cosineSeriesKey } from './charts';
import type { RunView } from './runState';

const ROW = 20, GAP = 2, MAX_CELL = 18, MIN_CELL = 4, SHARE_W = 92, AXIS_H = 18, CHAR_W = 7;

function heatmapTheme(): HeatmapTheme {
  return {
    negative: cssVar('--vscode-charts-red', '#f14c4c'), positive: cssVar('--vscode-charts-blue', '#3794ff'),
    background: cssVar('--vscode-editor-background', '#1e1e1e'), foreground: cssVar('--vscode-foreground', '#cccccc'),
  };
}

const blockLabel = (block: string) => (block === WHOLE_TRUNK ? 'whole trunk' : block);
const signed = (v: number) => `${v < 0 ? '−' : v > 0 ? '+' : ''}${Math.abs(v)}`;

/** Re-renders when one of the series changed (checked once per animation frame after new points). */
function useSeriesVersions(view: RunView, keys: string[]): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const joined = keys.join('\n');
  useEffect(() => {
    const versions = () => keys.map((k) => view.series.get(k)?.version ?? 0).join(',');
    let seen = versions();
    let frame = 0;
    const onPoints = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        const now = versions();
        if (now !== seen) { seen = now; bump(); }
      });
    };
    pointsAdded.addEventListener('points', onPoints);
    return () => { cancelAnimationFrame(frame); pointsAdded.removeEventListener('points', onPoints); };
    // keys are given by `joined`
  }, [view, joined]);
}

function useWidth(): [React.RefObject<HTMLDivElement | null>, number] {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const observer = new ResizeObserver(() => setWidth(Math.max(240, el.clientWidth)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [box, width];
}

export function ConflictHeatmap({ view, themeVersion }: { view: RunView; themeVersion: number }) {
  const blocks = view.conflictBlocks;
  const [blockIndex, setBlockIndex] = useState(0);
  const block = blocks[Math.min(blockIndex, blocks.length - 1)] ?? WHOLE_TRUNK;
  const tasks = view.header?.tasks.map((t) => t.id) ?? [];
  const keys = tasks.flatMap((a, i) => tasks.slice(i + 1).map((b) => cosineSeriesKey(pairTask(a, b), block)));
  useSeriesVersions(view, keys);
  const [box, width] = useWidth();
  const theme = useMemo(heatmapTheme, [themeVersion]);

  const pairs = conflictPairs(view, block);
  const labelW = Math.max(80, ...pairs.map((p) => (p.a.length + p.b.length + 3) * CHAR_W)) + 10;
  const cellsW = Math.max(MIN_CELL * 4, width - labelW - SHARE_W);
  const layout = heatmapLayout(pairs, Math.floor(cellsW / MIN_CELL));
  const cell = Math.max(MIN_CELL, Math.min(MAX_CELL, Math.floor(cellsW / Math.max(1, layout.columns.length))));
  const height = layout.rows.length * (ROW + GAP) + AXIS_H;
  // Label, then the share of conflicting reports (it stays put while columns are added), then the cells.
  const shareX = labelW + SHARE_W - 12, cellsX = labelW + SHARE_W;
  const last = layout.columns[layout.columns.length - 1];
  const summary = layout.rows.map((r) => `${r.a} and ${r.b}: conflicting in ${conflictShareText(r)} reports`).join('; ');
  const gradient = `linear-gradient(to right, ${LEGEND_STOPS.map((v, i) => `${cosineColor(v, theme)} ${(100 * i) / (LEGEND_STOPS.length - 1)}%`).join(', ')})`;

  return (
    <section className="chart conflict-heatmap" aria-label="Gradient conflict heatmap">
      <div className="heatmap-head">
        <h4>gradient cosine between tasks over time{blocks.length > 1 ? '' : ' on the shared layers'}</h4>
        {blocks.length > 1 ? (
          <Dropdown aria-label="Shared block of the conflict heatmap" value={String(Math.min(blockIndex, blocks.length - 1))}
            options={blocks.map((b, i) => ({ value: String(i), label: blockLabel(b) }))} onChange={(v) => setBlockIndex(Number(v))} />
        ) : null}
        <span className="heatmap-legend" aria-hidden="true">
          <span>−1 conflict</span><span className="ramp" style={{ background: gradient }} /><span>+1 aligned</span>
        </span>
      </div>
      <div ref={box} className="heatmap-box">
        <svg width={width} height={height} role="img" data-block={block}
          aria-label={`Gradient cosine per task pair on ${blockLabel(block)}, ${layout.columns.length} columns${last ? ` up to step ${last.to}` : ''}: ${summary}`}>
          <text className="share-head" x={shareX} y={AXIS_H - 6} textAnchor="end">conflicting</text>
          {layout.rows.map((r, ri) => {
            const y = AXIS_H + ri * (ROW + GAP);
            return (
              <g key={`${r.a}|${r.b}`} className="heatmap-row" data-pair={pairTask(r.a, r.b)}>
                <text className="pair" x={labelW - 8} y={y + ROW / 2} textAnchor="end" dominantBaseline="central">{r.a} · {r.b}</text>
                {r.cells.map((c, ci) => {
                  const col = layout.columns[ci]!;
                  const x = cellsX + ci * cell;
                  return c
                    ? <rect key={ci} className="cell" x={x} y={y} width={Math.max(1, cell - 1)} height={ROW} fill={cosineColor(c.value, theme)} data-value={c.value}><title>{cellText(r, col, c)}</title></rect>
                    : <rect key={ci} className="cell missing" x={x} y={y} width={Math.max(1, cell - 1)} height={ROW}><title>{cellText(r, col, c)}</title></rect>;
                })}
                <text className="share" x={shareX} y={y + ROW / 2} textAnchor="end" dominantBaseline="central">{conflictShareText(r)}</text>
              </g>
            );
          })}
          {layout.columns.length ? (
            <g className="axis">
              {layout.columns.length * cell >= 120 ? <>
                <text x={cellsX} y={AXIS_H - 6}>step {layout.columns[0]!.from}</text>
                <text x={cellsX + layout.columns.length * cell - 1} y={AXIS_H - 6} textAnchor="end">{last!.to} →</text>
              </> : <text x={cellsX} y={AXIS_H - 6}>{layout.columns.length > 1 ? `steps ${layout.columns[0]!.from} → ${last!.to}` : `step ${last!.to}`}</text>}
            </g>
          ) : null}
        </svg>
      </div>
      <details className="heatmap-table">
        <summary>The cosines as a table</summary>
        <div className="table-scroll">
          <table className="heatmap-values">
            <caption>Gradient cosine per task pair on {blockLabel(block)}, one column per {layout.columns.some((c) => c.reports > 1) ? 'group of reports' : 'report'} (below 0: conflict)</caption>
            <thead><tr><th>Pair</th><th className="num">conflicting</th>{layout.columns.map((c) => <th key={c.from} className="num">{c.from === c.to ? c.from : `${c.from}–${c.to}`}</th>)}</tr></thead>
            <tbody>
              {layout.rows.map((r) => (
                <tr key={`${r.a}|${r.b}`}>
                  <th scope="row">{r.a} · {r.b}</th>
                  <td className="num">{conflictShareText(r)}</td>
                  {r.cells.map((c, ci) => <td key={ci} className="num">{c ? signed(Number(c.value.toFixed(2))) : '–'}</td>)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
