// One of the product's smaller webviews (study view, training panel, shared-weight diagram) in
// headless Chromium, served as the host serves it: the same CSP and theme variables as VS Code,
// its bundle from the built folder, and a fake acquireVsCodeApi that records what it posts.
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { themeCss, type HarnessTheme } from '../../../harness/themes';
import { recordCanvasText } from './paintedContrast';

export interface WebviewPageOptions {
  /** The folder of the built bundles (run.mjs passes it) and the bundle's name (study, training, diagram). */
  bundleDir: string;
  bundle: string;
  viewport: { width: number; height: number };
  /** Open when the webview posted a message of this type (default: any message). */
  readyType?: string;
}

export class WebviewPage<FromWebview, ToWebview> {
  readonly errors: string[] = [];
  private constructor(readonly page: Page) {}

  static async open<F, T>(browser: Browser, theme: HarnessTheme, o: WebviewPageOptions): Promise<WebviewPage<F, T>> {
    const origin = `https://${o.bundle}.test`;
    const page = await browser.newPage({ viewport: o.viewport, deviceScaleFactor: 1 });
    const p = new WebviewPage<F, T>(page);
    page.on('console', (m) => { if (m.type() === 'error') p.errors.push(m.text()); });
    page.on('pageerror', (e) => p.errors.push(`pageerror: ${e.message}`));
    // A canvas's text (uPlot's axes) is measured in the colour it is drawn with (paintedContrast.ts).
    await page.addInitScript(recordCanvasText);
    await page.route(`${origin}/**`, async (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: html(origin, o.bundle, theme) });
      const root = path.resolve(o.bundleDir);
      const file = path.resolve(root, `.${decodeURIComponent(url.pathname)}`);
      if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      return route.fulfill({ contentType: file.endsWith('.js') ? 'text/javascript' : 'text/css', body: fs.readFileSync(file) });
    });
    await page.goto(`${origin}/index.html`);
    await page.waitForFunction((type) => (window as unknown as { __posted: Array<{ type: string }> }).__posted.some((m) => type === null || m.type === type), o.readyType ?? null);
    return p;
  }

  posted(): Promise<FromWebview[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: FromWebview[] }).__posted);
  }

  /**
   * Delivers a host note and resolves once the page has handled it and drawn: our listener is
   * added after the page's own, so it runs after the page's handler; React then renders in a
   * task of its own and the heatmap on an animation frame, so two frames and a task later the
   * view shows the note. Without this wait a read right after `send` raced the render and found
   * nothing on a slower machine (CI).
   */
  send(msg: ToWebview): Promise<void> {
    return this.page.evaluate((m) => new Promise<void>((resolve) => {
      const handled = (): void => {
        window.removeEventListener('message', handled);
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0)));
      };
      window.addEventListener('message', handled);
      window.postMessage(m, '*');
    }), msg as unknown as Record<string, unknown>);
  }
}

function html(origin: string, bundle: string, theme: HarnessTheme): string {
  const nonce = 'harness-nonce';
  const csp = ["default-src 'none'", `img-src ${origin} data:`, `style-src ${origin} 'unsafe-inline'`, `font-src ${origin}`, `script-src 'nonce-${nonce}'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style>${themeCss(theme)}</style>
<link rel="stylesheet" href="${origin}/${bundle}.css">
<script nonce="${nonce}">
  window.__posted = []; window.__state = null;
  window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => window.__state, setState: (s) => { window.__state = s; } });
</script></head>
<body class="${theme.bodyClass}" data-vscode-theme-kind="${theme.kind}"><div id="root"></div>
<script nonce="${nonce}" type="module" src="${origin}/${bundle}.js"></script></body></html>`;
}

/** A check of a webview: its name, the theme its page opens in, and what it does on that page. */
export type WebviewCheck<P> = [name: string, theme: HarnessTheme, run: (p: P) => Promise<void>];

/**
 * Runs the checks whose name holds `only`, each on its own page opened by `open` in the check's
 * theme; a failure is printed with a screenshot in `out`, and the tally sets the exit code.
 * `consoleErrors`: a check also fails on an error in the page's console. `after` runs on the
 * same browser once the checks are done.
 */
export async function runWebviewChecks<P extends { page: Page; errors: string[] }>(checks: WebviewCheck<P>[], open: (browser: Browser, theme: HarnessTheme) => Promise<P>,
  o: { only: string | undefined; out: string; consoleErrors: boolean; after?: (browser: Browser) => Promise<void> }): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
  const chosen = checks.filter(([name]) => !o.only || name.includes(o.only));
  let failed = 0;
  try {
    for (const [name, theme, run] of chosen) {
      let p: P | undefined;
      try {
        p = await open(browser, theme);
        await run(p);
        if (o.consoleErrors) assert.deepEqual(p.errors, [], 'no console errors');
        console.log(`ok   ${name}`);
      } catch (error) {
        failed++;
        console.log(`FAIL ${name}\n     ${(error as Error).message.split('\n').join('\n     ')}`);
        fs.mkdirSync(o.out, { recursive: true });
        await p?.page.screenshot({ path: path.join(o.out, `fail-${failed}.png`), fullPage: true });
      } finally {
        await p?.page.close();
      }
    }
    await o.after?.(browser);
  } finally {
    await browser.close();
  }
  console.log(`${chosen.length - failed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
}
