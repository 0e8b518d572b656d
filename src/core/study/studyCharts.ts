// The study's two charts as SVG text, drawn once for both places that show them: study-report.md
// (fixed light colours: a Markdown preview shows the file as an image, outside any theme) and the
// study view (the theme's variables, through inline styles, so light, dark and high contrast work).
//  - scatter: task A's metric against task B's, each run a dot, each variant's mean a numbered
//    ring, and the Pareto front of the variant means (the variants no other beats on both);
//  - interval chart: Δm per variant with its 95 % interval and the zero line.
import { niceTicks } from '../chartTicks';
import { escapeXml, formatNumber } from '../markup';
import { chartColorVar, LIGHT_THEME_HEX, TASK_COLOR_NAMES } from '../taskColors';
import { SHARING_VERDICT_TEXT, type IntervalSummary } from '../stats/interval';
import { paretoFront } from './pareto';
import { cellOf, runValue, type StudyColumn } from './studyColumns';
import type { StudyResult } from './studyTypes';

export interface ChartPalette {
  /** Colour of the variant at `index` (chart colours, repeating; the variant's number tells them apart). */
  variant(index: number): string;
  text: string;
  muted: string;
  grid: string;
  background?: string;
  /** Colours as style="…" (CSS variables) instead of presentation attributes (fixed colours). */
  inline: boolean;
}

const cycle = <T>(xs: readonly T[], i: number): T => xs[((i % xs.length) + xs.length) % xs.length]!;

export const REPORT_PALETTE: ChartPalette = {
  variant: (i) => LIGHT_THEME_HEX[cycle(TASK_COLOR_NAMES, i)], text: '#333333', muted: '#666666', grid: '#e4e4e4', background: '#ffffff', inline: false,
};

export const THEME_PALETTE: ChartPalette = {
  variant: (i) => chartColorVar(cycle(TASK_COLOR_NAMES, i)), text: 'var(--vscode-foreground)', muted: 'var(--vscode-descriptionForeground)',
  grid: 'var(--vscode-editorWidget-border, rgba(128,128,128,0.35))', background: 'var(--vscode-editor-background)', inline: true,
};

type Paint = { fill?: string; stroke?: string; 'fill-opacity'?: number; 'stroke-opacity'?: number };

function paint(p: ChartPalette, v: Paint): string {
  const entries = Object.entries(v).filter(([, x]) => x !== undefined) as Array<[string, string | number]>;
  if (!entries.length) return '';
  if (p.inline) return ` style="${escapeXml(entries.map(([k, x]) => `${k}:${x}`).join(';'))}"`;
  return entries.map(([k, x]) => ` ${k}="${escapeXml(String(x))}"`).join('');
}

const r1 = (v: number): string => (Math.round(v * 10) / 10).toString();

function open(p: ChartPalette, width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    ...(p.background ? [`<rect width="${width}" height="${height}"${paint(p, { fill: p.background })}/>`] : []),
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold"${paint(p, { fill: p.text })}>${escapeXml(title)}</text>`,
  ];
}

const columnName = (c: StudyColumn): string => `${c.task} ${c.metric}`;

