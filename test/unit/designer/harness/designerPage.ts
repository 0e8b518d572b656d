// The designer bundle in headless Chromium, as VS Code would host it: the same CSP, theme
// variables on :root, a fake acquireVsCodeApi, and a host emulator that applies edits to
// the text with the real core/edits and sends every new version back. It speaks through the
// real core/channel, as the extension does. For screenshots, the interaction tests and the
// bench; the real VS Code end-to-end harness lives in test/e2e.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../repoRoot';
import type { Browser, Page } from 'playwright-core';
import { dataSettingsKey } from '../../../../src/core/dataSummary';
import { Channel, type Port } from '../../../../src/core/channel';
import { DEFAULT_PANELS, type DesignerInit, type DesignerPanels, type DesignerRequests, type DesignerSides, type FromDesigner, type ToDesigner } from '../../../../src/core/designerProtocol';
import { applyOpsToText } from '../../../../src/core/edits';
import { snapshotOf } from '../../../../src/host/designer/snapshot';
import { dataSummaryOf } from '../../../../src/trainer/dataSummaryOf';
import { themeCss, type HarnessTheme } from '../../../harness/themes';

const ORIGIN = 'https://designer.test';

export interface PageOptions {
  text: string;
  theme: HarnessTheme;
  /** Folder holding designer.js and designer.css. */
  bundleDir: string;
  trusted?: boolean;
  width?: number;
  height?: number;
  viewState?: unknown;
  /** The side panels as the workspace remembers them (the host's workspaceState); both shown by default. */
  panels?: DesignerPanels;
  fileName?: string;
  /** Folder the experiment's data paths are relative to (the data preview reads it). */
  workspaceDir?: string;
  /** Serve the component toolkit's bundle (toolkit.js) this much later, as on a busy machine. */
  toolkitDelayMs?: number;
}

/** What the page sent: its notes, and its requests as `{ type: request, ...params }`. */
export type Sent = FromDesigner | { [K in keyof DesignerRequests]: { type: K } & DesignerRequests[K]['params'] }[keyof DesignerRequests];

export class DesignerPage {
  text: string;
  version = 1;
  readonly received: Sent[] = [];
  readonly errors: string[] = [];
  /** When set, every edit is answered as not applied, with this reason (as the host does when the text changed under it). */
  refuseEdits: string | undefined;
  /** The side panels as this emulated workspace remembers them: the last `panels` note of the page. */
  panels: DesignerPanels;
  private readonly channel: Channel<DesignerSides['host'], DesignerSides['webview']>;
  private fromPage: (msg: unknown) => void = () => undefined;
  // Posts reach the page one after another, in the order they were made.
  private delivered: Promise<void> = Promise.resolve();

  private constructor(readonly page: Page, private readonly options: PageOptions) {
    this.text = options.text;
    this.panels = options.panels ?? DEFAULT_PANELS;
    const port: Port = {
      post: (msg) => {
        this.delivered = this.delivered
          .then(async () => { await this.page.evaluate((m) => window.postMessage(m, '*'), msg as Record<string, unknown>); })
          .catch((error: unknown) => { this.errors.push(`host post: ${String(error)}`); });
      },
      listen: (receive) => { this.fromPage = receive; return () => { this.fromPage = () => undefined; }; },
    };
    this.channel = new Channel<DesignerSides['host'], DesignerSides['webview']>(port, {
      note: (msg) => this.onNote(msg),
      answer: {
        edit: async ({ label, ops }) => {
          this.received.push({ type: 'edit', label, ops });
          if (this.refuseEdits) return { applied: false, message: this.refuseEdits };
          try {
            await this.setText(applyOpsToText(this.text, ops));
            return { applied: true };
          } catch (error) {
            return { applied: false, message: (error as Error).message };
          }
        },
        dataPreview: async (params) => {
          this.received.push({ type: 'dataPreview', ...params });
          // The trainer's summary, computed in this process (the extension asks a forked trainer).
          const snapshot = snapshotOf(this.text, this.version);
          if (!snapshot.ok) return { key: '', result: { ok: false, message: 'The document is not valid JSON.' } };
          const result = await dataSummaryOf(snapshot.doc, this.options.workspaceDir ?? ROOT);
          return { key: dataSettingsKey(snapshot.doc), result };
        },
      },
    }, { peer: 'the designer' });
  }

