// What the Runs view says about a run, from the parsed files of its folder: status, the
// headline metrics (each task's main metric and Δm), and the tasks of its experiment.
// Pure: the host reads the files (host/runFolders.ts) and passes their contents here.
import { DEFAULT_METRICS } from './defaults';
import { own } from './own';
import type { PanelTask } from './panelProtocol';
import type { RunStatus, RunSummary } from './protocol';
import { TRAINER_GONE_MESSAGE, type RunRecord } from './runLayout';
import type { MetricIntervals } from './stats/repeated';
import { sharingVerdict } from './stats/repeatedText';
import type { TaskKind } from './spec';

const TASK_KINDS: readonly TaskKind[] = ['multiclass', 'binary', 'regression'];

/** Tasks of an experiment document (or experiment.json), with default metrics; [] when unreadable. */
export function tasksOf(doc: unknown): PanelTask[] {
  const tasks = (doc as { tasks?: unknown } | undefined)?.tasks;
  if (!Array.isArray(tasks)) return [];
  const out: PanelTask[] = [];
  for (const t of tasks as Array<Record<string, unknown>>) {
    if (typeof t?.id !== 'string' || !TASK_KINDS.includes(t.kind as TaskKind)) continue;
    const kind = t.kind as TaskKind;
    const metrics = Array.isArray(t.metrics) && t.metrics.every((m) => typeof m === 'string') && t.metrics.length
      ? (t.metrics as string[]) : [...DEFAULT_METRICS[kind]];
    out.push({ id: t.id, kind, metrics });
  }
  return out;
}

/** The metric a task is judged by: its first evaluation metric. */
export function mainMetric(task: PanelTask): string {
  return task.metrics[0] ?? DEFAULT_METRICS[task.kind][0]!;
}

const SHORT_NAMES: Record<string, string> = { accuracy: 'acc', macroF1: 'F1', rocAuc: 'AUC', loss: 'loss' };

export function shortMetricName(metric: string): string {
  return own(SHORT_NAMES, metric) ?? metric;
}

/** 3 significant digits, never exponent notation for values people read in a list. */
export function formatMetric(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 0.001 || abs >= 1e6)) return value.toExponential(2);
  if (abs >= 100) return value.toFixed(1);
  return value.toPrecision(3).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}

/** Signed percentage with a real minus sign: +0.4%, −1.2%, −0.07% (two decimals below 1%). */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '–';
  const p = fraction * 100;
  const text = Math.abs(p).toFixed(Math.abs(p) < 1 ? 2 : 1);
  if (Number(text) === 0) return '0%';
  return `${p > 0 ? '+' : '−'}${text}%`;
}

/** "digit acc 0.848 · parity acc 0.889 · Δm −0.07%" (tasks in document order, Δm when baselines ran). */
export function headlineMetrics(summary: Pick<RunSummary, 'test' | 'baselines' | 'repeated'>, tasks: PanelTask[]): string {
  const parts: string[] = [];
  // A repeated run's headline is the mean over its repeats, not its first repeat.
  const repeated = summary.repeated;
  if (repeated) summary = { test: meansOf(repeated.test), ...(summary.baselines ? { baselines: { ...summary.baselines, deltaM: repeated.deltaM?.mean ?? summary.baselines.deltaM } } : {}) };
  const order = tasks.length ? tasks : Object.keys(summary.test).map((id) => ({ id, kind: 'regression' as const, metrics: Object.keys(summary.test[id] ?? {}).filter((m) => m !== 'loss') }));
  for (const task of order) {
    const values = summary.test[task.id];
    if (!values) continue;
    const metric = [mainMetric(task), ...Object.keys(values).filter((m) => m !== 'loss'), 'loss'].find((m) => values[m] !== undefined);
    if (metric === undefined) continue;
    parts.push(`${task.id} ${shortMetricName(metric)} ${formatMetric(values[metric]!)}`);
  }
  if (summary.baselines && Number.isFinite(summary.baselines.deltaM)) parts.push(`Δm ${formatPercent(summary.baselines.deltaM)}`);
  return parts.join(' · ');
}

