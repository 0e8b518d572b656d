// A finished (or interrupted) run rebuilt as the session stream a live training would have
// produced: header, then per phase `started` + its metric points, then `done` or the final
// status. Lets a reloaded window, or a click in the Runs view, show the same panel.
// No vscode import (unit-tested).
import path from 'node:path';
import type { SessionEvent, SessionHeader } from '../../core/panelProtocol';
import { weightingLabel } from '../../core/weighting/registry';
import { baselinePhase, phaseKey, SHARED_PHASE, SHARED_PHASE_KEY, type PhaseKey, type TrainingPhase } from '../../core/phase';
import type { BackendName, MetricPoint, RunSummary } from '../../core/protocol';
import { tasksOf } from '../../core/runsIndex';
import {
  effectiveStatus, parseMetricsJsonl, RUN_FILES, TRAINER_GONE_MESSAGE, type MetricRecord, type RunRecord, type TrainerProbe,
} from '../../core/runLayout';
import { readJson, readText } from '../../node/readIfAny';
import { localProbe } from '../runFolders';

export interface RunFolderFiles {
  runDir: string;
  record?: RunRecord;
  /** experiment.json: the exact spec the run used. */
  experiment?: unknown;
  metricsText?: string;
  summary?: RunSummary;
}


export function readRunFolderFiles(runDir: string): RunFolderFiles {
  const record = readJson(path.join(runDir, RUN_FILES.run)) as RunRecord | undefined;
  const summary = readJson(path.join(runDir, RUN_FILES.summary)) as RunSummary | undefined;
  const metricsText = readText(path.join(runDir, RUN_FILES.metricsJsonl));
  const experiment = readJson(path.join(runDir, RUN_FILES.experiment));
  return {
    runDir,
    ...(record && typeof record === 'object' ? { record } : {}),
    ...(summary && typeof summary === 'object' && summary.test ? { summary } : {}),
    ...(metricsText !== undefined ? { metricsText } : {}),
    ...(experiment !== undefined ? { experiment } : {}),
  };
}

/** What a reader says about lines of metrics.jsonl it could not use; undefined when all were whole. */
export function metricsLinesNote(parsed: { tornLastLine: boolean; skippedLines: number }): string | undefined {
  const parts: string[] = [];
  if (parsed.tornLastLine) parts.push('its last line was cut off (the trainer stopped while writing it) and is skipped');
  if (parsed.skippedLines > 0) parts.push(`${parsed.skippedLines} malformed line(s) are skipped`);
  return parts.length ? `metrics.jsonl: ${parts.join('; ')}` : undefined;
}

export function runFolderEvents(files: RunFolderFiles, alive: TrainerProbe | ((pid: number) => boolean) = localProbe): SessionEvent[] {
  const exp = (files.experiment ?? {}) as { name?: unknown; training?: { epochs?: unknown; weighting?: { method?: unknown; mode?: unknown } }; evaluation?: { trainMetrics?: unknown } };
  const tasks = tasksOf(files.experiment);
  const parsed = files.metricsText ? parseMetricsJsonl(files.metricsText) : undefined;
  const records: MetricRecord[] = parsed?.records ?? [];

  // Phases: the shared model, then the baselines in task order (as the trainer runs them).
  const byPhase = new Map<PhaseKey, { phase: TrainingPhase; points: MetricPoint[] }>([[SHARED_PHASE_KEY, { phase: SHARED_PHASE, points: [] }]]);
  for (const r of records) {
    const phase = r.baseline === undefined ? SHARED_PHASE : baselinePhase(r.baseline);
    const key = phaseKey(phase);
    if (!byPhase.has(key)) byPhase.set(key, { phase, points: [] });
    const { baseline: _omit, ...point } = r;
    byPhase.get(key)!.points.push(point);
  }
  const order: PhaseKey[] = [SHARED_PHASE_KEY, ...tasks.map((t) => phaseKey(baselinePhase(t.id)))];
  const phases = [...byPhase.values()]
    .sort((a, b) => (order.indexOf(phaseKey(a.phase)) >>> 0) - (order.indexOf(phaseKey(b.phase)) >>> 0));
  const totalEpochs = typeof exp.training?.epochs === 'number' ? exp.training.epochs : Math.max(0, ...records.map((r) => r.epoch));

  const header: SessionHeader = {
    experiment: files.record?.experiment ?? (typeof exp.name === 'string' ? exp.name : path.basename(path.dirname(files.runDir))),
    tasks,
    phases: phases.map((p) => p.phase),
    totalEpochs,
    weighting: weightingLabel(exp.training?.weighting),
    // A run's experiment.json names the mode since the option exists; before it, train metrics were measured at each epoch's end.
    trainMetrics: exp.evaluation?.trainMetrics === 'running' ? 'running' : 'epochEnd',
    live: false,
    runDir: files.runDir,
  };
  const events: SessionEvent[] = [{ kind: 'header', header }];
  const note = parsed && metricsLinesNote(parsed);
  if (note) events.push({ kind: 'trainer', msg: { type: 'log', level: 'warning', message: note } });
  const backend: BackendName = files.record?.backend ?? 'cpu';
  for (const { phase, points } of phases) {
    // The file is appended to in flush order; curves want step order (stable for equal steps).
    points.sort((a, b) => a.step - b.step);
    events.push({ kind: 'trainer', msg: { type: 'started', runDir: files.runDir, backend, versions: files.record?.versions ?? {}, totalEpochs, phase } });
    if (points.length) events.push({ kind: 'trainer', msg: { type: 'progress', phase, points } });
    const lastEpoch = Math.max(0, ...points.filter((p) => p.split !== 'test').map((p) => p.epoch));
    if (lastEpoch > 0) events.push({ kind: 'trainer', msg: { type: 'epochEnd', phase, epoch: lastEpoch, totalEpochs, values: [] } });
  }

  const status = files.record ? effectiveStatus(files.record, alive) : files.summary ? 'completed' : 'failed';
  if (files.summary && status === 'completed') {
    events.push({ kind: 'trainer', msg: { type: 'done', summary: { ...files.summary, runDir: files.runDir, status } } }); // summary.json holds no status: run.json does
  }
  if (files.record?.error) events.push({ kind: 'trainer', msg: { type: 'error', message: files.record.error.message, ...(files.record.error.detail ? { detail: files.record.error.detail } : {}) } });
  if (status !== 'running') {
    const message = !files.record ? 'run.json is missing' : files.record.status === 'running' && status === 'failed' ? TRAINER_GONE_MESSAGE : undefined;
    events.push({ kind: 'ended', status, ...(message ? { message } : {}) });
  }
  return events;
}
