// report.md of a run: what ran, with which settings, how many weights sharing saved, how the
// shared model compares with single-task baselines (Δm), training curves and the
// shared-weight diagram. Charts are SVG files in charts/ next to report.md, linked relatively
// (VS Code's Markdown preview and GitHub show them). Takes plain data only.
import * as path from 'node:path';
import { gradientMode, weightingMethod, weightingParams } from '../../core/weighting/registry';
import { DEFAULT_DELTA_M, DELTA_M_CONVENTIONS } from '../../core/deltaM';
import { describeUnitUse, UNIT_USE_SHARE, type Explanation } from '../../core/explain';
import { WHOLE_MODEL, type MetricPoint, type RunSummary } from '../../core/protocol';
import { RUN_FILES, sanitizePathSegment, TOTAL_LOSS } from '../../core/runLayout';
import { sharingDiagram } from '../../core/sharingBlocks';
import type { ExperimentSpec, TaskSpec } from '../../core/spec';
import { CURVE_STYLE, NEUTRAL_HEX, taskColorHex } from '../../core/taskColors';
import { makeFolderIn, stageFileAtomic, writeFileAtomic, type StagedFile } from './atomicWrite';
import { escapeMarkdown as md, formatFactor, formatInteger, formatNumber, formatPercent, markdownLink, markdownTable, plural } from '../../core/markup';
import { renderConflictSection } from './conflictSection';
import { renderTaskAffinitySection } from './taskAffinitySection';
import { renderExplainSection } from './explainSection';
import { renderGeneralisationSection } from './generalisationSection';
import { renderRobustnessSection } from './robustnessSection';
import { lineChartSvg, type ChartSeries } from './svgLineChart';
import { sharedWeightDiagramSvg } from './weightDiagram';
import { gateHeatmapSvg } from './gateHeatmap';
import { repeatedSection } from './repeatedReport';
import { SHARING_VERDICT_TEXT, formatInterval } from '../../core/stats/interval';
import { TRAIN_EVAL_LIMIT, runningTrainMetrics } from '../../core/metricStats';

export interface ReportInput {
  spec: ExperimentSpec;
  summary: RunSummary;
  /** Per-epoch points of the shared model (train and validation). */
  epochs: MetricPoint[];
  /** Per-epoch points of each task's single-task baseline, when trained. */
  baselineEpochs?: Record<string, MetricPoint[]>;
  versions?: Record<string, string>;
  explanation?: Explanation;
}

export interface RenderedReport {
  markdown: string;
  /** Paths relative to the run folder (`charts/….svg`) and their SVG text. */
  files: Array<{ path: string; content: string }>;
}

export const WEIGHT_DIAGRAM_FILE = `${RUN_FILES.charts}/shared-weights.svg`;

const DEFAULT_MAIN_METRIC: Record<TaskSpec['kind'], string> = { multiclass: 'accuracy', binary: 'accuracy', regression: 'mae' };

/** The metric a task's second chart shows: its first listed metric, else the kind's default, else any logged non-loss metric. */
export function mainMetric(task: TaskSpec, points: MetricPoint[]): string | undefined {
  const logged = new Set(points.filter((p) => p.task === task.id && p.metric !== 'loss').map((p) => p.metric));
  const preferred = [...(task.metrics ?? []), DEFAULT_MAIN_METRIC[task.kind]];
  return preferred.find((m) => logged.has(m)) ?? [...logged].sort()[0];
}

function seriesOf(points: MetricPoint[], task: string, metric: string, split: MetricPoint['split']): Array<[number, number]> {
  return points.filter((p) => p.task === task && p.metric === metric && p.split === split)
    .sort((a, b) => a.epoch - b.epoch).map((p) => [p.epoch, p.value]);
}

/** A task's curves in its colour, the whole model's neutral; split and variant told by the line (core/taskColors). */
function chart(input: ReportInput, task: string, metric: string, title: string): string | undefined {
  const index = input.spec.tasks.findIndex((t) => t.id === task);
  const color = index < 0 ? NEUTRAL_HEX : taskColorHex(index);
  const series: ChartSeries[] = [];
  const train = seriesOf(input.epochs, task, metric, 'train');
  const validation = seriesOf(input.epochs, task, metric, 'validation');
  if (train.length) series.push({ name: 'train', points: train, color, ...CURVE_STYLE.train });
  if (validation.length) series.push({ name: 'validation', points: validation, color, ...CURVE_STYLE.validation });
  const base = input.baselineEpochs?.[task];
  if (base) {
    const bv = seriesOf(base, task, metric, 'validation');
    if (bv.length) series.push({ name: 'single-task baseline, validation', points: bv, color, ...CURVE_STYLE.validation, dashed: true });
  }
  if (series.length === 0) return undefined;
  return lineChartSvg({ title, xLabel: 'epoch', yLabel: metric, series });
}

