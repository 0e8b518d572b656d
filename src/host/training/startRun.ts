// "Train multi-task model": the checks (trust, a saved file, one training per experiment,
// a valid document), then the session: registered, shown in its panel, in the notification
// and the status bar, started, and announced once when it ends.
import * as vscode from 'vscode';
import type { RunSummary } from '../../core/protocol';
import { resolveExperiment } from '../experimentTarget';
import { checkExperiment, refuseIfUntrusted } from './checkExperiment';
import { SHOW_SESSION_COMMAND, type LiveTrainingPanels } from './livePanels';
import { newSession } from './newSession';
import { announceEnd, progressText, showSessionProgress } from './progressUi';
import type { TrainingSession } from './session';
import { sessions } from './sessions';

export async function startRun(context: vscode.ExtensionContext, panels: LiveTrainingPanels, arg: unknown): Promise<void> {
  if (await refuseIfUntrusted()) return;
  const uri = await resolveExperiment(arg, 'Which experiment do you want to train?');
  if (!uri) return;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('Save the experiment as a file in the workspace first: the trainer reads it from disk.');
    return;
  }
  if (await refuseIfRunning(uri, panels)) return;
  const checked = await checkExperiment(uri);
  // The checks may have waited on the user (save, open): another training may have started.
  if (!checked || (await refuseIfRunning(uri, panels))) return;
  const session = newSession(context, checked);
  if (!session) return;

  sessions.set(uri, session);
  panels.show(session, uri);
  // The Runs view shows the new run folder and the session's phase and epoch.
  session.stream.subscribe((i) => {
    if (i.event.kind === 'stopping' || (i.event.kind === 'trainer' && (i.event.msg.type === 'started' || i.event.msg.type === 'epochEnd'))) sessions.fireChanged(session);
  });
  // The notification and the status bar item go away by themselves when the session ends.
  showSessionProgress(session, { title: 'Show training panel', command: SHOW_SESSION_COMMAND, arguments: [uri] });
  session.start();
  void session.ended.then(() => onEnded(session, uri, panels));
}

async function refuseIfRunning(uri: vscode.Uri, panels: LiveTrainingPanels): Promise<boolean> {
  const current = sessions.get(uri);
  if (!current?.running) return false;
  const stop = 'Stop training';
  const show = 'Show progress';
  const choice = await vscode.window.showWarningMessage(`${current.label} is already training (${progressText(current)}). One training per experiment at a time.`, stop, show);
  if (choice === stop) current.stop();
  if (choice === show) panels.show(current, uri);
  return true;
}

function onEnded(session: TrainingSession, uri: vscode.Uri, panels: LiveTrainingPanels): void {
  sessions.fireChanged(session);
  let summary: RunSummary | undefined;
  let problems = 0;
  for (const { event } of session.stream.snapshot()) {
    if (event.kind !== 'trainer') continue;
    if (event.msg.type === 'done') summary = event.msg.summary;
    if (event.msg.type === 'problems') problems = event.msg.problems.filter((p) => p.severity === 'error').length;
  }
  void announceEnd(session, summary, problems, {
    showPanel: () => panels.show(session, uri),
    openReport: () => { if (session.runDir) void vscode.commands.executeCommand('multiTaskStudio.openReport', vscode.Uri.file(session.runDir)); },
    openExperiment: () => void vscode.commands.executeCommand('vscode.open', uri),
  });
}
