// Ends a run whose trainer died before it could: the parent (the training session) saw the
// process exit by a signal or without finishing, so run.json gets the status and the reason
// (e.g. "crashed in native code (SIGSEGV) ... too large for memory"). No vscode import.
import fs from 'node:fs';
import path from 'node:path';
import type { RunStatus } from '../../core/protocol';
import { RUN_FILES, type RunRecord } from '../../core/runLayout';

/**
 * Rewrites run.json (atomically: temporary file, rename) with `status` and `message`, only when
 * it still says "running" and names the process `pid`: never a run that ended, nor another
 * trainer's. Returns whether it wrote.
 */
export function endRunOfDeadTrainer(runDir: string, pid: number, status: RunStatus, message: string, now: Date = new Date()): boolean {
  const file = path.join(runDir, RUN_FILES.run);
  let record: RunRecord;
  try {
    record = JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord;
  } catch {
    return false;
  }
  if (record?.status !== 'running' || record.pid !== pid) return false;
  const total = (now.getTime() - new Date(record.startedAt).getTime()) / 1000;
  const ended: RunRecord = {
    ...record, status, endedAt: now.toISOString(),
    timings: { ...record.timings, ...(Number.isFinite(total) ? { total } : {}) },
    ...(status === 'failed' ? { error: { message } } : {}),
  };
  const temp = path.join(runDir, `.${RUN_FILES.run}.tmp-${process.pid}-${Date.now().toString(36)}`);
  try {
    fs.writeFileSync(temp, `${JSON.stringify(ended, null, 2)}\n`, { flag: 'wx' });
    fs.renameSync(temp, file);
    return true;
  } catch {
    fs.rmSync(temp, { force: true });
    return false;
  }
}
