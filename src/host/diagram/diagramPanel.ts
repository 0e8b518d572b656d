// One shared-weight diagram panel, for a design (follows the document as it is edited) or a
// run (adds the trained weights). The webview asks for a weight's heatmap when chosen.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Channel } from '../../core/channel';
import type { DiagramFromWebview, DiagramSides, DiagramSource, DiagramToWebview } from '../../core/panelProtocol';
import { DisposableStore } from '../disposables';
import { hostChannel } from '../webviewChannel';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { designData, runData, type DiagramData } from './diagramData';
import { tryGrouping } from './tryGrouping';
import { weightDetail } from './weightStats';

export const DIAGRAM_VIEW_TYPE = 'multiTaskStudio.diagram';

export function sourceKey(s: DiagramSource): string {
  return s.kind === 'run' ? `run:${s.runDir}` : `design:${s.specPath}`;
}

export class DiagramPanel {
  private data: DiagramData = {};
  private readonly disposables = new DisposableStore();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly channel: Channel<DiagramSides['host'], DiagramSides['webview']>;
  disposed = false;

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: DiagramSource) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'diagram', panel.title);
    this.channel = hostChannel<DiagramSides>(panel.webview, {
      note: (m) => void this.onMessage(m),
      answer: {
        weightDetail: ({ name }) => {
          const tensor = this.data.tensors?.find((t) => t.name === name);
          return tensor ? { detail: weightDetail(tensor) } : { problem: 'This weight is not in the saved model.' };
        },
      },
    });
    this.disposables.add(this.channel);
    this.disposables.add(panel.onDidDispose(() => this.dispose()));
    if (source.kind === 'design' && source.specPath) {
      const specPath = source.specPath;
      // The design diagram follows unsaved edits.
      this.disposables.add(vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.fsPath !== specPath) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => { this.data = designData(e.document.getText()); this.post(); }, 300);
      }));
    }
  }

  static create(extensionUri: vscode.Uri, source: DiagramSource): DiagramPanel {
    const panel = vscode.window.createWebviewPanel(DIAGRAM_VIEW_TYPE, `Diagram: ${source.label}`, vscode.ViewColumn.Active,
      { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
    return new DiagramPanel(panel, extensionUri, source);
  }

  async load(): Promise<void> {
    if (this.source.kind === 'run' && this.source.runDir) {
      this.data = runData(this.source.runDir);
    } else if (this.source.specPath) {
      try {
        const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(this.source.specPath));
        this.data = designData(doc.getText());
      } catch (err) {
        this.data = { problem: `Cannot read ${path.basename(this.source.specPath)}: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    this.post();
  }

  private post(): void {
    const { tensors: _kept, ...rest } = this.data;
    this.send({ type: 'diagram', source: this.source, ...rest });
  }

  private send(msg: DiagramToWebview): void {
    if (!this.disposed) this.channel.notify(msg);
  }

  private async onMessage(m: DiagramFromWebview): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.post();
        break;
      case 'openReport':
        if (this.source.runDir) await vscode.commands.executeCommand('multiTaskStudio.openReport', vscode.Uri.file(this.source.runDir));
        break;
      case 'revealRun':
        if (this.source.runDir) await vscode.commands.executeCommand('multiTaskStudio.revealRun', vscode.Uri.file(this.source.runDir));
        break;
      case 'tryGrouping':
        if (this.source.runDir) {
          const { file, problem } = await tryGrouping(this.source.runDir, m.groups);
          if (problem) void vscode.window.showErrorMessage(`Try this grouping: ${problem}`);
          this.send({ type: 'groupingWritten', ...(file ? { file: path.basename(file) } : {}), ...(problem ? { problem } : {}) });
        }
        break;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    this.disposables.dispose();
    this.panel.dispose();
  }
}
