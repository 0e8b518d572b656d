// What must hold after any fault, read the way a user meets it: the runs folder as the Runs
// view reads it (host/runFolders.ts), each run folder's files, and what `mts train` printed.
//   - nothing written before is lost or changed: an earlier completed run, the experiment file;
//   - a run that reads "completed" anywhere has every file a completed run has, whole;
//   - no run reads "running" once its processes are gone; a failed run says why;
//   - the command says what happened in one located line, never a stack trace.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseMetricsJsonl, RUN_FILES } from '../../../src/core/runLayout';
import { describeRun, type RunEntry } from '../../../src/core/runsIndex';
import { readRun } from '../../../src/host/runFolders';
import type { Exit } from './trainProcess';

/** Files of a folder, relative, with a hash of each: what "untouched" compares. */
export function folderHashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const file = path.join(e.parentPath, e.name);
    out[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

/** What the scenario did, so the oracle knows which endings are right. */
export interface Expectation {
  /** Every `mts train` must complete (exit 0) and its run read completed: faults the run must not notice. */
  completes?: boolean;
  /** A signal sent to the trainer (it cannot say anything itself; its parent must). */
  trainerSignal?: NodeJS.Signals;
  /** Ctrl+C: exit 130 and "cancelled", or 0 when the run had finished. */
  interrupted?: boolean;
  /** The supervising `mts train` was killed too: no message expected, the run must still not read running. */
  supervisorKilled?: boolean;
  /** A fault of the run's files: an exit 1 must say `error:` and name the folder. */
  folderFault?: boolean;
  /** The run folder was removed: it must not come back. */
  removedRunFolder?: string;
}

export interface Observed {
  exits: Exit[];
  runsDir: string;
  experimentDir: string;
  /** Hashes of the earlier run before the case, and its folder. */
  witness: { dir: string; before: Record<string, string> };
  specFile: string;
  specBefore: string;
  /** The spec file may be edited by the scenario. */
  specEdited?: boolean;
}

const STACK = /^\s+at \S.*(:\d+:\d+\)?|<anonymous>\)?)$/m;
/** Files every completed run has, whole (report.md may lag run.json when the trainer dies in between). */
const COMPLETE_FILES = [RUN_FILES.experiment, RUN_FILES.summary, RUN_FILES.metricsJsonl, RUN_FILES.metricsCsv, path.join(RUN_FILES.model, RUN_FILES.modelJson)];

export function findings(expect: Expectation, seen: Observed): string[] {
  const out: string[] = [];
  const after = folderHashes(seen.witness.dir);
  if (JSON.stringify(after) !== JSON.stringify(seen.witness.before)) out.push(`an earlier run changed: ${path.basename(seen.witness.dir)}`);
  if (!seen.specEdited && (!fs.existsSync(seen.specFile) || fs.readFileSync(seen.specFile, 'utf8') !== seen.specBefore)) out.push('the experiment file changed');

  for (const [i, exit] of seen.exits.entries()) {
    const which = seen.exits.length > 1 ? `mts train #${i + 1}` : 'mts train';
    if (STACK.test(exit.stderr)) out.push(`${which} printed a stack trace: ${exit.stderr.split('\n').find((l) => STACK.test(l))}`);
    if (!expect.supervisorKilled && exit.signal !== null) out.push(`${which} died by ${exit.signal}`);
    if (!expect.supervisorKilled && exit.code !== null && ![0, 1, 2, 130].includes(exit.code)) out.push(`${which} exited ${exit.code}`);
    if (expect.completes && exit.code !== 0) out.push(`${which} should have completed, exit ${exit.code}: ${lastLine(exit.stderr)}`);
    if (exit.code === 1 && !expect.supervisorKilled && !/^(\S+:\d+:\d+: )?error: \S/m.test(exit.stderr)) out.push(`${which} failed without an "error:" line: ${lastLine(exit.stderr)}`);
    if (exit.code === 1 && expect.folderFault && !/^error: (cannot write \S|the run folder \S)/m.test(exit.stderr)) out.push(`${which}: a file fault not told as one: ${lastLine(exit.stderr)}`);
    if (exit.code === 1 && expect.trainerSignal && !exit.stderr.includes(`(${expect.trainerSignal})`)) out.push(`${which}: the trainer's ${expect.trainerSignal} not named: ${lastLine(exit.stderr)}`);
    if (expect.interrupted && exit.code !== 130 && exit.code !== 0) out.push(`${which}: Ctrl+C gave exit ${exit.code}`);
  }

  if (expect.removedRunFolder && fs.existsSync(expect.removedRunFolder)) out.push(`the removed run folder came back: ${folderSummary(expect.removedRunFolder)}`);
  const runs = fs.existsSync(seen.experimentDir) ? fs.readdirSync(seen.experimentDir).filter((n) => n !== path.basename(seen.witness.dir)) : [];
  for (const name of runs) {
    const dir = path.join(seen.experimentDir, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    const run = readRun(dir);
    if (!run) {
      out.push(`${name}: not a run the Runs view lists`);
      continue;
    }
    out.push(...runFindings(run, expect, seen).map((f) => `${name}: ${f}`));
  }
  if (expect.completes && runs.length !== seen.exits.length) out.push(`${seen.exits.length} runs started, ${runs.length} run folders`);
  return out;
}

function runFindings(run: RunEntry, expect: Expectation, seen: Observed): string[] {
  const out: string[] = [];
  let text: string;
  try {
    text = describeRun(run);
  } catch (err) {
    return [`the Runs view's description threw: ${String(err)}`];
  }
  if (run.status === 'running') out.push('reads "running" with its processes gone');
  if (run.status === 'unknown') out.push('has no run.json');
  if (run.status === 'failed' && text === 'failed') out.push('failed without saying why');
  if (expect.completes && run.status !== 'completed') out.push(`should be completed, reads ${text}`);
  if (expect.interrupted && seen.exits.every((e) => e.code === 130) && run.status !== 'cancelled') out.push(`interrupted but reads ${text}`);
  if (run.status === 'completed') {
    for (const f of COMPLETE_FILES) if (!fs.existsSync(path.join(run.dir, f))) out.push(`reads completed without ${f}`);
    const metrics = path.join(run.dir, RUN_FILES.metricsJsonl);
    if (fs.existsSync(metrics) && !fs.statSync(metrics).isFile()) out.push('reads completed with metrics.jsonl not a file');
    else if (fs.existsSync(metrics)) {
      const parsed = parseMetricsJsonl(fs.readFileSync(metrics, 'utf8'));
      if (parsed.tornLastLine || parsed.skippedLines) out.push('reads completed with a cut metrics.jsonl');
      if (!parsed.records.some((r) => r.baseline === undefined && r.split === 'test')) out.push('reads completed without the shared model\'s test metrics');
    }
    const killed = expect.trainerSignal !== undefined || expect.supervisorKilled;
    if (!killed && !run.hasReport) out.push('reads completed without report.md');
    const temps = Object.keys(folderHashes(run.dir)).filter((f) => f.includes('.tmp-'));
    if (!killed && temps.length) out.push(`temporary files left: ${temps.join(', ')}`);
  }
  return out;
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

function folderSummary(dir: string): string {
  return Object.keys(folderHashes(dir)).sort().join(', ') || '(empty)';
}