const samples = (n: number | undefined): string => (n === undefined ? 'default number of samples' : plural(n, 'sample'));

function describeSource(spec: ExperimentSpec): string {
  const s = spec.data.source;
  switch (s.type) {
    case 'mnist': return `MNIST${s.limit ? ` (first ${formatInteger(s.limit)})` : ''}`;
    case 'multimnist': return `MultiMNIST (${samples(s.samples)}, seed ${s.seed ?? 'default'})`;
    case 'synthetic-correlated': return `synthetic two-task regression, correlation ${s.correlation} (${samples(s.samples)})`;
    case 'synthetic-sequence': return `synthetic sequences (noisy sinusoids), ${s.steps ?? 'default'} steps, ${s.classes ?? 'default'} frequencies (${samples(s.samples)})`;
    case 'csv': case 'jsonl': return `${s.type.toUpperCase()} file ${s.path}`;
    case 'parquet': return `Parquet file ${s.path}`;
    case 'imageFolder': return `image folder ${s.path}`;
    case 'numpy': return `NumPy arrays ${s.path}`;
  }
}

function settingsRows(input: ReportInput): Array<[string, string]> {
  const { spec } = input;
  const t = spec.training;
  const opt = t.optimizer;
  const rows: Array<[string, string]> = [
    ['Dataset', describeSource(spec)],
    ['Preprocessing', (spec.data.preprocess ?? []).map((p) => p.op === 'scale' ? `scale ×${formatFactor(p.factor)}${p.columns ? ` (${p.columns.join(', ')})` : ''}` : p.op).join(', ') || 'none'],
    ['Split', `validation ${spec.data.split.validation}, test ${spec.data.split.test}, seed ${spec.data.split.seed}`],
    ['Tasks', spec.tasks.map((task) => `${task.id} (${task.kind}${task.classes ? `, ${task.classes} classes` : ''})`).join(', ')],
    ['Optimizer', `${opt.type}, learning rate ${opt.learningRate}`],
    ['Schedule', t.schedule?.type ?? 'constant'],
    ['Epochs', String(t.epochs)],
    ['Batch size', String(t.batchSize)],
    ['Seed', String(t.seed)],
    ['Task weighting', weightingLine(spec)],
  ];
  if (t.l2 !== undefined) rows.push(['L2', String(t.l2)]);
  if (t.clipNorm !== undefined) rows.push(['Gradient clip norm', String(t.clipNorm)]);
  if (t.earlyStopping) rows.push(['Early stopping', `patience ${t.earlyStopping.patience}`]);
  if (input.versions) rows.push(['Software', softwareLine(input.versions)]);
  return rows;
}

/** The shared model's weighting; a baseline always trains its one task with weight 1 (core/baseline.ts). */
/** The method with its title, its parameters as run, and for a gradient method where its gradients were taken. */
export function weightingLine(spec: ExperimentSpec): string {
  const w = spec.training.weighting;
  const d = weightingMethod(w?.method ?? 'equal')?.description;
  if (!d) return w?.method ?? 'equal';
  const params = Object.entries(weightingParams(d, w as Record<string, unknown> | undefined)).map(([k, v]) => `${k} ${v}`);
  const mode = d.family === 'gradient'
    ? (gradientMode(w) === 'representation' ? 'task gradients on the shared representation' : 'task gradients on the shared parameters')
    : undefined;
  const details = [...params, ...(mode ? [mode] : [])];
  const line = `${d.title} (${d.id}${details.length ? `; ${details.join(', ')}` : ''})`;
  const baselines = (spec.evaluation?.baselines ?? 'single-task') === 'single-task' && spec.tasks.length > 1;
  return baselines && d.id !== 'equal' ? `${line}; single-task baselines: equal, weight 1` : line;
}

/**
 * One line for the report: TensorFlow.js (its sub-packages named only where their version
 * differs), the native TensorFlow or wasm build, Node. run.json keeps every version.
 */
