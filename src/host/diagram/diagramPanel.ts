// One shared-weight diagram panel, for a design (follows the document as it is edited) or a
// run (adds the trained weights). The webview asks for a weight's heatmap when chosen.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Channel } from '../../core/channel';
import type { DiagramFromWebview, DiagramSides, DiagramSource, DiagramToWebview } from '../../core/panelProtocol';
import { Debounce } from '../disposables';
import { hostChannel } from '../webviewChannel';
import { createPanel, WebviewPanelHost } from '../webviewPanel';
import { designData, runData, type DiagramData } from './diagramData';
import { tryGrouping } from './tryGrouping';
import { weightDetail } from './weightStats';

export const DIAGRAM_VIEW_TYPE = 'multiTaskStudio.diagram';

export function sourceKey(s: DiagramSource): string {
  return s.kind === 'run' ? `run:${s.runDir}` : `design:${s.specPath}`;
}

export class DiagramPanel extends WebviewPanelHost {
  private data: DiagramData = {};
  private readonly edits = this.disposables.add(new Debounce(300));
  private readonly channel: Channel<DiagramSides['host'], DiagramSides['webview']>;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly source: DiagramSource) {
    super(panel, extensionUri, 'diagram');
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
    if (source.kind === 'design' && source.specPath) {
      const specPath = source.specPath;
      // The design diagram follows unsaved edits.
      this.disposables.add(vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.fsPath !== specPath) return;
        this.edits.run(() => { this.data = designData(e.document.getText()); this.post(); });
      }));
    }
  }

  static create(extensionUri: vscode.Uri, source: DiagramSource): DiagramPanel {
    return new DiagramPanel(createPanel(DIAGRAM_VIEW_TYPE, `Diagram: ${source.label}`, vscode.ViewColumn.Active, extensionUri), extensionUri, source);
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
    if (!this.isDisposed) this.channel.notify(msg);
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
}
