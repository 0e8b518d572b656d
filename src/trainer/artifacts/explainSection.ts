// The report's "What the network looks at" section (evaluation.explain; formulas in
// core/explain.ts): per explained example an SVG with, for each task, the input and its two
// attribution maps (image inputs), each task's feature ranking (tabular inputs), and how many
// units of each shared layer each task relies on.
import { imageSize } from '../../core/dataShape';
import { unitUse, type Explanation, type Saliency } from '../../core/explain';
import { RUN_FILES } from '../../core/runLayout';
import type { ExperimentSpec } from '../../core/spec';
import { taskColorHex } from '../../core/taskColors';
import { escapeMarkdown as md, escapeXml, formatNumber, markdownLink, markdownTable } from '../../core/markup';

/** A value in [-1, 1] as a diverging colour: red for positive, blue for negative, white at 0. */
function diverging(v: number): string {
  const t = Math.max(-1, Math.min(1, v));
  const c = (x: number) => Math.round(255 - Math.abs(t) * x).toString(16).padStart(2, '0');
  return t >= 0 ? `#ff${c(200)}${c(200)}` : `#${c(200)}${c(140)}ff`;
}

/** Sums over the channels (last axis) of an [h, w, c] map given flat. */
function perPixel(values: number[], h: number, w: number): number[] {
  const c = values.length / (h * w);
  return Array.from({ length: h * w }, (_, p) => {
    let s = 0;
    for (let k = 0; k < c; k++) s += values[p * c + k]!;
    return s;
  });
}

/** Cells on a background of `ground`; cells of that colour are left out (most of an MNIST map: a third of the file). */
function grid(values: number[], h: number, w: number, x0: number, y0: number, cell: number, colour: (v: number) => string, ground: string): string {
  const parts = [`<rect x="${x0}" y="${y0}" width="${w * cell}" height="${h * cell}" fill="${ground}" stroke="#ccc"/>`];
  for (let r = 0; r < h; r++) for (let q = 0; q < w; q++) {
    const fill = colour(values[r * w + q]!);
    if (fill !== ground) parts.push(`<rect x="${x0 + q * cell}" y="${y0 + r * cell}" width="${cell}" height="${cell}" fill="${fill}"/>`);
  }
  return parts.join('');
}