export function softwareLine(versions: Record<string, string>): string {
  const tfjs = versions.tfjs ?? versions['tfjs-core'];
  const parts: string[] = [];
  const odd: string[] = [];
  for (const [name, version] of Object.entries(versions)) {
    if (name === 'tfjs' || name === 'tensorflow' || name === 'node' || name === 'tfjs-backend-wasm') continue;
    if (name.startsWith('tfjs') && version !== tfjs) odd.push(`${name} ${version}`);
  }
  if (tfjs) parts.push(`TensorFlow.js ${tfjs}${odd.length ? ` (${odd.join(', ')})` : ''}`);
  if (versions.tensorflow) parts.push(`TensorFlow ${versions.tensorflow} (native)`);
  if (versions['tfjs-backend-wasm']) parts.push(`wasm backend ${versions['tfjs-backend-wasm']}`);
  if (versions.node) parts.push(`Node ${versions.node}`);
  return parts.join(' · ') || 'unknown';
}

export function renderReport(input: ReportInput): RenderedReport {
  const { spec, summary } = input;
  const files: RenderedReport['files'] = [];
  const lines: string[] = [];
  lines.push(`# ${md(spec.name)}: run report`, '');
  if (spec.description) lines.push(md(spec.description), '');
  lines.push(`- **Status:** ${summary.status}`);
  lines.push(`- **Backend:** ${summary.backend}`);
  lines.push(`- **Run folder:** ${md(path.basename(summary.runDir))}`);
  lines.push(`- **Started:** ${md(summary.timings.startedAt)}, **ended:** ${md(summary.timings.endedAt)}, training time ${summary.timings.trainSeconds.toFixed(1)} s`, '');
  lines.push(...summarySection(spec, summary));

  lines.push('## Settings', '', markdownTable(['Setting', 'Value'], settingsRows(input).map(([k, v]) => [md(k), md(v)])), '');

  const p = summary.parameters;
  lines.push('## Parameters', '');
  const paramRows: string[][] = [['Shared (2+ tasks)', formatInteger(p.shared)]];
  for (const task of spec.tasks) paramRows.push([`Only ${md(task.id)}`, formatInteger(p.perTask[task.id] ?? 0)]);
  paramRows.push(['**Multi-task model**', `**${formatInteger(p.total)}**`]);
  paramRows.push([`Sum of ${spec.tasks.length} single-task models`, formatInteger(p.singleTaskTotal)]);
  // What sharing saves is said once, in the Summary, where a reader looks first; the table gives its terms.
  lines.push(markdownTable(['Weights', 'Parameters'], paramRows), '');
  const blockRows = sharingDiagram(spec).blocks.flatMap((b) => b.layers).flatMap((l) =>
    (l.parts ?? []).map((part) => [md(l.id), md(l.type), md(part.label), part.tasks.length ? md(part.tasks.join(', ')) : 'unused', formatInteger(part.params)]));
  if (blockRows.length) {
    lines.push('What each task gets of the sharing blocks (a gate, a column or its own experts belong to the task that reads that column):', '');
    lines.push(markdownTable(['Layer', 'Block', 'Part', 'Serves', 'Parameters'], blockRows), '');
  }

  lines.push('## Results on the test set', '');
  if (summary.repeated) {
    lines.push(`This run repeated every training ${summary.repeated.units.length} times (see "Repeated runs" below). The table here is the first repeat's: its model is the one saved in model/ and its curves the ones logged.`, '');
  }
  if (summary.earlyStopping) {
    const e = summary.earlyStopping;
    lines.push(`Early stopping: training ran ${e.epochsRun} epochs; the test metrics and the saved model use the weights of epoch ${e.bestEpoch}, ` +
      `the one with the lowest validation ${md(TOTAL_LOSS.title)}. Each single-task baseline is restored to its own best epoch the same way.`, '');
  }
  const comparisons = summary.baselines?.comparisons ?? [];
  const resultRows: string[][] = [];
  for (const task of spec.tasks) {
    for (const [metric, value] of Object.entries(summary.test[task.id] ?? {})) {
      const c = comparisons.find((x) => x.task === task.id && x.metric === metric);
      const left = summary.baselines?.excluded?.find((x) => x.task === task.id && x.metric === metric);
      const baseline = summary.baselines?.test[task.id]?.[metric];
      resultRows.push([
        md(task.id), md(metric), formatNumber(value),
        baseline === undefined ? '—' : formatNumber(baseline),
        // A baseline with no comparison is a metric Δm does not count (the losses): say so, a bare dash reads as missing.
        c ? formatPercent(c.relativeImprovement) : left ? 'undefined (left out of Δm)' : baseline === undefined ? '—' : 'not in Δm',
      ]);
    }
  }
  lines.push(markdownTable(['Task', 'Metric', 'Shared model', 'Single-task baseline', 'Relative improvement'], resultRows), '');
  lines.push(trainMetricsNote(spec), '');
  const labelled = summary.labelled;
  const partial = labelled && spec.tasks.filter((t) => labelled.tasks[t.id] && labelled.tasks[t.id]!.test < labelled.rows.test);
  if (labelled && partial && partial.length > 0) {
    lines.push(`Partial labels: each task is measured on its labelled test rows only (${spec.tasks.map((t) =>
      `${md(t.id)} ${formatInteger(labelled.tasks[t.id]?.test ?? 0)}`).join(', ')} of ${formatInteger(labelled.rows.test)}).`, '');
  }
  if (summary.baselines) {
    const convention = DELTA_M_CONVENTIONS[summary.baselines.convention ?? DEFAULT_DELTA_M];
    lines.push(`**Δm = ${formatPercent(summary.baselines.deltaM)}**, the ${md(convention.label)}, over ${comparisons.length} task-metric pairs ` +
      `(single-task models: ${formatInteger(summary.baselines.parameters)} parameters in total).`, '');
    lines.push(`> ${md(convention.formula)}`, '');
    const excluded = summary.baselines.excluded ?? [];
    if (excluded.length) {
      lines.push(`Left out of Δm: ${excluded.map((x) => `${md(x.task)} ${md(x.metric)} (${md(x.reason)})`).join('; ')}.`, '');
    }
    // One number is not a finding: a single run says so instead of calling Δm a gain or a loss.
    if (!summary.repeated) lines.push(`This is ${md(SHARING_VERDICT_TEXT.unknown)}.`, '');
  } else {
    lines.push('No single-task baselines were trained for this run (evaluation.baselines = "none"), so there is no Δm.', '');
  }

  if (summary.repeated) lines.push(...repeatedSection(summary.repeated));

  lines.push('## Training curves', '');
  const chartLinks: string[] = [];
  const addChart = (task: string, metric: string, title: string): void => {
    const svg = chart(input, task, metric, title);
    if (!svg) return;
    const file = `${RUN_FILES.charts}/${String(files.length + 1).padStart(2, '0')}-${sanitizePathSegment(task === WHOLE_MODEL ? 'model' : task, 'task')}-${sanitizePathSegment(metric, 'metric')}.svg`;
    files.push({ path: file, content: svg });
    chartLinks.push(`![${md(title)}](${markdownLink(file)})`);
  };
  addChart(WHOLE_MODEL, 'loss', TOTAL_LOSS.title);
  for (const task of spec.tasks) {
    addChart(task.id, 'loss', `${task.id}: loss`);
    const metric = mainMetric(task, input.epochs);
    if (metric) addChart(task.id, metric, `${task.id}: ${metric}`);
  }
  lines.push(chartLinks.length ? chartLinks.join('\n') : 'No per-epoch metrics were logged.', '');

  const gaps = renderGeneralisationSection(spec.tasks, (task) => mainMetric(task, input.epochs), input.epochs, input.baselineEpochs, files.length, runningTrainMetrics(spec));
  lines.push(...gaps.lines);
  files.push(...gaps.files);

  if (summary.gates?.length) {
    lines.push('## Gates', '', 'How much each task leans on each expert: the mean softmax gate weight over the test rows (each row sums to 1; for PLE, the top level\'s gates, over the task\'s own experts then the shared ones).', '');
    for (const g of summary.gates) {
      const file = `${RUN_FILES.charts}/gates-${sanitizePathSegment(g.layer, 'layer')}.svg`;
      files.push({ path: file, content: gateHeatmapSvg(g) });
      lines.push(`![Gates of ${md(g.layer)}](${markdownLink(file)})`, '');
      lines.push(markdownTable(['Task', ...g.experts.map(md)], g.weights.map((row, i) => [md(g.columns[i]!), ...row.map((w) => w.toFixed(3))])), '');
    }
  }

  if (input.explanation) {
    const section = renderExplainSection(spec, input.explanation, files.length);
    lines.push(...section.lines);
    files.push(...section.files);
  }
  if (summary.robustness?.length) {
    const section = renderRobustnessSection(spec.tasks, summary.robustness, files.length);
    lines.push(...section.lines);
    files.push(...section.files);
  }

  if (summary.conflict) {
    const section = renderConflictSection(summary.conflict, files.length);
    lines.push(...section.lines);
    files.push(...section.files);
  }

  if (summary.taskAffinity) lines.push(...renderTaskAffinitySection(summary.taskAffinity));

  lines.push('## Shared-weight diagram', '');
  files.push({ path: WEIGHT_DIAGRAM_FILE, content: sharedWeightDiagramSvg(spec) });
  lines.push(`![Shared-weight diagram](${markdownLink(WEIGHT_DIAGRAM_FILE)})`, '');
  lines.push('Grey-framed blocks with a bar of their tasks\' colours hold weights shared by two or more tasks; a block in one task\'s colour holds the weights of that task only. Each task keeps its colour in the designer, the training panel and these charts.', '');
  if (summary.unitReliance?.length) {
    lines.push(`Shared units by the tasks that rely on them (a task uses a unit when its mean |∂loss/∂unit| over the test rows is at least ${Math.round(100 * UNIT_USE_SHARE)} % of the task's largest in the layer; the diagram panel of this run draws each unit):`, '',
      ...summary.unitReliance.map((r) => `- ${md(describeUnitUse(r))}`), '');
  }
  return { markdown: lines.join('\n'), files };
}