  static async open(browser: Browser, options: PageOptions): Promise<DesignerPage> {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1400, height: options.height ?? 820 }, deviceScaleFactor: 1 });
    const d = new DesignerPage(page, options);
    page.on('console', (m) => { if (m.type() === 'error') d.errors.push(m.text()); });
    page.on('pageerror', (e) => d.errors.push(`pageerror: ${e.message}`));
    await page.exposeFunction('__mtsHost', (msg: unknown) => d.fromPage(msg));
    await page.route(`${ORIGIN}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: d.html() });
      // The bundle and the chunks it imports (chunks/…), nothing outside the bundle folder.
      const root = path.resolve(options.bundleDir);
      const file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      if (options.toolkitDelayMs && url.pathname.endsWith('/toolkit.js')) await new Promise((resolve) => setTimeout(resolve, options.toolkitDelayMs));
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream';
      return route.fulfill({ contentType: type, body: fs.readFileSync(file) });
    });
    await page.goto(`${ORIGIN}/index.html`);
    return d;
  }

  private html(): string {
    const nonce = 'harness-nonce';
    const init: DesignerInit = { fileName: this.options.fileName ?? 'experiment.mtl.json', trusted: this.options.trusted ?? true, document: snapshotOf(this.text, this.version), panels: this.panels };
    const csp = ["default-src 'none'", `img-src ${ORIGIN} data:`, `style-src ${ORIGIN} 'unsafe-inline'`, `font-src ${ORIGIN}`, `script-src 'nonce-${nonce}'`].join('; ');
    const json = JSON.stringify(init).replace(/</g, '\\u003c');
    return `<!DOCTYPE html>
<html lang="en" style="color-scheme: ${this.options.theme.name === 'light' || this.options.theme.name === 'high-contrast-light' ? 'light' : 'dark'}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style>${themeCss(this.options.theme)}</style>
<link rel="stylesheet" href="${ORIGIN}/designer.css">
<script nonce="${nonce}">
  window.__state = ${JSON.stringify(this.options.viewState ?? null)};
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__mtsHost(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });
</script>
</head>
<body class="${this.options.theme.bodyClass}" data-vscode-theme-kind="${this.options.theme.kind}">
<div id="root"></div>
<script nonce="${nonce}" id="initial-data" type="application/json">${json}</script>
<script nonce="${nonce}" type="module" src="${ORIGIN}/designer.js"></script>
</body>
</html>`;
  }

  private async send(msg: ToDesigner): Promise<void> {
    this.channel.notify(msg);
    await this.delivered;
  }

  private onNote(msg: FromDesigner): void {
    this.received.push(msg);
    if (msg.type === 'ready') {
      void this.send({ type: 'document', document: snapshotOf(this.text, this.version) });
      void this.send({ type: 'trust', trusted: this.options.trusted ?? true });
      void this.send({ type: 'panels', panels: this.panels });
    }
    if (msg.type === 'panels') this.panels = msg.panels;
  }

  /** The panels changed in another designer of the workspace (the host tells every open one). */
  async setPanels(panels: DesignerPanels): Promise<void> {
    this.panels = panels;
    await this.send({ type: 'panels', panels });
  }

  /** A new version of the text, as if typed in another editor. */
  async setText(text: string): Promise<void> {
    this.text = text;
    this.version++;
    await this.send({ type: 'document', document: snapshotOf(text, this.version) });
  }

  async waitForLayout(): Promise<void> {
    await this.page.waitForSelector('.canvas[data-layout="ready"]');
    await this.page.waitForTimeout(150); // fit-view animation frame
  }

  async shot(file: string): Promise<void> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await this.page.screenshot({ path: file });
  }

  async close(): Promise<void> {
    this.channel.dispose();
    await this.page.close();
  }
}
