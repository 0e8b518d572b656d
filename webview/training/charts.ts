// Which curves the panel draws: per task its loss and one metric (the main one unless the
// user picks another), each for the shared model and the task's single-task baseline, train
// and validation; then the whole model: total loss, learning rate, the task weights, and the
// cosine between each pair of tasks' gradients on the shared layers (evaluation.conflict).
// A curve's colour is its task's (core/taskColors); the model variant is told by the line.
import { TOTAL_LOSS } from '../../src/core/runLayout';
import { mainMetric } from '../../src/core/runsIndex';
import { taskColorName, type ChartColorName } from '../../src/core/taskColors';
import { baselinePhase, baselineTasks, phaseKey, SHARED_PHASE_KEY } from '../../src/core/phase';
import { WHOLE_MODEL } from '../../src/core/protocol';
import { WHOLE_TRUNK, conflictMetric, pairTask } from '../../src/core/conflict';
import type { HeatmapPairInput } from '../../src/core/conflictHeatmap';
import { weightingMethod } from '../../src/core/weighting/registry';
import { higherIsBetter } from '../../src/core/deltaM';
import { TRAIN_EVAL_LIMIT } from '../../src/core/metricStats';
import { seriesKey, type RunView } from './runState';

/** A task's chart colour, or neutral for curves of the whole model; resolved against the theme at draw time. */
export type ColorRole = ChartColorName | 'neutral';

export interface SeriesDef {
  key: string;
  label: string;
  color: ColorRole;
  /** The shared model's curves are solid, the single-task baseline's dashed. */
  variant: 'shared' | 'baseline';
  /** Train curves are thin and lighter; validation curves are the ones to read. */
  style: 'train' | 'validation';
}

export interface ChartDef {
  id: string;
  title: string;
  series: SeriesDef[];
  /** Shown instead of the chart while none of its series has a value. */
  empty: string;
  /** Which way its curves improve (a loss: lower), for their summary in words; none for a learning rate, weights, cosines. */
  better?: 'lower' | 'higher';
}

export interface TaskCharts { task: string; color: ChartColorName; metrics: string[]; metric: string | undefined; charts: ChartDef[] }

/**
 * How a train curve was measured, for its legend: the loss is always the epoch's running mean;
 * the other metrics too by default (evaluation.trainMetrics "running"), else the model at each
 * epoch's end on the first training rows.
 */
export function trainHow(view: RunView, metric: string): string {
  const mode = metric === 'loss' ? 'running' : view.header?.trainMetrics;
  return mode === 'running' ? ', running over the epoch' : mode === 'epochEnd' ? `, at epoch end (first ${TRAIN_EVAL_LIMIT.toLocaleString('en-US')} rows)` : '';
}

function pair(view: RunView, task: string, color: ColorRole, metric: string, withBaseline: boolean): SeriesDef[] {
  const how = trainHow(view, metric);
  const defs: SeriesDef[] = [
    { key: seriesKey(SHARED_PHASE_KEY, task, metric, 'train'), label: `shared train${how}`, color, variant: 'shared', style: 'train' },
    { key: seriesKey(SHARED_PHASE_KEY, task, metric, 'validation'), label: 'shared validation', color, variant: 'shared', style: 'validation' },
  ];
  if (withBaseline) {
    const baseline = phaseKey(baselinePhase(task));
    defs.push(
      { key: seriesKey(baseline, task, metric, 'train'), label: `single-task train${how}`, color, variant: 'baseline', style: 'train' },
      { key: seriesKey(baseline, task, metric, 'validation'), label: 'single-task validation', color, variant: 'baseline', style: 'validation' },
    );
  }
  return defs.filter((d) => (view.series.get(d.key)?.x.length ?? 0) > 0);
}

export function taskCharts(view: RunView, choice: Record<string, string>): TaskCharts[] {
  const tasks = view.header?.tasks ?? [...view.taskMetrics.keys()].map((id) => ({ id, kind: 'regression' as const, metrics: [] }));
  const baselines = new Set(baselineTasks(view.header?.phases ?? []));
  return tasks.map((t, i) => {
    const color = taskColorName(i);
    const seen = view.taskMetrics.get(t.id) ?? [];
    const metrics = [...t.metrics.filter((m) => seen.includes(m)), ...seen.filter((m) => !t.metrics.includes(m))];
    const preferred = choice[t.id];
    const metric = preferred && metrics.includes(preferred) ? preferred : metrics.includes(mainMetric(t)) ? mainMetric(t) : metrics[0];
    const charts: ChartDef[] = [{ id: `${t.id}:loss`, title: 'loss', series: pair(view, t.id, color, 'loss', baselines.has(t.id)), empty: 'waiting for the first steps…', better: 'lower' }];
    charts.push({
      id: `${t.id}:metric`, title: metric ?? mainMetric(t), better: higherIsBetter(metric ?? mainMetric(t)) ? 'higher' : 'lower',
      series: metric ? pair(view, t.id, color, metric, baselines.has(t.id)) : [], empty: 'measured at the end of each epoch…',
    });
    return { task: t.id, color, metrics, metric, charts };
  });
}

