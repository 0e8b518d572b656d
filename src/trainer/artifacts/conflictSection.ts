// The report's gradient-conflict section (evaluation.conflict, core/conflict.ts): a sentence
// per task pair (how often their gradients on the shared layers pointed against each other,
// and in which layer most), a chart of each pair's mean cosine per epoch, and a table per layer.
import { conflictSentence, type ConflictSummary } from '../../core/conflict';
import { escapeMarkdown as md, formatNumber, markdownLink, markdownTable, plural } from '../../core/markup';
import { RUN_FILES } from '../../core/runLayout';
import { taskColorHex } from '../../core/taskColors';
import { lineChartSvg } from './svgLineChart';

export function renderConflictSection(summary: ConflictSummary, startIndex: number): { lines: string[]; files: Array<{ path: string; content: string }> } {
  const lines: string[] = ['## Gradient conflict', '',
    `Every ${summary.every === 1 ? 'step' : plural(summary.every, 'step')} (${plural(summary.measurements, 'measurement')}), each task's gradient of the batch loss on the shared layers: ` +
    'the cosine between two tasks\' gradients (negative: a step for one task undoes progress on the other) per shared layer and over all of them, ' +
    'and the ratio of their norms. Values per step are in metrics.jsonl (task "a|b", metrics cosine, ratio, cosine@layer).', ''];
  const files: Array<{ path: string; content: string }> = [];
  if (!summary.pairs.length) return { lines: [...lines, 'No step had two tasks with a gradient on the shared layers.', ''], files };
  for (const pair of summary.pairs) lines.push(`- ${md(conflictSentence(pair))}`);
  lines.push('');
  const file = `${RUN_FILES.charts}/${String(startIndex + 1).padStart(2, '0')}-gradient-conflict.svg`;
  files.push({ path: file, content: lineChartSvg({
    title: 'Cosine between task gradients on the shared layers (epoch mean)', xLabel: 'epoch', yLabel: 'cosine',
    series: summary.pairs.map((p, i) => ({ name: `${p.a} · ${p.b}`, points: p.epochs, color: taskColorHex(i) })),
  }) });
  lines.push(`![Gradient conflict](${markdownLink(file)})`, '');
  const rows = summary.pairs.flatMap((p) => [['all shared layers', p] as const, ...Object.entries(p.blocks).map(([b, c]) => [b, { ...p, ...c }] as const)]
    .map(([block, c]) => [`${md(p.a)} · ${md(p.b)}`, md(block), String(c.measured), c.measured ? `${Math.round((100 * c.conflicts) / c.measured)} %` : '—', formatNumber(c.meanCosine)]));
  lines.push(markdownTable(['Pair', 'Layer', 'Measured', 'Conflicting', 'Mean cosine'], rows), '');
  return { lines, files };
}
