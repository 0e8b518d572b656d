// The run folder: where a run lives, what its files are called, and the record types of
// run.json and metrics.jsonl. Pure: the trainer writes these files, the host reads them.
//   <runsDir>/<experiment name, sanitised>/<YYYYMMDD-HHMMSS>-<short id>/
import type { BackendName, MetricPoint, RunStatus } from './protocol';

/** File and folder names inside one run folder. */
export const RUN_FILES = {
  experiment: 'experiment.json',
  run: 'run.json',
  metricsJsonl: 'metrics.jsonl',
  metricsCsv: 'metrics.csv',
  model: 'model',
  modelJson: 'model.json',
  modelWeights: 'weights.bin',
  tensorboard: 'tensorboard',
  summary: 'summary.json',
  report: 'report.md',
  charts: 'charts',
  /** evaluation.explain's attributions (core/explain.ts). */
  explain: 'explain.json',
} as const;

/** TensorBoard subfolder (shown by TensorBoard as a "run") of the shared model / a single-task baseline. */
export const TENSORBOARD_SHARED = 'shared';
export function tensorboardBaselineFolder(task: string): string {
  return `baseline-${sanitizePathSegment(task, 'task')}`;
}

/** Metric name of the learning rate in MetricPoints (task WHOLE_MODEL); TensorBoard tag `lr`. */
export const LEARNING_RATE_METRIC = 'lr';

/**
 * The whole model's loss (task '*', metric 'loss') is the plain sum of the task losses,
 * whatever the task weighting, so that runs with different weightings compare on one scale
 * (and early stopping watches it). Every place that shows it says so: the report's chart, the
 * training panel and TensorBoard (its tag is `<tag>/<split>`).
 */
export const TOTAL_LOSS = {
  title: 'total loss (unweighted sum of the task losses)',
  tensorboardTag: 'total_loss_unweighted_sum',
} as const;

/** Contents of run.json: written first (status running) and updated last. */
export interface RunRecord {
  formatVersion: 1;
  /** Name of the run folder: `<YYYYMMDD-HHMMSS>-<short id>`. */
  id: string;
  experiment: string;
  status: RunStatus;
  backend: BackendName;
  /** Package and runtime versions, e.g. { node, '@tensorflow/tfjs': '4.22.0' }. */
  versions: Record<string, string>;
  seed: number;
  /** Trainer process id: lets a host tell a run whose process died from a live one. */
  pid: number;
  hostname: string;
  /**
   * When the trainer process started, as the OS tells it (Linux: boot id and start time in clock
   * ticks from /proc/PID/stat): a pid reused by another process after a crash has another one.
   */
  processStart?: string;
  startedAt: string;
  /** Heartbeat: touched at every epoch end while running. */
  updatedAt?: string;
  endedAt?: string;
  /** Named durations in seconds (total, train, ...). */
  timings?: Record<string, number>;
  error?: { message: string; detail?: string };
}

/** One line of metrics.jsonl: a MetricPoint, plus the baseline's task when a single-task baseline logged it. */
export interface MetricRecord extends MetricPoint {
  baseline?: string;
}

/**
 * How a reader asks the OS about a run's trainer. A bare function checks the pid only (tests);
 * with `hostname`, a run trained on another machine is never judged (its pid means nothing here);
 * with `processStart`, a live pid that started at another time is a reused pid, not the trainer.
 */
export interface TrainerProbe {
  hostname?: string;
  isPidAlive(pid: number): boolean;
  /** The same token the writer records as RunRecord.processStart; undefined when unknown. */
  processStart?(pid: number): string | undefined;
}

/** True when the record names a trainer on this machine that no longer runs. */
export function trainerGone(record: Pick<RunRecord, 'pid'> & Partial<Pick<RunRecord, 'hostname' | 'processStart'>>,
  probe: TrainerProbe | ((pid: number) => boolean)): boolean {
  const p: TrainerProbe = typeof probe === 'function' ? { isPidAlive: probe } : probe;
  if (typeof record.pid !== 'number' || !Number.isInteger(record.pid) || record.pid <= 0) return false;
  if (p.hostname !== undefined && typeof record.hostname === 'string' && record.hostname !== p.hostname) return false;
  if (!p.isPidAlive(record.pid)) return true;
  const now = record.processStart === undefined ? undefined : p.processStart?.(record.pid);
  return now !== undefined && now !== record.processStart;
}

/**
 * run.json of a run whose trainer `pid` died before ending it, as its parent (the training
 * session, `mts train`) ends it: undefined when the record has ended already or names another
 * process, so a parent never rewrites a run it does not own.
 */
