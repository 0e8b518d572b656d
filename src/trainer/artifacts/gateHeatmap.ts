// The report's gate heatmap: one row per task column, one column per expert, each cell the
// mean gate weight that task gives that expert on the test rows (summary.gates).
import { GATE_HUE, gateOpacity, gateTextLight } from '../../core/gateShade';
import type { GateMeans } from '../../core/protocol';
import { escapeXml } from '../../core/markup';

const CELL_W = 64, CELL_H = 26, CHAR_W = 6.6;

export function gateHeatmapSvg(g: GateMeans): string {
  const title = `${g.layer}: mean gate weight per task and expert (${g.rows} test rows)`;
  const left = Math.max(60, ...g.columns.map((c) => c.length * CHAR_W + 12));
  const top = 40;
  const width = Math.ceil(Math.max(left + g.experts.length * CELL_W + 10, title.length * CHAR_W + 10));
  const height = top + g.columns.length * CELL_H + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(`${g.layer}: gates`)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="4" y="14" font-weight="bold">${escapeXml(title)}</text>`,
  ];
  g.experts.forEach((e, j) => out.push(`<text x="${left + j * CELL_W + CELL_W / 2}" y="${top - 6}" text-anchor="middle">${escapeXml(e)}</text>`));
  g.columns.forEach((c, i) => {
    const y = top + i * CELL_H;
    out.push(`<text x="${left - 6}" y="${y + CELL_H / 2 + 4}" text-anchor="end">${escapeXml(c)}</text>`);
    g.weights[i]!.forEach((w, j) => {
      const x = left + j * CELL_W;
      out.push(`<rect x="${x}" y="${y}" width="${CELL_W - 2}" height="${CELL_H - 2}" fill="${GATE_HUE}" fill-opacity="${gateOpacity(w).toFixed(3)}" stroke="#cccccc"/>`);
      out.push(`<text x="${x + CELL_W / 2 - 1}" y="${y + CELL_H / 2 + 3}" text-anchor="middle" fill="${gateTextLight(w) ? '#ffffff' : '#000000'}">${w.toFixed(2)}</text>`);
    });
  });
  out.push('</svg>');
  return out.join('\n');
}
