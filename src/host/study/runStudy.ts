// "Run study" on a `*.mtl-study.json`: the checks (trust, a saved study file, a valid experiment
// it names), resume of an unfinished study folder of the same file if the user wants it, then
// the 'study' request to a forked trainer, a cancellable progress notification ("variant 3 of
// 8, repeat 2 of 3") and the study view, which follows the study live.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { experimentRunsDir } from '../../core/runLayout';
import { studyPosition, studyProgressText } from '../../core/study/studyProgress';
import { STUDY_FILES } from '../../core/study/studyTypes';
import { allowedDataRoots } from '../dataFolders';
import { output } from '../output';
import { parseDocument } from '../parseDocument';
import { runsDirOfExperiment } from '../runsLocation';
import { settings, trainerScript } from '../settings';
import { forkTrainer } from '../trainerProcess';
import { checkExperiment, refuseIfUntrusted } from '../training/index';
import { unfinishedStudies } from './studyFolder';
import { StudyRun, type StudyRequest } from './studyRun';
import { studyRuns } from './studyRuns';

export interface StudyViews {
  /** Opens (or reveals) the view of a study folder, following `run` when given. */
  show(studyDir: string, run?: StudyRun): void;
}

export async function runStudyFile(context: vscode.ExtensionContext, views: StudyViews, uri: vscode.Uri): Promise<void> {
  if (await refuseIfUntrusted()) return;
  const name = path.basename(uri.fsPath);
  const running = studyRuns.get(uri.fsPath);
  if (running?.running) {
    const show = 'Show study';
    const stop = 'Stop study';
    const choice = await vscode.window.showWarningMessage(`${name} is already running (${running.result ? studyProgressText(running.result) : 'starting'}).`, show, stop);
    if (choice === show && running.studyDir) views.show(running.studyDir, running);
    if (choice === stop) running.stop();
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  if (document.isDirty && !(await document.save())) {
    void vscode.window.showErrorMessage(`${name} could not be saved; the study did not start.`);
    return;
  }
  const parsed = parseDocument(document.getText());
  if ('error' in parsed) {
    void vscode.window.showErrorMessage(`Cannot run ${name}: it is not valid JSON (${parsed.error}).`);
    return;
  }
  const experiment = (parsed.doc as { experiment?: unknown } | null)?.experiment;
  if (typeof experiment !== 'string' || !experiment) {
    void vscode.window.showErrorMessage(`Cannot run ${name}: experiment: name the experiment file the study varies (e.g. "./digits-parity.mtl.json").`);
    return;
  }
  const experimentUri = vscode.Uri.file(path.resolve(path.dirname(uri.fsPath), experiment));
  if (!fs.existsSync(experimentUri.fsPath)) {
    void vscode.window.showErrorMessage(`Cannot run ${name}: experiment: ${experiment} was not found next to the study file.`);
    return;
  }
  const checked = await checkExperiment(experimentUri);
  if (!checked) return;
  const script = trainerScript(context);
  if (!fs.existsSync(script)) {
    void vscode.window.showErrorMessage(`The trainer is missing (${script}). Build the extension (npm run build) and try again.`);
    return;
  }
  const runsDir = runsDirOfExperiment(experimentUri);
  let resumeDir: string | undefined;
  const [unfinished] = unfinishedStudies(experimentRunsDir(runsDir, checked.spec.name), uri.fsPath);
  if (unfinished) {
    const p = studyPosition(unfinished.result);
    const resume = 'Resume it';
    const fresh = 'Start a new study';
    const choice = await vscode.window.showInformationMessage(
      `${name} has an unfinished study (${p.finished} of ${p.total} runs finished, ${path.basename(unfinished.dir)}). Resume it (finished runs are kept) or start a new one?`,
      { modal: true }, resume, fresh);
    if (!choice) return;
    if (choice === resume) resumeDir = unfinished.dir;
  }

  const s = settings(experimentUri);
  const workspaceDir = path.dirname(experimentUri.fsPath);
  const request: StudyRequest = {
    type: 'study', doc: parsed.doc, studyPath: uri.fsPath, experimentDoc: checked.doc, experimentPath: experimentUri.fsPath,
    workspaceDir, runsDir, backend: s.backend, allowedRoots: allowedDataRoots(experimentUri),
    ...(resumeDir ? { resumeDir } : {}),
    ...(Number.isInteger(s.threads) && s.threads > 0 ? { threads: s.threads } : {}),
    ...(s.maxMemory !== undefined ? { maxMemory: s.maxMemory } : {}),
  };
  const out = output();
  const run: StudyRun = new StudyRun({
    request,
    fork: () => forkTrainer({ script, ...(s.nodePath ? { nodePath: s.nodePath } : {}), cwd: workspaceDir, onStderr: (line) => out.appendLine(`[study ${run.label}] ${line}`) }),
    log: (line) => out.appendLine(line),
  });
  studyRuns.set(uri.fsPath, run);
  // The view opens with the study folder, which the trainer names in its first report.
  let shown = false;
  run.onChange(() => {
    if (!shown && run.studyDir) {
      shown = true;
      views.show(run.studyDir, run);
    }
  });
  showStudyProgress(run);
  run.start();
  void run.ended.then((status) => announceStudyEnd(run, status, views));
}

function showStudyProgress(run: StudyRun): void {
  void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Study ${run.label}`, cancellable: true }, (progress, token) => {
    token.onCancellationRequested(() => run.stop());
    let reported = 0;
    const update = () => {
      if (!run.result) return;
      const p = studyPosition(run.result);
      const percent = p.total ? (100 * p.finished) / p.total : 0;
      progress.report({ message: run.stopping ? 'stopping…' : studyProgressText(run.result), increment: percent - reported });
      reported = percent;
    };
    const subscription = run.onChange(update);
    progress.report({ message: run.result ? studyProgressText(run.result) : 'planning the variants…' });
    return run.ended.finally(() => subscription.dispose());
  });
}

async function announceStudyEnd(run: StudyRun, status: string, views: StudyViews): Promise<void> {
  const show = 'Show study';
  const report = 'Open report';
  if (status === 'failed') {
    const choice = await vscode.window.showErrorMessage(`Study ${run.label} failed: ${run.endMessage ?? 'see the "Multi-Task Studio" output'}.`, ...(run.studyDir ? [show] : []));
    if (choice === show && run.studyDir) views.show(run.studyDir);
    return;
  }
  const p = run.result ? studyPosition(run.result) : undefined;
  const what = status === 'cancelled' ? `stopped after ${p?.finished ?? 0} of ${p?.total ?? 0} runs (run it again to resume)` : `finished: ${p?.total ?? 0} runs`;
  const choice = await vscode.window.showInformationMessage(`Study ${run.label} ${what}.`, ...(run.studyDir ? [show, report] : []));
  if (choice === show && run.studyDir) views.show(run.studyDir);
  if (choice === report && run.studyDir) await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(path.join(run.studyDir, STUDY_FILES.report)));
}
