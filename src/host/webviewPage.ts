// The HTML page of every webview: strict CSP (default-src 'none', scripts by nonce, styles
// and fonts only from the extension), no remote content. No vscode import, so a test can load
// exactly this page in Chromium; webviewHtml.ts fills in the webview's URIs.
import { loaderScript } from './webviewLoader';

export interface PageParts {
  nonce: string;
  /** The webview's cspSource: where styles, fonts and images may come from. */
  cspSource: string;
  style: string;
  script: string;
  title: string;
  /** Passed to the bundle as JSON in the `initial-data` element. */
  data: unknown;
}

export function webviewPage(p: PageParts): string {
  const csp = [
    "default-src 'none'",
    `img-src ${p.cspSource} data:`,
    `style-src ${p.cspSource} 'unsafe-inline'`,
    `font-src ${p.cspSource}`,
    `script-src 'nonce-${p.nonce}'`,
  ].join('; ');
  const json = JSON.stringify(p.data).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${p.title.replace(/[<&"]/g, '')}</title>
<script nonce="${p.nonce}">${loaderScript()}</script>
<link rel="stylesheet" href="${p.style}">
</head>
<body>
<div id="root"></div>
<script nonce="${p.nonce}" id="initial-data" type="application/json">${json}</script>
<script nonce="${p.nonce}" type="module" src="${p.script}"></script>
</body>
</html>`;
}
