// One study view, for one study folder: study.json as the folder holds it (followed through a
// file watcher, so a study run by `mts study` or another window shows live too), or the live
// result of a study this window runs. A hidden view loses posts: on `ready` it gets the latest.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Channel } from '../../core/channel';
import type { StudyFromWebview, StudySides, StudyToWebview } from '../../core/study/studyPanelProtocol';
import { studyProgressText } from '../../core/study/studyProgress';
import { STUDY_FILES, type StudyResult } from '../../core/study/studyTypes';
import { Debounce, SerialDisposable } from '../disposables';
import { revealFolder } from '../revealFolder';
import { hostChannel } from '../webviewChannel';
import { createPanel, WebviewPanelHost } from '../webviewPanel';
import { readStudyResult, studyExperimentPath } from './studyFolder';
import type { StudyRun } from './studyRun';
import { useVariant } from './useVariant';

export const STUDY_VIEW_TYPE = 'multiTaskStudio.study';

export class StudyPanel extends WebviewPanelHost {
  private result: StudyResult | undefined;
  private problem: string | undefined;
  private run: StudyRun | undefined;
  private readonly runSubscription = this.disposables.add(new SerialDisposable());
  private readonly reloads = this.disposables.add(new Debounce(200));
  private readonly channel: Channel<StudySides['host'], StudySides['webview']>;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly studyDir: string) {
    super(panel, extensionUri, 'study');
    this.channel = hostChannel<StudySides>(panel.webview, { note: (m) => void this.onMessage(m), answer: {} });
    this.disposables.add(this.channel);
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(studyDir), STUDY_FILES.result));
    const reload = () => this.reloads.run(() => this.load());
    this.disposables.add(watcher);
    this.disposables.add(watcher.onDidCreate(reload));
    this.disposables.add(watcher.onDidChange(reload));
  }

  static create(extensionUri: vscode.Uri, studyDir: string): StudyPanel {
    return new StudyPanel(createPanel(STUDY_VIEW_TYPE, `Study: ${path.basename(studyDir)}`, vscode.ViewColumn.Active, extensionUri), extensionUri, studyDir);
  }

  /** Follows a study this window runs: each of its progress reports, and its end. */
  follow(run: StudyRun): void {
    this.run = run;
    this.runSubscription.value = run.onChange(() => {
      if (run.result) this.result = run.result;
      this.problem = run.endStatus === 'failed' ? `The study failed: ${run.endMessage ?? 'see the "Multi-Task Studio" output'}.` : undefined;
      this.post();
    });
  }

  load(): void {
    // A live study's own reports are newer than the file it is about to rewrite.
    if (this.run?.running && this.result) return this.post();
    const read = readStudyResult(this.studyDir);
    if ('result' in read) {
      this.result = read.result;
      this.problem = undefined;
    } else if (!this.result) {
      this.problem = read.problem;
    }
    this.post();
  }

  private post(): void {
    if (this.isDisposed) return;
    if (this.result) this.panel.title = `Study: ${this.result.name}`;
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const running = this.run?.running && this.result ? studyProgressText(this.result) : undefined;
    const msg: StudyToWebview = {
      type: 'study', studyDir: this.studyDir,
      ...(this.result ? { result: this.result } : {}),
      ...(this.problem ? { problem: this.problem } : {}),
      ...(running ? { running: this.run?.stopping ? `stopping after this step (${running})` : running } : {}),
      canUse: !!this.result && studyExperimentPath(this.result, roots, this.studyDir) !== undefined,
    };
    this.channel.notify(msg);
  }

  private async onMessage(m: StudyFromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.post();
        break;
      case 'useVariant': {
        if (!this.result) return;
        let problem: string | undefined;
        try {
          problem = await useVariant(this.result, m.variant, this.studyDir);
        } catch (err) {
          problem = err instanceof Error ? err.message : String(err);
        }
        if (!this.isDisposed) this.channel.notify({ type: 'used', variant: m.variant, ...(problem ? { problem } : {}) });
        if (problem) void vscode.window.showErrorMessage(`The variant was not written: ${problem}`);
        break;
      }
      case 'openReport': {
        const report = vscode.Uri.file(path.join(this.studyDir, STUDY_FILES.report));
        try {
          await vscode.workspace.fs.stat(report);
          await vscode.commands.executeCommand('markdown.showPreview', report);
        } catch {
          void vscode.window.showInformationMessage(`${STUDY_FILES.report} is not written yet: the study writes it after each run.`);
        }
        break;
      }
      case 'revealFolder':
        await revealFolder(this.studyDir);
        break;
      case 'stop':
        this.run?.stop();
        break;
    }
  }
}