/**
 * The outcome first, for a reader who stops after a screen: what sharing saved, Δm and what one
 * run can say of it, and each task's main test metric beside its baseline. The sections below
 * give the settings, every metric and the curves.
 */
function summarySection(spec: ExperimentSpec, summary: RunSummary): string[] {
  const lines = ['## Summary', ''];
  const p = summary.parameters;
  if (p.singleTaskTotal > 0) {
    const saving = 1 - p.total / p.singleTaskTotal;
    lines.push(`- **Parameters:** the multi-task model has ${formatInteger(p.total)}, ${spec.tasks.length} single-task models would have ${formatInteger(p.singleTaskTotal)}: ` +
      `sharing ${saving >= 0 ? 'saves' : 'costs'} ${Math.abs(saving * 100).toFixed(1)} %.`);
  }
  const b = summary.baselines;
  if (summary.repeated?.deltaM) {
    lines.push(`- **Δm = ${formatInterval(summary.repeated.deltaM)}: ${SHARING_VERDICT_TEXT[summary.repeated.deltaM.verdict]}** (over ${summary.repeated.units.length} repeats; see "Repeated runs").`);
  } else if (b) {
    const convention = DELTA_M_CONVENTIONS[b.convention ?? DEFAULT_DELTA_M];
    lines.push(`- **Δm = ${formatPercent(b.deltaM)}** against the single-task models, the ${md(convention.label)}; above 0: the shared model did better.` +
      (summary.repeated ? '' : ` This is ${md(SHARING_VERDICT_TEXT.unknown)}.`));
  } else {
    lines.push('- No single-task baselines were trained, so there is no Δm.');
  }
  for (const task of spec.tasks) {
    const test = summary.test[task.id] ?? {};
    const metric = [...(task.metrics ?? []), DEFAULT_MAIN_METRIC[task.kind], 'loss'].find((m) => test[m] !== undefined);
    if (!metric) continue;
    const baseline = b?.test[task.id]?.[metric];
    const c = b?.comparisons.find((x) => x.task === task.id && x.metric === metric);
    lines.push(`- **${md(task.id)}:** test ${md(metric)} ${formatNumber(test[metric]!)}` +
      (baseline === undefined ? '' : `, single-task ${formatNumber(baseline)}${c ? ` (${formatPercent(c.relativeImprovement)})` : ''}`));
  }
  lines.push('');
  return lines;
}

