// The training panel on the host side: a WebviewPanel fed from a session stream. The
// webview says `ready` each time it loads (first show, shown again after being hidden,
// window reload) and gets the whole stream; after that each new event. What a hidden
// webview drops is therefore never lost.
import * as vscode from 'vscode';
import type { Channel } from '../../core/channel';
import type { TrainingFromWebview, TrainingSides, TrainingToWebview } from '../../core/panelProtocol';
import { hostChannel } from '../webviewChannel';
import { createPanel, WebviewPanelHost } from '../webviewPanel';
import type { SessionStream } from './sessionStream';

export const TRAINING_VIEW_TYPE = 'multiTaskStudio.training';

export interface PanelActions {
  stop(): void;
  /** The run folder, once the trainer has created it. */
  runDir(): string | undefined;
  specPath(): string | undefined;
}

export class TrainingPanel extends WebviewPanelHost {
  private unsubscribe: (() => void) | undefined;
  private stream: SessionStream | undefined;
  private actions: PanelActions | undefined;
  private readonly channel: Channel<TrainingSides['host'], TrainingSides['webview']>;
  readonly onDidDispose: vscode.Event<void>;

  constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    super(panel, extensionUri, 'training');
    this.onDidDispose = panel.onDidDispose;
    this.channel = hostChannel<TrainingSides>(panel.webview, { note: (m) => this.onMessage(m), answer: {} });
    this.disposables.add(this.channel);
    this.disposables.add({ dispose: () => this.unsubscribe?.() });
  }

  static create(extensionUri: vscode.Uri, title: string, column = vscode.ViewColumn.Beside): TrainingPanel {
    return new TrainingPanel(createPanel(TRAINING_VIEW_TYPE, title, { viewColumn: column, preserveFocus: true }, extensionUri), extensionUri);
  }

  /** Shows another stream in this panel (a new training of the same experiment, a refreshed folder). */
  attach(stream: SessionStream, actions: PanelActions, title: string): void {
    this.unsubscribe?.();
    this.stream = stream;
    this.actions = actions;
    this.panel.title = title;
    this.post({ type: 'replay', events: stream.snapshot() });
    this.unsubscribe = stream.subscribe((item) => this.post({ type: 'event', item }));
  }

  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  private post(msg: TrainingToWebview): void {
    // A hidden webview drops it; its next `ready` replays everything.
    if (!this.isDisposed) this.channel.notify(msg);
  }

  private onMessage(m: TrainingFromWebview): void {
    const runDir = this.actions?.runDir();
    const runUri = runDir ? vscode.Uri.file(runDir) : undefined;
    switch (m.type) {
      case 'ready':
        if (this.stream) this.post({ type: 'replay', events: this.stream.snapshot() });
        break;
      case 'stop':
        this.actions?.stop();
        break;
      case 'openReport':
        if (runUri) void vscode.commands.executeCommand('multiTaskStudio.openReport', runUri);
        break;
      case 'revealRun':
        if (runUri) void vscode.commands.executeCommand('multiTaskStudio.revealRun', runUri);
        break;
      case 'showDiagram':
        if (runUri) void vscode.commands.executeCommand('multiTaskStudio.showDiagram', runUri);
        break;
      case 'openExperiment': {
        const spec = this.actions?.specPath();
        if (spec) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(spec));
        break;
      }
    }
  }
}
