// Webview options and HTML for a bundle of dist/webview (the page itself: webviewPage.ts).
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { webviewPage } from './webviewPage';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

/** `entry` is a bundle name in dist/webview (designer, training, diagram); `data` is passed as JSON. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: string, title: string, data: unknown = {}): string {
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  return webviewPage({
    nonce: randomBytes(16).toString('base64'), cspSource: webview.cspSource,
    style: asset(`${entry}.css`), script: asset(`${entry}.js`), title, data,
  });
}