/**
 * The notification at the end of a completed run: each task's main metric, then the sentence on
 * sharing (which carries Δm with its interval, or says it is one run), so Δm is said once.
 */
export function completionText(name: string, summary: RunSummary | undefined, tasks: PanelTask[]): string {
  const verdict = summary ? sharingVerdict(summary) : undefined;
  const headline = summary ? headlineMetrics(verdict ? { test: summary.test, ...(summary.repeated ? { repeated: summary.repeated } : {}) } : summary, tasks) : '';
  return `${name}: training completed${headline ? ` (${headline})` : ''}.${verdict ? ` ${verdict[0]!.toUpperCase()}${verdict.slice(1)}.` : ''}`;
}

function meansOf(intervals: MetricIntervals): RunSummary['test'] {
  return Object.fromEntries(Object.entries(intervals).map(([task, m]) => [task, Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v.mean]))]));
}

export interface RunEntry {
  /** Run folder name `<YYYYMMDD-HHMMSS>-<short id>` (or whatever the folder is called). */
  id: string;
  dir: string;
  experiment: string;
  /** From run.json, else from the folder name; used for sorting (newest first). */
  startedAt?: Date;
  record?: RunRecord;
  summary?: RunSummary;
  tasks: PanelTask[];
  /** Effective status (a "running" run whose trainer is gone reads as failed); 'unknown' without run.json. */
  status: RunStatus | 'unknown';
  hasReport: boolean;
  hasModel: boolean;
}

/** Why a failed run failed: its error, or that its trainer is gone though run.json still says running. */
function failureReason(run: RunEntry): string | undefined {
  return run.record?.status === 'running' ? TRAINER_GONE_MESSAGE : run.record?.error?.message;
}

export function describeRun(run: RunEntry): string {
  if (run.summary && run.status === 'completed') return headlineMetrics(run.summary, run.tasks);
  switch (run.status) {
    case 'running': return 'running…';
    case 'cancelled': return 'cancelled';
    case 'failed': {
      const reason = failureReason(run);
      return reason ? `failed: ${reason}` : 'failed';
    }
    case 'unknown': return 'no run.json';
    default: return run.status;
  }
}

/**
 * What "Open report" says when report.md is missing: how the run ended (from run.json), not
 * "not yet", which would promise a report that never comes. report.md is written only for a
 * completed run, and put in place after run.json says completed (trainer/artifacts/runWriter.ts):
 * a trainer killed in between leaves a completed run whose summary, metrics and model are all
 * there, without its report.
 */
export function missingReportText(run: RunEntry): string {
  switch (run.status) {
    case 'running': return `${run.id} is still training: its report.md is written when the training completes.`;
    case 'cancelled': return `${run.id} was cancelled before its report was written: there is no report.md.`;
    case 'failed': {
      const reason = failureReason(run);
      return `${run.id} failed before its report was written: ${reason ? `${reason}. There` : 'there'} is no report.md.`;
    }
    case 'completed': return `${run.id} completed, but its report.md was never put in place (the trainer stopped right after run.json, or the file was deleted since): its summary, metrics and model are in the folder.`;
    case 'unknown': return `${run.id} has no readable run.json and no report.md: it may not be a finished run.`;
  }
}

export function newestFirst(a: RunEntry, b: RunEntry): number {
  const ta = a.startedAt?.getTime() ?? 0, tb = b.startedAt?.getTime() ?? 0;
  return tb - ta || b.id.localeCompare(a.id);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "Nov 28 13:28:52" (the year only when it is not this year): short enough for a tree row. */
export function formatRunTime(date: Date, now: Date = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const year = date.getFullYear() === now.getFullYear() ? '' : ` ${date.getFullYear()}`;
  return `${MONTHS[date.getMonth()]} ${date.getDate()}${year} ${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}`;
}