/** Task `a` against task `b`: every run a dot, every variant's mean a numbered ring, the Pareto front of the means. */
export function scatterSvg(result: StudyResult, a: StudyColumn, b: StudyColumn, p: ChartPalette): string {
  const width = 560;
  const legendRows = Math.ceil(result.variants.length / 2) + 1;
  const m = { left: 62, right: 20, top: 34, bottom: 52 + 16 * legendRows };
  const height = 300 + m.top + m.bottom;
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const runs = result.variants.map((v) => v.runs.flatMap((r) => {
    const x = runValue(r, a), y = runValue(r, b);
    return x !== undefined && y !== undefined ? [{ x, y, label: `${v.variant.label}, repeat ${r.repeat + 1} (seed ${r.seed}${r.fold ? `, fold ${r.fold.index + 1} of ${r.fold.of}` : ''})` }] : [];
  }));
  const means = result.variants.map((v) => ({ x: cellOf(v, a)?.mean ?? Number.NaN, y: cellOf(v, b)?.mean ?? Number.NaN }));
  const xs = [...runs.flat().map((d) => d.x), ...means.map((d) => d.x)].filter(Number.isFinite);
  const ys = [...runs.flat().map((d) => d.y), ...means.map((d) => d.y)].filter(Number.isFinite);
  const xTicks = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, 6);
  const yTicks = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 5);
  const x0 = xTicks[0]!, x1 = xTicks[xTicks.length - 1]!, y0 = yTicks[0]!, y1 = yTicks[yTicks.length - 1]!;
  const sx = (x: number) => m.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number) => m.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const title = `${columnName(a)} vs ${columnName(b)}`;
  const out = open(p, width, height, title);
  for (const t of yTicks) {
    out.push(`<line x1="${m.left}" y1="${r1(sy(t))}" x2="${m.left + plotW}" y2="${r1(sy(t))}"${paint(p, { stroke: p.grid })}/>`);
    out.push(`<text x="${m.left - 6}" y="${r1(sy(t) + 4)}" text-anchor="end"${paint(p, { fill: p.muted })}>${escapeXml(formatNumber(t))}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${r1(sx(t))}" y1="${m.top}" x2="${r1(sx(t))}" y2="${m.top + plotH}"${paint(p, { stroke: p.grid })}/>`);
    out.push(`<text x="${r1(sx(t))}" y="${m.top + plotH + 16}" text-anchor="middle"${paint(p, { fill: p.muted })}>${escapeXml(formatNumber(t))}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}"${paint(p, { fill: 'none', stroke: p.muted })}/>`);
  const better = (c: StudyColumn) => (c.higherIsBetter ? 'higher is better' : 'lower is better');
  out.push(`<text x="${m.left + plotW / 2}" y="${m.top + plotH + 34}" text-anchor="middle"${paint(p, { fill: p.text })}>${escapeXml(`${columnName(a)} (${better(a)})`)}</text>`);
  out.push(`<text transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle"${paint(p, { fill: p.text })}>${escapeXml(`${columnName(b)} (${better(b)})`)}</text>`);

  const front = paretoFront(means, a.higherIsBetter, b.higherIsBetter);
  if (front.length > 1) {
    const pts = front.map((i) => `${r1(sx(means[i]!.x))},${r1(sy(means[i]!.y))}`).join(' ');
    out.push(`<polyline class="pareto" points="${pts}" stroke-width="1.5" stroke-dasharray="6 4"${paint(p, { fill: 'none', stroke: p.text })}><title>Pareto front of the variant means</title></polyline>`);
  }
  runs.forEach((dots, i) => {
    for (const d of dots) {
      out.push(`<circle class="run" cx="${r1(sx(d.x))}" cy="${r1(sy(d.y))}" r="3"${paint(p, { fill: p.variant(i), 'fill-opacity': 0.7 })}><title>${escapeXml(`${d.label}: ${a.task} ${formatNumber(d.x)}, ${b.task} ${formatNumber(d.y)}`)}</title></circle>`);
    }
  });
  means.forEach((d, i) => {
    if (!Number.isFinite(d.x) || !Number.isFinite(d.y)) return;
    const onFront = front.includes(i);
    const label = `${result.variants[i]!.variant.label}, mean: ${a.task} ${formatNumber(d.x)}, ${b.task} ${formatNumber(d.y)}${onFront ? ' (on the Pareto front)' : ''}`;
    out.push(`<g class="mean${onFront ? ' front' : ''}"><title>${escapeXml(label)}</title>`);
    out.push(`<circle cx="${r1(sx(d.x))}" cy="${r1(sy(d.y))}" r="8" stroke-width="${onFront ? 2.5 : 1.5}"${paint(p, { fill: p.background ?? 'none', stroke: p.variant(i) })}/>`);
    out.push(`<text x="${r1(sx(d.x))}" y="${r1(sy(d.y) + 4)}" text-anchor="middle" font-size="10" font-weight="bold"${paint(p, { fill: p.text })}>${i + 1}</text></g>`);
  });

  const legendTop = m.top + plotH + 54;
  result.variants.forEach((v, i) => {
    const lx = m.left + (i % 2) * (plotW / 2);
    const ly = legendTop + 16 * Math.floor(i / 2);
    out.push(`<circle cx="${lx + 6}" cy="${ly - 4}" r="6" stroke-width="1.5"${paint(p, { fill: 'none', stroke: p.variant(i) })}/>`);
    out.push(`<text x="${lx + 6}" y="${ly - 1}" text-anchor="middle" font-size="8"${paint(p, { fill: p.text })}>${i + 1}</text>`);
    out.push(`<text x="${lx + 18}" y="${ly}"${paint(p, { fill: p.text })}>${escapeXml(v.variant.label)}</text>`);
  });
  const ly = legendTop + 16 * (legendRows - 1);
  out.push(`<line x1="${m.left}" y1="${ly - 4}" x2="${m.left + 22}" y2="${ly - 4}" stroke-width="1.5" stroke-dasharray="6 4"${paint(p, { stroke: p.text })}/>`);
  out.push(`<text x="${m.left + 28}" y="${ly}"${paint(p, { fill: p.muted })}>Pareto front of the variant means · small dots: single runs</text>`);
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Δm of each variant with its 95 % interval, against 0 (the single-task models). */
export function deltaMChartSvg(result: StudyResult, p: ChartPalette): string {
  const rows = result.variants.map((v, i) => ({ i, label: `${i + 1}. ${v.variant.label}`, d: v.deltaM }))
    .filter((r): r is { i: number; label: string; d: IntervalSummary & { verdict: keyof typeof SHARING_VERDICT_TEXT } } => r.d !== undefined && Number.isFinite(r.d.mean));
  const width = 720;
  const m = { left: 200, right: 230, top: 34, bottom: 40 };
  const rowH = 24;
  const plotW = width - m.left - m.right;
  const plotH = Math.max(1, rows.length) * rowH;
  const height = m.top + plotH + m.bottom;
  const vals = rows.flatMap((r) => [r.d.mean, r.d.low ?? r.d.mean, r.d.high ?? r.d.mean]).map((v) => v * 100);
  const ticks = niceTicks(Math.min(0, ...vals), Math.max(0, ...vals), 6);
  const t0 = ticks[0]!, t1 = ticks[ticks.length - 1]!;
  const sx = (pct: number) => m.left + ((pct - t0) / (t1 - t0)) * plotW;
  const out = open(p, width, height, 'Δm against single-task models, with 95 % intervals');
  for (const t of ticks) {
    out.push(`<line x1="${r1(sx(t))}" y1="${m.top}" x2="${r1(sx(t))}" y2="${m.top + plotH}"${paint(p, { stroke: t === 0 ? p.text : p.grid })}${t === 0 ? ' stroke-width="1.5"' : ''}/>`);
    out.push(`<text x="${r1(sx(t))}" y="${m.top + plotH + 16}" text-anchor="middle"${paint(p, { fill: p.muted })}>${escapeXml(`${formatNumber(t)} %`)}</text>`);
  }
  out.push(`<text x="${m.left + plotW / 2}" y="${m.top + plotH + 32}" text-anchor="middle"${paint(p, { fill: p.text })}>Δm (positive: better than the single-task models)</text>`);
  if (!rows.length) out.push(`<text x="${m.left + plotW / 2}" y="${m.top + 16}" text-anchor="middle"${paint(p, { fill: p.muted })}>No Δm yet: it needs the single-task runs of the same seeds.</text>`);
  rows.forEach((r, k) => {
    const y = m.top + k * rowH + rowH / 2;
    const color = p.variant(r.i);
    out.push(`<g class="delta"><title>${escapeXml(`${r.label}: ${SHARING_VERDICT_TEXT[r.d.verdict]}`)}</title>`);
    out.push(`<text x="${m.left - 8}" y="${r1(y + 4)}" text-anchor="end"${paint(p, { fill: p.text })}>${escapeXml(r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label)}</text>`);
    if (r.d.low !== undefined && r.d.high !== undefined) {
      const a = sx(r.d.low * 100), b = sx(r.d.high * 100);
      out.push(`<line x1="${r1(a)}" y1="${r1(y)}" x2="${r1(b)}" y2="${r1(y)}" stroke-width="2"${paint(p, { stroke: color })}/>`);
      out.push(`<line x1="${r1(a)}" y1="${r1(y - 5)}" x2="${r1(a)}" y2="${r1(y + 5)}" stroke-width="2"${paint(p, { stroke: color })}/>`);
      out.push(`<line x1="${r1(b)}" y1="${r1(y - 5)}" x2="${r1(b)}" y2="${r1(y + 5)}" stroke-width="2"${paint(p, { stroke: color })}/>`);
    }
    out.push(`<circle cx="${r1(sx(r.d.mean * 100))}" cy="${r1(y)}" r="4"${paint(p, { fill: color })}/>`);
    out.push(`<text x="${m.left + plotW + 8}" y="${r1(y + 4)}"${paint(p, { fill: p.muted })}>${escapeXml(r.d.verdict === 'unknown' ? 'one run: no interval' : SHARING_VERDICT_TEXT[r.d.verdict])}</text></g>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
