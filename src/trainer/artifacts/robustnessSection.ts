// The report's robustness section (evaluation.robustness): per task and attack, a chart of the
// task's main metric against ε for the shared model attacked on that task, the shared model
// attacked on each other task (does the attack transfer through the shared layers?) and the
// task's single-task model; a table of every measurement; one sentence per task.
import type { AttackKind, RobustnessRecord } from '../../core/robustness';
import { RUN_FILES } from '../../core/runLayout';
import type { TaskSpec } from '../../core/spec';
import { taskColorHex } from '../../core/taskColors';
import { escapeMarkdown as md, formatNumber, markdownLink, markdownTable } from '../../core/markup';
import { lineChartSvg, type ChartSeries } from './svgLineChart';

const ATTACK_TITLE: Record<AttackKind, string> = { fgsm: 'FGSM', pgd: 'PGD' };
const PREFERRED: Record<TaskSpec['kind'], string[]> = { multiclass: ['accuracy'], binary: ['accuracy', 'rocAuc'], regression: ['mae', 'rmse'] };

/** The metric a task is judged by under attack: accuracy for classification, MAE for regression, else its first metric. */
export function robustnessMetric(task: TaskSpec, records: RobustnessRecord[]): string | undefined {
  const measured = Object.keys(records[0]?.metrics[task.id] ?? {}).filter((m) => m !== 'loss');
  return [...(task.metrics ?? []), ...PREFERRED[task.kind]].find((m) => measured.includes(m)) ?? measured[0];
}

function curve(records: RobustnessRecord[], model: string, attack: AttackKind, on: string, task: string, metric: string): Array<[number, number]> {
  const clean = records.find((r) => r.model === model && r.attack === 'none')?.metrics[task]?.[metric];
  const points: Array<[number, number]> = clean === undefined ? [] : [[0, clean]];
  for (const r of records) {
    const v = r.model === model && r.attack === attack && r.on === on ? r.metrics[task]?.[metric] : undefined;
    if (v !== undefined) points.push([r.epsilon, v]);
  }
  return points.sort((a, b) => a[0] - b[0]);
}

export function renderRobustnessSection(tasks: TaskSpec[], records: RobustnessRecord[], startIndex: number): { lines: string[]; files: Array<{ path: string; content: string }> } {
  const lines: string[] = ['## Robustness', '',
    'Each task\'s metric on the first test examples after an adversarial perturbation of the inputs (after scaling) within an L∞ ball of radius ε, ' +
    'kept inside the test inputs\' range: FGSM (one step of ε · sign of the input gradient, Goodfellow et al. 2015) and PGD (steps of 2.5 ε / k from a random start, ' +
    'projected back into the ball, Madry et al. 2018). An attack climbs one task\'s loss; measured on the other tasks it shows whether it transfers through the shared layers.', ''];
  const files: Array<{ path: string; content: string }> = [];
  const attacks = [...new Set(records.map((r) => r.attack).filter((a): a is AttackKind => a !== 'none'))];
  const maxEps = Math.max(0, ...records.map((r) => r.epsilon));
  tasks.forEach((task, index) => {
    const metric = robustnessMetric(task, records);
    if (!metric) return;
    const color = taskColorHex(index);
    for (const attack of attacks) {
      const series: ChartSeries[] = [{ name: `shared, attack on ${task.id}`, points: curve(records, 'shared', attack, task.id, task.id, metric), color }];
      tasks.forEach((other, j) => {
        if (other.id === task.id) return;
        series.push({ name: `shared, attack on ${other.id}`, points: curve(records, 'shared', attack, other.id, task.id, metric), color: taskColorHex(j), dashed: true });
      });
      const single = curve(records, task.id, attack, task.id, task.id, metric);
      if (single.length) series.push({ name: `single-task model, attack on ${task.id}`, points: single, color, dashed: true, alpha: 0.55 });
      const file = `${RUN_FILES.charts}/${String(startIndex + files.length + 1).padStart(2, '0')}-robustness-${attack}-${task.id.replace(/[^A-Za-z0-9_-]/g, '_')}.svg`;
      files.push({ path: file, content: lineChartSvg({ title: `${task.id}: ${metric} under ${ATTACK_TITLE[attack]}`, xLabel: 'ε', yLabel: metric, series }) });
      lines.push(`![${md(task.id)} under ${ATTACK_TITLE[attack]}](${markdownLink(file)})`);
    }
    lines.push('');
    const strongest = attacks.includes('pgd') ? 'pgd' : attacks[0];
    if (strongest) {
      const at = (model: string, on: string) => curve(records, model, strongest, on, task.id, metric).find(([e]) => e === maxEps)?.[1];
      const clean = (model: string) => records.find((r) => r.model === model && r.attack === 'none')?.metrics[task.id]?.[metric];
      const parts = [`${md(task.id)} ${md(metric)} under ${ATTACK_TITLE[strongest]} at ε = ${formatNumber(maxEps)}: shared model ${formatNumber(clean('shared') ?? NaN)} → ${formatNumber(at('shared', task.id) ?? NaN)}`];
      if (clean(task.id) !== undefined) parts.push(`single-task model ${formatNumber(clean(task.id)!)} → ${formatNumber(at(task.id, task.id) ?? NaN)}`);
      for (const other of tasks) {
        if (other.id !== task.id && at('shared', other.id) !== undefined) parts.push(`attack on ${md(other.id)}: ${formatNumber(at('shared', other.id)!)}`);
      }
      lines.push(`${parts.join('; ')}.`, '');
    }
  });
  const metricOf = new Map(tasks.map((t) => [t.id, robustnessMetric(t, records)]));
  const header = ['Model', 'Attack', 'On task', 'ε', ...tasks.map((t) => `${md(t.id)} ${md(metricOf.get(t.id) ?? '')}`)];
  const rows = records.map((r) => [r.model === 'shared' ? 'shared' : `single-task ${md(r.model)}`, r.attack === 'none' ? 'clean' : ATTACK_TITLE[r.attack],
    r.on ? md(r.on) : '—', formatNumber(r.epsilon), ...tasks.map((t) => {
      const v = r.metrics[t.id]?.[metricOf.get(t.id) ?? ''];
      return v === undefined ? '—' : formatNumber(v);
    })]);
  lines.push(markdownTable(header, rows), '');
  return { lines, files };
}