/** One example: a row per task with the input, gradient × input and integrated gradients. */
export function saliencySvg(records: Saliency[], h: number, w: number, taskIndex: (task: string) => number): string {
  const tasks = [...new Set(records.map((r) => r.task))];
  const cell = Math.max(2, Math.floor(140 / Math.max(h, w)));
  const size = cell * Math.max(h, w);
  const left = 110, top = 36, gap = 16, rowH = size + 34;
  const width = left + 3 * (size + gap) + 90, height = top + tasks.length * rowH;
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`];
  ['input', 'gradient × input', 'integrated gradients'].forEach((title, k) =>
    out.push(`<text x="${left + k * (size + gap) + size / 2}" y="20" text-anchor="middle" fill="#333">${title}</text>`));
  tasks.forEach((task, row) => {
    const y = top + row * rowH;
    const gi = records.find((r) => r.task === task && r.method === 'gradientInput')!;
    const ig = records.find((r) => r.task === task && r.method === 'integratedGradients')!;
    const label = gi.class !== undefined ? `${task} (class ${gi.class})` : task;
    out.push(`<text x="${left - 8}" y="${y + size / 2}" text-anchor="end" fill="${taskColorHex(taskIndex(task))}" font-weight="bold">${escapeXml(label)}</text>`);
    const pixels = perPixel(gi.x, h, w);
    const lo = Math.min(...pixels), hi = Math.max(...pixels);
    out.push(grid(pixels, h, w, left, y, cell, (v) => {
      const g = Math.round(255 * (hi > lo ? (v - lo) / (hi - lo) : 0)).toString(16).padStart(2, '0');
      return `#${g}${g}${g}`;
    }, '#000000'));
    [gi, ig].forEach((r, k) => {
      const a = perPixel(r.values, h, w);
      const scale = Math.max(1e-12, ...a.map(Math.abs));
      out.push(grid(a.map((v) => v / scale), h, w, left + (k + 1) * (size + gap), y, cell, diverging, '#ffffff'));
    });
    const sum = ig.values.reduce((p, v) => p + v, 0);
    out.push(`<text x="${left + 2 * (size + gap)}" y="${y + size + 16}" fill="#555" font-size="11">Σ ${formatNumber(sum)} ≈ s(x) − s(x′) = ${formatNumber(ig.score - (ig.baselineScore ?? 0))}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

/** Horizontal bars of the top features of one task. */
function featureBarsSvg(task: string, features: Array<{ name: string; meanAbs: number }>, color: string): string {
  const top = features.slice(0, 15);
  const max = Math.max(1e-12, ...top.map((f) => f.meanAbs));
  const left = 160, barW = 300, rowH = 20, width = left + barW + 80, height = 34 + top.length * rowH;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" fill="#333">${escapeXml(task)}: mean |gradient × input| per feature</text>`];
  top.forEach((f, i) => {
    const y = 28 + i * rowH;
    out.push(`<text x="${left - 6}" y="${y + 13}" text-anchor="end" fill="#333">${escapeXml(f.name)}</text>`,
      `<rect x="${left}" y="${y + 3}" width="${(barW * f.meanAbs) / max}" height="${rowH - 6}" fill="${color}"/>`,
      `<text x="${left + (barW * f.meanAbs) / max + 4}" y="${y + 13}" fill="#555">${formatNumber(f.meanAbs)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

export function renderExplainSection(spec: ExperimentSpec, e: Explanation, startIndex: number): { lines: string[]; files: Array<{ path: string; content: string }> } {
  const lines: string[] = ['## What the network looks at', '',
    `Per task, which parts of the input move its score (the logit of the class the model predicts, or the output value): gradient × input, ` +
    `and integrated gradients (Sundararajan et al. 2017) from a baseline of ${e.baseline === 'mean' ? 'the test inputs\' mean' : 'zeros'} in ${e.steps} steps ` +
    '(trapezoidal rule; its attributions add up to the score\'s change from the baseline, printed under each map). Red raises the score, blue lowers it.', ''];
  const files: Array<{ path: string; content: string }> = [];
  const file = (name: string) => `${RUN_FILES.charts}/${String(startIndex + files.length + 1).padStart(2, '0')}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}.svg`;
  const taskIndex = (task: string) => spec.tasks.findIndex((t) => t.id === task);
  const byExample = new Map<string, Saliency[]>();
  for (const r of e.saliency) {
    const key = `${r.example}/${r.input}`;
    (byExample.get(key) ?? byExample.set(key, []).get(key)!).push(r);
  }
  for (const [key, records] of byExample) {
    const size = imageSize(records[0]!.shape, spec);
    if (!size) continue;
    const f = file(`saliency-${key}`);
    files.push({ path: f, content: saliencySvg(records, size[0], size[1], taskIndex) });
    lines.push(`![Test example ${records[0]!.example}, input ${md(records[0]!.input)}](${markdownLink(f)})`);
  }
  if (files.length) lines.push('');
  for (const fi of e.features) {
    const f = file(`features-${fi.task}-${fi.input}`);
    files.push({ path: f, content: featureBarsSvg(fi.task, fi.features, taskColorHex(taskIndex(fi.task))) });
    lines.push(`![${md(fi.task)}: features of ${md(fi.input)}](${markdownLink(f)})`);
  }
  if (e.features.length) lines.push('');
  if (e.units.length) {
    lines.push('Which shared units each task relies on: a unit counts as used by a task when its mean |∂loss/∂unit| over the test rows is at least a tenth of the layer\'s largest for that task.', '');
    const keys = [...new Set(e.units.flatMap((u) => Object.keys(unitUse(u))))].sort((a, b) => (a === 'none' ? 1 : b === 'none' ? -1 : b.split('+').length - a.split('+').length || a.localeCompare(b)));
    lines.push(markdownTable(['Shared layer', 'Units', ...keys.map((k) => (k === 'none' ? 'used by none' : k.includes('+') ? `by ${md(k.replace(/\+/g, ' and '))}` : `by ${md(k)} only`))],
      e.units.map((u) => {
        const use = unitUse(u);
        const units = Object.values(u.tasks)[0]?.length ?? 0;
        return [md(u.layer), String(units), ...keys.map((k) => String(use[k] ?? 0))];
      })), '');
  }
  return { lines, files };
}