/**
 * What the weight curves are: a loss method's weights multiply the task losses (learned,
 * scheduled or random); a gradient method's are the coefficients of the task gradients in
 * the update direction, which nobody learns (PCGrad's stay near 1): "learned" misled there.
 */
export function weightChartTitle(weighting: string | undefined): string {
  // The header's weighting reads "pcgrad (shared parameters)" for a gradient method: its id first.
  const method = weighting?.split(' ')[0];
  return method !== undefined && weightingMethod(method)?.description.family === 'gradient'
    ? `task weights (${method}: coefficient of each task's gradient)`
    : `task weights${method ? ` (${method})` : ''}`;
}

export function modelCharts(view: RunView): ChartDef[] {
  const tasks = view.header?.tasks.map((t) => t.id) ?? [...view.taskMetrics.keys()];
  const has = (key: string) => (view.series.get(key)?.x.length ?? 0) > 0;
  const out: ChartDef[] = [];
  if (tasks.length > 1) {
    out.push({
      id: 'model:loss', title: TOTAL_LOSS.title, empty: 'waiting for the first steps…', better: 'lower',
      series: ([
        { key: seriesKey(SHARED_PHASE_KEY, WHOLE_MODEL, 'loss', 'train'), label: 'train', color: 'neutral', variant: 'shared', style: 'train' },
        { key: seriesKey(SHARED_PHASE_KEY, WHOLE_MODEL, 'loss', 'validation'), label: 'validation', color: 'neutral', variant: 'shared', style: 'validation' },
      ] satisfies SeriesDef[]).filter((d) => has(d.key)),
    });
  }
  out.push({
    id: 'model:lr', title: 'learning rate', empty: 'waiting for the first steps…',
    series: [{ key: seriesKey(SHARED_PHASE_KEY, WHOLE_MODEL, 'lr', 'train'), label: 'learning rate', color: 'neutral', variant: 'shared', style: 'validation' } satisfies SeriesDef].filter((d) => has(d.key)),
  });
  if (view.hasWeights) {
    out.push({
      id: 'model:weights', title: weightChartTitle(view.header?.weighting), empty: '',
      series: tasks.map((t, i) => ({ key: seriesKey(SHARED_PHASE_KEY, t, 'weight', 'train'), label: t, color: taskColorName(i), variant: 'shared', style: 'validation' } satisfies SeriesDef))
        .filter((d) => has(d.key)),
    });
  }
  // One line per task pair: below 0 the tasks' gradients on the shared layers conflict.
  const pairs = tasks.flatMap((a, i) => tasks.slice(i + 1).map((b) => pairTask(a, b)));
  const cosines = pairs.map((p, k) => ({ key: cosineSeriesKey(p, WHOLE_TRUNK), label: p, color: taskColorName(k), variant: 'shared', style: 'validation' } satisfies SeriesDef))
    .filter((d) => has(d.key));
  if (cosines.length) out.push({ id: 'model:conflict', title: 'gradient cosine between tasks on the shared layers (below 0: conflict)', empty: '', series: cosines });
  return out;
}

/** The series of a task pair's (pairTask) gradient cosines on a block (WHOLE_TRUNK or a shared layer id). */
export const cosineSeriesKey = (pair: string, block: string): string => seriesKey(SHARED_PHASE_KEY, pair, conflictMetric('cosine', block), 'train');

/** The conflict heatmap's input on a block: each measured task pair (experiment order) with its cosine reports. */
export function conflictPairs(view: RunView, block: string): HeatmapPairInput[] {
  const tasks = view.header?.tasks.map((t) => t.id) ?? [];
  return tasks.flatMap((a, i) => tasks.slice(i + 1).map((b) => {
    const s = view.series.get(cosineSeriesKey(pairTask(a, b), block));
    return { a, b, steps: s?.x ?? [], cosines: s?.y ?? [] };
  })).filter((p) => p.steps.length > 0);
}
