// One webview panel of ours (the shared-weight diagram, a study, a training): its page (the
// bundle, the icon, the options) and its life. Whatever a panel holds goes into `disposables`,
// the panel itself first, so closing the panel or disposing it lets go of everything once,
// newest first, in one place instead of a hand-written dispose() per panel.
import * as vscode from 'vscode';
import { DisposableStore } from './disposables';
import { webviewHtml, webviewOptions } from './webviewHtml';

export abstract class WebviewPanelHost {
  protected readonly disposables = new DisposableStore();

  /** `entry` is the page's bundle in dist/webview (diagram, study, training). */
  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, entry: string) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'activity.svg');
    panel.webview.html = webviewHtml(panel.webview, extensionUri, entry, panel.title);
    this.disposables.add(panel);
    this.disposables.add(panel.onDidDispose(() => this.dispose()));
  }

  get isDisposed(): boolean {
    return this.disposables.isDisposed;
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

/**
 * A new panel for a WebviewPanelHost. Its page is not kept while hidden (memory): each page
 * says `ready` when it loads again and its host sends what it shows.
 */
export function createPanel(viewType: string, title: string, show: vscode.ViewColumn | { viewColumn: vscode.ViewColumn; preserveFocus?: boolean },
  extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(viewType, title, show, { ...webviewOptions(extensionUri), retainContextWhenHidden: false });
}
