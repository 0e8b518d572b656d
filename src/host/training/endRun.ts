// Ends a run whose trainer died before it could: the parent (the training session) saw the
// process exit by a signal or without finishing, so run.json gets the status and the reason
// (e.g. "crashed in native code (SIGSEGV) ... too large for memory"). No vscode import.
import fs from 'node:fs';
import path from 'node:path';
import type { RunStatus } from '../../core/protocol';
import { endedByParent, RUN_FILES, type RunRecord } from '../../core/runLayout';

/**
 * Rewrites run.json (atomically: temporary file, rename) with `status` and `message`, only when
 * it still says "running" and names the process `pid`. Returns whether it wrote.
 */
export function endRunOfDeadTrainer(runDir: string, pid: number, status: RunStatus, message: string, now: Date = new Date()): boolean {
  const file = path.join(runDir, RUN_FILES.run);
  let ended: RunRecord | undefined;
  try {
    ended = endedByParent(JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord, pid, status, message, now);
  } catch {
    return false;
  }
  if (!ended) return false;
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
