// study-report.md: what a study found, in words a reader can trust. Every comparison comes from
// the 95 % intervals of the repeats (core/stats/interval.ts), never from one number: the best
// value of each task is marked, values the repeats cannot tell from it are said to be "within
// the noise of the best" (not losses), and each variant's verdict on sharing comes from its Δm
// interval. Pure: the trainer writes the files (trainer/study/writeStudyReport.ts).
import { escapeMarkdown as md, formatInteger, formatNumber, markdownLink } from '../markup';
import { sanitizePathSegment } from '../runLayout';
import { formatInterval, SHARING_VERDICT_TEXT, type IntervalSummary } from '../stats/interval';
import { COLUMN_MARK_TEXT, markColumn, type ColumnMark } from './bestMarks';
import { deltaMChartSvg, REPORT_PALETTE, scatterSvg } from './studyCharts';
import { cellOf, completedRuns, studyColumns, type StudyColumn } from './studyColumns';
import type { StudyResult } from './studyTypes';

/** Charts sit in charts/ beside study-report.md, linked relatively. */
export const STUDY_CHARTS_DIR = 'charts';
export const DELTA_M_CHART = `${STUDY_CHARTS_DIR}/delta-m.svg`;

export interface StudyReport {
  markdown: string;
  /** Paths relative to the study folder and their SVG text. */
  charts: { file: string; svg: string }[];
}

/** "0.9123 ± 0.0041" */
export function meanSd(s: IntervalSummary): string {
  return s.n > 1 ? `${formatNumber(s.mean)} ± ${formatNumber(s.sd)}` : `${formatNumber(s.mean)} (one run)`;
}

function cellText(s: IntervalSummary | undefined, mark: ColumnMark): string {
  if (!s || mark === 'no-value') return '–';
  const value = meanSd(s);
  if (mark === 'best') return `**${value}** best`;
  if (mark === 'within-noise') return `${value} ≈ ${COLUMN_MARK_TEXT[mark]}`;
  if (mark === 'worse') return `${value} ${COLUMN_MARK_TEXT[mark]}`;
  return value;
}

/** The pairs of tasks the scatter charts show: the first task against each other (at most three charts). */
export function scatterPairs(columns: readonly StudyColumn[]): Array<[StudyColumn, StudyColumn]> {
  const [first, ...rest] = columns;
  return first ? rest.slice(0, 3).map((c) => [first, c]) : [];
}

export function scatterFile(a: StudyColumn, b: StudyColumn): string {
  return `${STUDY_CHARTS_DIR}/scatter-${sanitizePathSegment(a.task, 'task')}-${sanitizePathSegment(b.task, 'task')}.svg`;
}

const seconds = (s: IntervalSummary | undefined): string => (s && Number.isFinite(s.mean) ? `${s.mean.toFixed(1)} s${s.n > 1 ? ` ± ${s.sd.toFixed(1)}` : ''}` : '–');

export function renderStudyReport(result: StudyResult): StudyReport {
  const columns = studyColumns(result);
  const marks = columns.map((c) => markColumn(result.variants.map((v) => cellOf(v, c)), c.higherIsBetter));
  const charts: StudyReport['charts'] = [];
  const lines: string[] = [];
  const cv = result.crossValidation ? `, ${result.crossValidation.folds}-fold cross-validation${result.crossValidation.test === 'nested' ? ' (nested test folds)' : ''}` : '';
  lines.push(`# Study: ${md(result.name)}`, '');
  lines.push(`Experiment \`${md(result.experiment)}\` · ${result.variants.length} variants · ${result.repeats} repeat${result.repeats === 1 ? '' : 's'} each${cv} · status ${result.status} · started ${md(result.startedAt)}${result.endedAt ? ` · ended ${md(result.endedAt)}` : ''}`, '');
  lines.push(`Every variant ran on the same seeds${result.crossValidation ? ' and folds' : ''}. Values are mean ± standard deviation over the repeats; comparisons use the ${md(result.method)}.`, '');

  lines.push('## Test metrics', '');
  lines.push(`| Variant | ${columns.map((c) => `${md(c.task)} ${md(c.metric)} ${c.higherIsBetter ? '↑' : '↓'}`).join(' | ')} |`);
  lines.push(`|---|${columns.map(() => '---|').join('')}`);
  result.variants.forEach((v, i) => {
    lines.push(`| ${i + 1}. ${md(v.variant.label)} | ${columns.map((c, k) => cellText(cellOf(v, c), marks[k]![i]!)).join(' | ')} |`);
  });
  lines.push('', `**Bold**: the best mean of the column. "≈ within the noise of the best": its 95 % interval overlaps the best one's, so these runs cannot tell it from the best; it is not a loss. "Below the best": the two intervals are apart.`, '');

  lines.push('## Sharing against single-task models (Δm)', '');
  lines.push(`Δm is each run's mean relative improvement over the single-task models trained on the same seed${result.crossValidation ? ' and fold' : ''} (a paired difference); its interval is over the ${result.crossValidation ? 'seeds × folds' : 'repeats'}.`, '');
  lines.push('| Variant | Δm | What the runs show | Parameters | Training time per run | Runs completed |');
  lines.push('|---|---|---|---|---|---|');
  result.variants.forEach((v, i) => {
    const d = v.deltaM;
    const delta = d ? md(formatInterval(d)) : v.variant.kind === 'single-task' ? 'reference' : '–';
    const verdict = d ? SHARING_VERDICT_TEXT[d.verdict] : v.variant.kind === 'single-task' ? 'the models Δm compares against' : 'not known yet';
    lines.push(`| ${i + 1}. ${md(v.variant.label)} | ${delta} | ${md(verdict)} | ${v.parameters !== undefined ? formatInteger(v.parameters) : '–'} | ${seconds(v.trainSeconds)} | ${completedRuns(v)} |`);
  });
  lines.push('');
  charts.push({ file: DELTA_M_CHART, svg: deltaMChartSvg(result, REPORT_PALETTE) });
  lines.push(`![Δm per variant with 95 % intervals](${markdownLink(DELTA_M_CHART)})`, '');

  const pairs = scatterPairs(columns);
  if (pairs.length) {
    lines.push('## Trade-off between tasks', '');
    lines.push('Each small dot is one run; each numbered ring is a variant\'s mean. The dashed line joins the variants no other beats on both tasks (the Pareto front of the means).', '');
    for (const [a, b] of pairs) {
      const file = scatterFile(a, b);
      charts.push({ file, svg: scatterSvg(result, a, b, REPORT_PALETTE) });
      lines.push(`![${md(a.task)} vs ${md(b.task)}](${markdownLink(file)})`, '');
    }
  }

  const failed = result.variants.flatMap((v) => v.runs.filter((r) => r.status === 'failed').map((r) => ({ v, r })));
  if (failed.length) {
    lines.push('## Runs that failed', '');
    for (const { v, r } of failed) lines.push(`- ${md(v.variant.label)}, repeat ${r.repeat + 1}${r.fold ? `, fold ${r.fold.index + 1} of ${r.fold.of}` : ''} (\`${md(r.runDir)}\`): ${md(r.error ?? 'no message')}`);
    lines.push('');
  }
  return { markdown: lines.join('\n'), charts };
}
