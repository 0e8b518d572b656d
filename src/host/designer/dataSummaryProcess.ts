// Asks a forked trainer for the data summary of a document: the trainer's own loaders read
// the data (the host never imports them), the child answers once and exits. No vscode
// import, so tests fork it exactly as the designer does.
import type { DataSummaryResult } from '../../core/dataSummary';
import { forkTrainer, type TrainerProcessOptions } from '../trainerProcess';

export interface DataSummaryRequest {
  doc: unknown;
  /** Folder that the data source's relative paths are resolved against. */
  workspaceDir: string;
  /** Folders the data may be read from (the trainer's data/confine.ts); default workspaceDir alone. */
  allowedRoots?: string[];
  /** The child is killed after this long (a huge file, a hung runtime); default 2 minutes. */
  timeoutMs?: number;
  /** multiTaskStudio.maxMemory in bytes, when set: data estimated past it is refused before it is read. */
  maxMemory?: number;
}

export interface PendingSummary {
  readonly result: Promise<DataSummaryResult>;
  /** Kills the child; `result` then resolves with a "stopped" message. */
  cancel(): void;
}

export function askDataSummary(trainer: Omit<TrainerProcessOptions, 'onStderr'>, req: DataSummaryRequest): PendingSummary {
  const stderr: string[] = [];
  const child = forkTrainer({ ...trainer, onStderr: (line) => { stderr.push(line); if (stderr.length > 5) stderr.shift(); } });
  let stopped: string | undefined;
  let answered: (r: DataSummaryResult) => void = () => {};
  // The answer settles the result when it arrives: Node does not order the last IPC message
  // before the exit event, so waiting for the exit could lose a large answer.
  const answer = new Promise<DataSummaryResult>((resolve) => { answered = resolve; });
  child.onMessage((msg) => {
    if (msg.type === 'dataSummary') answered(msg.result);
    else if (msg.type === 'error') answered({ ok: false, message: `The data loader failed: ${msg.message}` });
  });
  child.send({ type: 'dataSummary', doc: req.doc, workspaceDir: req.workspaceDir, ...(req.allowedRoots ? { allowedRoots: req.allowedRoots } : {}), ...(req.maxMemory !== undefined ? { maxMemory: req.maxMemory } : {}) });
  const timeoutMs = req.timeoutMs ?? 120_000;
  const timer = setTimeout(() => { stopped = `The data preview took longer than ${Math.round(timeoutMs / 1000)} s and was stopped.`; child.kill(); }, timeoutMs);
  const noAnswer = child.exited.then(({ code, signal }): DataSummaryResult => {
    if (stopped) return { ok: false, message: stopped };
    const tail = stderr.length ? ` Last output: ${stderr.join(' | ')}` : '';
    return { ok: false, message: `The trainer process exited without a data summary (code ${code}${signal ? `, signal ${signal}` : ''}).${tail}` };
  });
  // After an exit, an answer already on its way still wins over "no answer" for a moment.
  const result = Promise.race([answer, noAnswer.then((r) => new Promise<DataSummaryResult>((resolve) => setTimeout(() => resolve(r), 50)))])
    .finally(() => clearTimeout(timer));
  return {
    result,
    cancel: () => { stopped ??= 'The data preview was stopped.'; child.kill(); },
  };
}