export function endedByParent(record: RunRecord | undefined, pid: number, status: RunStatus, message: string, now: Date): RunRecord | undefined {
  if (typeof record !== 'object' || record === null || record.status !== 'running' || record.pid !== pid) return undefined;
  const total = (now.getTime() - new Date(record.startedAt).getTime()) / 1000;
  return {
    ...record, status, endedAt: now.toISOString(),
    timings: { ...record.timings, ...(Number.isFinite(total) ? { total } : {}) },
    ...(status === 'failed' ? { error: { message } } : {}),
  };
}

/** What a reader says about a run left "running" by a trainer that is gone. */
export const TRAINER_GONE_MESSAGE = 'the trainer stopped without finishing (killed or crashed)';

/**
 * The status to show for a run: a record still saying "running" whose trainer process is
 * gone was never finished (crash, kill, power loss), so it reads as failed.
 */
export function effectiveStatus(record: Pick<RunRecord, 'status' | 'pid'> & Partial<Pick<RunRecord, 'hostname' | 'processStart'>>,
  probe: TrainerProbe | ((pid: number) => boolean)): RunStatus {
  if (record.status !== 'running') return record.status;
  return trainerGone(record, probe) ? 'failed' : 'running';
}

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A user string made safe as one folder name on every OS: letters and digits of any script,
 * `.`, `_` and `-` kept, anything else becomes `-`; no leading/trailing dots or dashes (so
 * never `.` or `..`), no Windows device names, at most 64 characters.
 */
export function sanitizePathSegment(name: string, fallback = 'experiment'): string {
  let s = name.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/-{2,}/g, '-');
  s = s.replace(/^[.-]+|[.-]+$/g, '');
  s = Array.from(s).slice(0, 64).join('').replace(/[.-]+$/g, '');
  if (s === '') return fallback;
  if (WINDOWS_RESERVED.test(s.split('.')[0] ?? '')) s = `_${s}`;
  return s;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYYMMDD-HHMMSS` in local time (the user's clock, as they will look for it). */
export function formatRunTimestamp(date: Date): string {
  return `${pad(date.getFullYear(), 4)}${pad(date.getMonth() + 1)}${pad(date.getDate())}-` +
    `${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}

/** Short ids are lower-case hex; the writer draws a fresh one when a folder name is taken. */
export const SHORT_ID_PATTERN = /^[0-9a-f]{4,16}$/;

export function runFolderName(date: Date, shortId: string): string {
  if (!SHORT_ID_PATTERN.test(shortId)) throw new Error(`invalid short id "${shortId}"`);
  return `${formatRunTimestamp(date)}-${shortId}`;
}

/** Parses `<YYYYMMDD-HHMMSS>-<short id>`; undefined for any other folder name. */
export function parseRunFolderName(name: string): { startedAt: Date; shortId: string } | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-([0-9a-f]{4,16})$/.exec(name);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const startedAt = new Date(y, mo - 1, d, h, mi, s);
  if (startedAt.getMonth() !== mo - 1 || startedAt.getDate() !== d) return undefined;
  return { startedAt, shortId: m[7] as string };
}

/** Joins path parts with the separator the base already uses (pure: no node:path here). */
export function joinPath(base: string, ...parts: string[]): string {
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  let out = base.replace(/[\\/]+$/, '');
  for (const p of parts) out += sep + p;
  return out;
}

/** Folder of all runs of one experiment. */
export function experimentRunsDir(runsDir: string, experimentName: string): string {
  return joinPath(runsDir, sanitizePathSegment(experimentName));
}

/** Folder of one run. */
export function runDirPath(runsDir: string, experimentName: string, date: Date, shortId: string): string {
  return joinPath(experimentRunsDir(runsDir, experimentName), runFolderName(date, shortId));
}

function isMetricRecord(v: unknown): v is MetricRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return typeof r.step === 'number' && typeof r.epoch === 'number' && typeof r.task === 'string' &&
    typeof r.metric === 'string' && (typeof r.value === 'number' || r.value === null) &&
    (r.split === 'train' || r.split === 'validation' || r.split === 'test') &&
    (r.baseline === undefined || typeof r.baseline === 'string');
}

/**
 * Parses metrics.jsonl. The file is appended to while training, so a crash can leave a torn
 * last line: that line is skipped (and reported), never an error. A malformed line elsewhere
 * is skipped too and counted. JSON has no NaN: a value written as null reads back as NaN.
 */
export function parseMetricsJsonl(text: string): { records: MetricRecord[]; tornLastLine: boolean; skippedLines: number } {
  const lines = text.split('\n');
  const records: MetricRecord[] = [];
  let skippedLines = 0;
  let tornLastLine = false;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const isLast = i === lines.length - 1; // no trailing newline: written partially
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = undefined;
    }
    if (isMetricRecord(parsed)) {
      records.push({ ...parsed, value: parsed.value === null ? Number.NaN : parsed.value });
    } else if (isLast) {
      tornLastLine = true;
    } else {
      skippedLines++;
    }
  });
  return { records, tornLastLine, skippedLines };
}
