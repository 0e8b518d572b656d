// Panels of run folders: a run from the Runs view that this window is not training, or a
// panel restored after a window reload, rebuilt from the files of its folder. A run another
// window (or the CLI) is still writing is followed as the trainer commits its writes.
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TrainingViewState } from '../../core/panelProtocol';
import { RUN_FILES } from '../../core/runLayout';
import { DisposableStore } from '../disposables';
import { TrainingPanel } from './panel';
import { readRunFolderFiles, runFolderEvents } from './runFolderStream';
import { SessionStream } from './sessionStream';

const titleOf = (runDir: string): string =>
  `Run ${path.basename(runDir).replace(/^(\d{8}-\d{6}).*$/, '$1')}: ${path.basename(path.dirname(runDir))}`;

/**
 * Calls `onCommit` each time the trainer commits a write to the run folder. The trainer
 * rewrites run.json last in every flush (after that epoch's metrics.jsonl lines and
 * TensorBoard events) and last when the run ends (after summary.json): it is the commit
 * point, so a reader woken by it never sees half a flush. (A 700 ms debounce on every
 * *.json/jsonl change stood for this.)
 * The folder's *.json are watched, not the name run.json: given a plain file name, VS Code
 * watches that one file and, inside a workspace, loses it when the trainer renames a new
 * run.json over it (test/integration/runFolderWatch.test.ts). A rename shows as a create.
 * VS Code's watcher can also be late (on a busy machine its recursive workspace watcher took
 * more than 20 s to report a new folder's first file), so run.json is polled beside it, once a
 * second by its stat; a commit seen by both is reported once.
 */
export function watchRunCommits(runDir: string, onCommit: () => void): vscode.Disposable {
  const owned = new DisposableStore();
  const runJson = path.join(runDir, RUN_FILES.run);
  let seen = '';
  const commit = () => {
    let stamp: string;
    try {
      const stat = fs.statSync(runJson);
      stamp = `${stat.mtimeMs}:${stat.ino}:${stat.size}`;
    } catch {
      return; // not there yet (or renamed away this instant): the next event or poll sees it
    }
    if (stamp === seen) return;
    seen = stamp;
    onCommit();
  };
  const watcher = owned.add(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(runDir), '*.json')));
  const fromWatcher = (uri: vscode.Uri) => { if (path.basename(uri.fsPath) === RUN_FILES.run) commit(); };
  owned.add(watcher.onDidChange(fromWatcher));
  owned.add(watcher.onDidCreate(fromWatcher));
  const poll = () => commit();
  fs.watchFile(runJson, { interval: 1000, persistent: false }, poll);
  owned.add({ dispose: () => fs.unwatchFile(runJson, poll) });
  return owned;
}

export class RunFolderPanels implements vscode.Disposable {
  /** By run folder: the panel and the watcher that keeps it current. */
  private readonly panels = new Map<string, { panel: TrainingPanel; watcher: vscode.Disposable }>();

  constructor(private readonly extensionUri: vscode.Uri) {}

  show(runDir: string): void {
    const existing = this.panels.get(runDir);
    if (existing && !existing.panel.isDisposed) {
      this.refresh(runDir);
      existing.panel.reveal();
      return;
    }
    this.open(TrainingPanel.create(this.extensionUri, titleOf(runDir), vscode.ViewColumn.Active), runDir);
  }

  /** WebviewPanelSerializer: a panel from before a window reload, rebuilt from its run folder. */
  restore(webviewPanel: vscode.WebviewPanel, state: TrainingViewState | undefined): void {
    const runDir = state?.runDir;
    const panel = new TrainingPanel(webviewPanel, this.extensionUri);
    if (!runDir || !fs.existsSync(runDir)) {
      // Nothing to rebuild from (the run never started, or its folder was deleted).
      panel.dispose();
      return;
    }
    this.open(panel, runDir);
  }

  private open(panel: TrainingPanel, runDir: string): void {
    // A run another window (or the CLI) is still writing: reread it at each commit.
    const watcher = watchRunCommits(runDir, () => this.refresh(runDir));
    this.panels.set(runDir, { panel, watcher });
    this.refresh(runDir);
    panel.onDidDispose(() => {
      watcher.dispose();
      if (this.panels.get(runDir)?.panel === panel) this.panels.delete(runDir);
    });
  }

  private refresh(runDir: string): void {
    const entry = this.panels.get(runDir);
    if (!entry || entry.panel.isDisposed) return;
    const stream = new SessionStream();
    for (const e of runFolderEvents(readRunFolderFiles(runDir))) stream.append(e);
    entry.panel.attach(stream, { stop: () => undefined, runDir: () => runDir, specPath: () => undefined }, titleOf(runDir));
  }

  dispose(): void {
    for (const { panel, watcher } of this.panels.values()) {
      watcher.dispose();
      panel.dispose();
    }
    this.panels.clear();
  }
}
