// The Runs view and its commands: refresh, open report, reveal folder, delete (after a
// modal confirmation, only ever one run folder). Refreshes when files under a runs folder
// change and when a training of this window starts, advances or ends.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { missingReportText } from '../../core/runsIndex';
import { RUN_FILES } from '../../core/runLayout';
import { STUDY_FILES, STUDY_FOLDER_PREFIX } from '../../core/study/studyTypes';
import { DisposableStore, SerialDisposable } from '../disposables';
import { sessions } from '../training/index';
import { revealFolder } from '../revealFolder';
import { isRunFolderOf, readRun } from '../runFolders';
import { allRunsDirs, runDirArgument, runsDirOfFolder } from '../runsLocation';
import { RunsTreeProvider } from './runsTree';

/** Files whose change can alter what the tree shows (metrics.jsonl appends do not). */
const RELEVANT = new Set<string>([RUN_FILES.run, RUN_FILES.summary, RUN_FILES.experiment, RUN_FILES.report, STUDY_FILES.result]);
const isRelevant = (uri: vscode.Uri): boolean => {
  const base = path.basename(uri.fsPath);
  return RELEVANT.has(base) || !base.includes('.') || /^\d{8}-\d{6}-/.test(base) || base.startsWith(STUDY_FOLDER_PREFIX);
};

function watchRunsFolders(onChange: () => void): vscode.Disposable {
  const watchers = new DisposableStore();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const dir = runsDirOfFolder(folder);
    const rel = path.relative(folder.uri.fsPath, dir);
    const pattern = !rel.startsWith('..') && !path.isAbsolute(rel)
      ? new vscode.RelativePattern(folder, `${rel.split(path.sep).join('/')}/**`)
      : new vscode.RelativePattern(vscode.Uri.file(dir), '**');
    const w = vscode.workspace.createFileSystemWatcher(pattern);
    const fire = (uri: vscode.Uri) => { if (isRelevant(uri)) onChange(); };
    watchers.add(w);
    watchers.add(w.onDidCreate(fire));
    watchers.add(w.onDidChange(fire));
    watchers.add(w.onDidDelete(() => onChange()));
  }
  return watchers;
}

function requireRunDir(arg: unknown): string | undefined {
  const runDir = runDirArgument(arg);
  if (!runDir) void vscode.window.showInformationMessage('Choose a run in the Runs view first.');
  return runDir;
}

async function openReport(arg: unknown): Promise<void> {
  const runDir = requireRunDir(arg);
  if (!runDir) return;
  const report = path.join(runDir, RUN_FILES.report);
  if (!fs.existsSync(report)) {
    const run = readRun(runDir);
    void vscode.window.showInformationMessage(run ? missingReportText(run) : `${path.basename(runDir)} has no report.md.`);
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(report));
}

async function revealRun(arg: unknown): Promise<void> {
  const runDir = requireRunDir(arg);
  if (runDir) await revealFolder(runDir);
}

async function deleteRun(arg: unknown, tree: RunsTreeProvider): Promise<void> {
  const runDir = requireRunDir(arg);
  if (!runDir) return;
  const live = sessions.byRunDir(runDir);
  if (live?.running) {
    const stop = 'Stop training';
    const choice = await vscode.window.showWarningMessage(`${live.label} is still training into this run folder. Stop it before deleting the run.`, stop);
    if (choice === stop) live.stop();
    return;
  }
  if (!allRunsDirs().some((d) => isRunFolderOf(d, runDir))) {
    void vscode.window.showErrorMessage(`Not deleted: ${runDir} is not a run folder inside this workspace's runs folder.`);
    return;
  }
  const name = `${path.basename(path.dirname(runDir))}/${path.basename(runDir)}`;
  const del = 'Delete';
  const choice = await vscode.window.showWarningMessage(`Delete the run ${name}?`,
    { modal: true, detail: 'Its whole folder is deleted permanently: metrics, model, TensorBoard logs and report.' }, del);
  if (choice !== del) return;
  try {
    await vscode.workspace.fs.delete(vscode.Uri.file(runDir), { recursive: true, useTrash: false });
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not delete ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  tree.refresh(0);
}

export function registerRunsView(context: vscode.ExtensionContext): void {
  const tree = new RunsTreeProvider();
  const view = vscode.window.createTreeView('multiTaskStudio.runs', { treeDataProvider: tree, showCollapseAll: true });
  // The runs folders move with the setting and the workspace folders: their watchers are replaced.
  const watcher = new SerialDisposable();
  watcher.value = watchRunsFolders(() => tree.refresh());
  const rewatch = () => {
    watcher.value = watchRunsFolders(() => tree.refresh());
    tree.refresh(0);
  };
  context.subscriptions.push(
    tree, view, watcher,
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('multiTaskStudio.runsFolder')) rewatch(); }),
    vscode.workspace.onDidChangeWorkspaceFolders(rewatch),
    sessions.onDidChange(() => tree.refresh()),
    vscode.commands.registerCommand('multiTaskStudio.refreshRuns', () => tree.refresh(0)),
    vscode.commands.registerCommand('multiTaskStudio.openReport', openReport),
    vscode.commands.registerCommand('multiTaskStudio.revealRun', revealRun),
    vscode.commands.registerCommand('multiTaskStudio.deleteRun', (arg?: unknown) => deleteRun(arg, tree)),
  );
}
