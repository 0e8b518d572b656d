// The report's generalisation section (issue 14 item 4): per task, the gap between the train
// and the validation value of its main metric at each epoch's end, for the shared model and its
// single-task model, and one sentence on which overfits more. Both values are measured the same
// way at the epoch's end under evaluation.trainMetrics "epochEnd" (inference mode, the epoch's
// final weights; the train value on the first rows of the train split, trainer/loop.ts), so the
// gap is not the running mean's lag. Under "running" (the default) the train value is counted
// during the epoch's steps: the section says so, as the gap then holds that lag too.
import { higherIsBetter } from '../../core/deltaM';
import type { MetricPoint } from '../../core/protocol';
import { RUN_FILES } from '../../core/runLayout';
import type { TaskSpec } from '../../core/spec';
import { taskColorHex } from '../../core/taskColors';
import { escapeMarkdown as md, formatNumber, markdownLink, markdownTable } from '../../core/markup';
import { lineChartSvg, type ChartSeries } from './svgLineChart';

/** Overfitting as a positive number: train − validation for a metric where higher is better, validation − train otherwise. */
export function generalisationGap(metric: string, train: number, validation: number): number {
  return higherIsBetter(metric) ? train - validation : validation - train;
}

/** [epoch, gap] for every epoch with both values. */
export function gapSeries(points: MetricPoint[], task: string, metric: string): Array<[number, number]> {
  const at = (split: MetricPoint['split']) => new Map(points.filter((p) => p.task === task && p.metric === metric && p.split === split).map((p) => [p.epoch, p.value]));
  const train = at('train'), validation = at('validation');
  return [...train].filter(([e]) => validation.has(e)).map(([e, t]): [number, number] => [e, generalisationGap(metric, t, validation.get(e)!)]).sort((a, b) => a[0] - b[0]);
}

/** Gaps closer than this are called equal: a few examples' difference on a validation split. */
const SAME_GAP = 0.005;

export function renderGeneralisationSection(tasks: TaskSpec[], metricOf: (task: TaskSpec) => string | undefined, epochs: MetricPoint[],
  baselineEpochs: Record<string, MetricPoint[]> | undefined, startIndex: number, runningTrain = false): { lines: string[]; files: Array<{ path: string; content: string }> } {
  const lines: string[] = ['## Generalisation', '',
    'How much better each task does on the training rows than on the validation rows, at each epoch\'s end (train − validation for a score, ' +
    'validation − train for an error): a gap that grows is overfitting. ' +
    (runningTrain
      ? 'The train value is the running one (counted during the epoch, each row as its step predicted it, dropout on) and the validation value is taken with the epoch\'s final weights, ' +
        'so the gap also holds the running value\'s lag: a gap below 0, usual in the first epochs, is that lag (evaluation.trainMetrics "epochEnd" measures both the same way).'
      : 'The two values are both measured the same way, with the epoch\'s final weights.'), ''];
  const files: Array<{ path: string; content: string }> = [];
  const rows: string[][] = [];
  const sentences: string[] = [];
  tasks.forEach((task, index) => {
    const metric = metricOf(task);
    if (!metric) return;
    const shared = gapSeries(epochs, task.id, metric);
    if (!shared.length) return;
    const single = baselineEpochs?.[task.id] ? gapSeries(baselineEpochs[task.id]!, task.id, metric) : [];
    const color = taskColorHex(index);
    const series: ChartSeries[] = [{ name: 'shared model', points: shared, color }];
    if (single.length) series.push({ name: 'single-task model', points: single, color, dashed: true, alpha: 0.6 });
    const file = `${RUN_FILES.charts}/${String(startIndex + files.length + 1).padStart(2, '0')}-gap-${task.id.replace(/[^A-Za-z0-9_-]/g, '_')}.svg`;
    files.push({ path: file, content: lineChartSvg({ title: `${task.id}: generalisation gap in ${metric}`, xLabel: 'epoch', yLabel: `gap (${metric})`, series }) });
    lines.push(`![${md(task.id)} generalisation gap](${markdownLink(file)})`);
    const last = shared[shared.length - 1]![1];
    const lastSingle = single.length ? single[single.length - 1]![1] : undefined;
    rows.push([md(task.id), md(metric), formatNumber(last), lastSingle === undefined ? '—' : formatNumber(lastSingle)]);
    if (lastSingle !== undefined) {
      const gaps = `final gap in ${md(metric)} ${formatNumber(last)} against ${formatNumber(lastSingle)}`;
      // A gap at or below 0 is no overfitting at all (validation as good as train or better, often
      // the running train value's lag): "overfits more" would misread two such gaps.
      if (last <= 0 && lastSingle <= 0) {
        sentences.push(`${md(task.id)}: neither model overfits yet: both do as well on validation as on train or better (${gaps}).`);
        return;
      }
      const verdict = Math.abs(last - lastSingle) < SAME_GAP ? 'about as much as its single-task model'
        : last < lastSingle ? 'less than its single-task model' : 'more than its single-task model';
      sentences.push(`${md(task.id)}: the shared model overfits ${verdict} (${gaps}).`);
    }
  });
  if (!rows.length) return { lines: [], files: [] };
  lines.push('', markdownTable(['Task', 'Metric', 'Final gap, shared model', 'Final gap, single-task model'], rows), '');
  if (sentences.length) lines.push(...sentences.map((s) => `- ${s}`), '', 'One run: a difference of a few hundredths may be noise; repeated runs (evaluation.repeats) say how sure it is.', '');
  return { lines, files };
}
