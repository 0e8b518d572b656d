// A static SVG line chart (training curves for report.md). Self-contained: white background
// and fixed colours, because Markdown previews show it as an image, outside any theme.
import { CURVE_STYLE } from '../../core/taskColors';
import { niceTicks, wholeNumberTicks } from '../../core/chartTicks';
import { escapeXml, formatNumber } from '../../core/markup';

export interface ChartSeries {
  name: string;
  /** [x, y]; a non-finite y breaks the line. */
  points: Array<[number, number]>;
  color: string;
  dashed?: boolean;
  /** Line width, 2 unless given. */
  width?: number;
  /** Opacity of the line and its dots, 1 unless given. */
  alpha?: number;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  width?: number;
  height?: number;
}

const f = (v: number): string => (Math.round(v * 10) / 10).toString();

function lineAttributes(s: ChartSeries): string {
  return ` stroke-width="${s.width ?? 2}"${s.alpha !== undefined && s.alpha < 1 ? ` stroke-opacity="${s.alpha}"` : ''}${s.dashed ? ` stroke-dasharray="${CURVE_STYLE.baselineDash.join(' ')}"` : ''}`;
}

export function lineChartSvg(o: LineChartOptions): string {
  const width = o.width ?? 480;
  const height = o.height ?? 300;
  const m = { left: 62, right: 16, top: 34, bottom: 46 + 16 * Math.ceil(o.series.length / 2) };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const all = o.series.flatMap((s) => s.points).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xTicks = (xs.every(Number.isInteger) ? wholeNumberTicks : niceTicks)(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, 6);
  const yTicks = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 5);
  const x0 = xTicks[0] as number, x1 = xTicks[xTicks.length - 1] as number;
  const y0 = yTicks[0] as number, y1 = yTicks[yTicks.length - 1] as number;
  const sx = (x: number): number => m.left + ((x - x0) / (x1 - x0)) * plotW;
  const sy = (y: number): number => m.top + plotH - ((y - y0) / (y1 - y0)) * plotH;

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<title>${escapeXml(o.title)}</title>`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold" fill="#222">${escapeXml(o.title)}</text>`);
  for (const t of yTicks) {
    out.push(`<line x1="${m.left}" y1="${f(sy(t))}" x2="${m.left + plotW}" y2="${f(sy(t))}" stroke="#e4e4e4"/>`);
    out.push(`<text x="${m.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end" fill="#555">${escapeXml(formatNumber(t))}</text>`);
  }
  for (const t of xTicks) {
    out.push(`<line x1="${f(sx(t))}" y1="${m.top + plotH}" x2="${f(sx(t))}" y2="${m.top + plotH + 4}" stroke="#888"/>`);
    out.push(`<text x="${f(sx(t))}" y="${m.top + plotH + 16}" text-anchor="middle" fill="#555">${escapeXml(formatNumber(t))}</text>`);
  }
  out.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${m.left + plotW / 2}" y="${m.top + plotH + 32}" text-anchor="middle" fill="#333">${escapeXml(o.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${m.top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#333">${escapeXml(o.yLabel)}</text>`);

  for (const s of o.series) {
    const color = escapeXml(s.color);
    const dash = lineAttributes(s);
    // Split at non-finite values so a NaN epoch shows as a gap, not a jump to 0.
    let run: string[] = [];
    const segments: string[][] = [];
    for (const [x, y] of s.points) {
      if (Number.isFinite(x) && Number.isFinite(y)) run.push(`${f(sx(x))},${f(sy(y))}`);
      else if (run.length) { segments.push(run); run = []; }
    }
    if (run.length) segments.push(run);
    for (const seg of segments) {
      if (seg.length > 1) out.push(`<polyline points="${seg.join(' ')}" fill="none" stroke="${color}"${dash}/>`);
    }
    if (s.points.length <= 40) {
      for (const [x, y] of s.points) {
        if (Number.isFinite(x) && Number.isFinite(y)) out.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="2.5" fill="${color}"${s.alpha !== undefined && s.alpha < 1 ? ` fill-opacity="${s.alpha}"` : ''}/>`);
      }
    }
  }

  o.series.forEach((s, i) => {
    const lx = m.left + (i % 2) * (plotW / 2);
    const ly = m.top + plotH + 48 + 16 * Math.floor(i / 2);
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 22}" y2="${ly - 4}" stroke="${escapeXml(s.color)}"${lineAttributes(s)}/>`);
    out.push(`<text x="${lx + 28}" y="${ly}" fill="#333">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