/**
 * Writes the report's charts/ into the run folder and report.md under a temporary name; the run
 * writer commits it once run.json says "completed" (the report states that status, so it must
 * never be seen ahead of run.json).
 */
export async function stageReport(runDir: string, input: ReportInput): Promise<StagedFile> {
  const { markdown, files } = renderReport(input);
  await makeFolderIn(runDir, RUN_FILES.charts); // never remakes a removed run folder
  for (const f of files) await writeFileAtomic(path.join(runDir, f.path), f.content);
  return stageFileAtomic(path.join(runDir, RUN_FILES.report), markdown);
}

/** How the train metrics in the curves and metrics.csv were measured (evaluation.trainMetrics): a train-validation gap reads differently for each. */
export function trainMetricsNote(spec: ExperimentSpec): string {
  return runningTrainMetrics(spec)
    ? 'Train metrics (the curves, metrics.csv) are running over each epoch: every training row counted as its step predicted it, before that step\'s update and with dropout on (evaluation.trainMetrics "running", as Keras\' fit, LibMTL and PyTorch loops count them). Validation and test metrics evaluate the model as it is at the epoch\'s end.'
    : `Train metrics (the curves, metrics.csv) evaluate the model at each epoch's end on the first ${formatInteger(TRAIN_EVAL_LIMIT)} training rows (evaluation.trainMetrics "epochEnd"), as validation and test metrics do.`;
}
