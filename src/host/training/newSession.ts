// A training session for an experiment that passed its checks, wired to this window: the
// settings (backend, threads, memory, Node), the data roots it may read, its runs folder,
// the output channel, and the trainer forked only when the session starts.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunStatus } from '../../core/protocol';
import { RUN_FILES } from '../../core/runLayout';
import { allowedDataRoots } from '../dataFolders';
import { output } from '../output';
import { runsDirOfExperiment } from '../runsLocation';
import { settings, trainerScript } from '../settings';
import { forkTrainer } from '../trainerProcess';
import type { CheckedExperiment } from './checkExperiment';
import { endRunOfDeadTrainer } from './endRun';
import { TrainingSession } from './session';
import { headerFromSpec } from './startInfo';

function readRunStatus(runDir: string): RunStatus | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.run), 'utf8')) as { status?: RunStatus }).status;
  } catch {
    return undefined;
  }
}

/** The session, not started; undefined (after saying why) when the trainer is not built. */
export function newSession(context: vscode.ExtensionContext, checked: CheckedExperiment): TrainingSession | undefined {
  const { uri } = checked;
  const script = trainerScript(context);
  if (!fs.existsSync(script)) {
    void vscode.window.showErrorMessage(`The trainer is missing (${script}). Build the extension (npm run build) and try again.`);
    return undefined;
  }
  const s = settings(uri);
  const specPath = uri.fsPath;
  const workspaceDir = path.dirname(specPath);
  const header = headerFromSpec(checked.spec, specPath);
  const out = output();
  for (const w of checked.warnings) out.appendLine(`[${header.experiment}] warning: ${w.path.join('.')}: ${w.message}`);
  // fork() runs in start(), after the session exists: stderr lines go to it.
  const session: TrainingSession = new TrainingSession({
    header,
    start: { type: 'start', doc: checked.doc, specPath, workspaceDir, allowedRoots: allowedDataRoots(uri), runsDir: runsDirOfExperiment(uri), backend: s.backend,
      ...(Number.isInteger(s.threads) && s.threads > 0 ? { threads: s.threads } : {}),
      ...(s.maxMemory !== undefined ? { maxMemory: s.maxMemory } : {}) },
    fork: () => forkTrainer({ script, ...(s.nodePath ? { nodePath: s.nodePath } : {}), cwd: workspaceDir, onStderr: (line) => session.stderr(line) }),
    log: (line) => out.appendLine(line),
    readRunStatus,
    endRun: (runDir, pid, status, message) => {
      if (endRunOfDeadTrainer(runDir, pid, status, message)) out.appendLine(`[${session.label}] run.json of ${runDir} marked ${status}: ${message}`);
    },
  });
  return session;
}
