// HTML shell of every webview: strict CSP (default-src 'none', scripts by nonce, styles and
// fonts only from the extension's dist/webview), no remote content. webviewLoader's script retries the
// bundle or stylesheet when it fails to load.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { loaderScript } from './webviewLoader';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

/** `entry` is a bundle name in dist/webview (designer, training, diagram); `data` is passed as JSON. */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, entry: string, title: string, data: unknown = {}): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', file)).toString();
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${title.replace(/[<&"]/g, '')}</title>
<script nonce="${nonce}">${loaderScript()}</script>
<link rel="stylesheet" href="${asset(`${entry}.css`)}">
</head>
<body>
<div id="root"></div>
<script nonce="${nonce}" id="initial-data" type="application/json">${json}</script>
<script nonce="${nonce}" type="module" src="${asset(`${entry}.js`)}"></script>
</body>
</html>`;
}
