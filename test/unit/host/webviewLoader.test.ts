// The webviews' page (webviewPage.ts) in headless Chromium, under its own CSP: failed loads of the bundle
// and its stylesheet (as right after a window reload) are retried until they arrive, and a
// bundle that never arrives leaves a message instead of a blank panel.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { RETRY_DELAYS_MS } from '../../../src/host/webviewLoader';
import { webviewPage } from '../../../src/host/webviewPage';

const ORIGIN = 'https://loader.test';
let browser: Browser;

before(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
});
after(async () => { await browser.close(); });

/** The page every webview gets (webviewPage.ts), with this test's origin for its files. */
const html = (): string => webviewPage({
  nonce: 'test-nonce', cspSource: ORIGIN, style: `${ORIGIN}/panel.css`, script: `${ORIGIN}/panel.js`, title: 'Panel', data: {},
});

/** Serves the page; the first `failures` requests for each of panel.js and panel.css fail as a network error. */
async function open(failures: number): Promise<{ page: Page; requests: string[] }> {
  const page = await browser.newPage();
  const requests: string[] = [];
  const seen = { js: 0, css: 0 };
  await page.route(`${ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/index.html') return route.fulfill({ contentType: 'text/html', body: html() });
    requests.push(url.pathname + url.search);
    const kind = url.pathname.endsWith('.js') ? 'js' : 'css';
    if (seen[kind]++ < failures) return route.abort('failed');
    return kind === 'js'
      ? route.fulfill({ contentType: 'text/javascript', body: "document.getElementById('root').textContent = 'bundle ran';" })
      : route.fulfill({ contentType: 'text/css', body: '#root { color: rgb(1, 2, 3); }' });
  });
  await page.goto(`${ORIGIN}/index.html`);
  return { page, requests };
}

test('a bundle and stylesheet that fail twice load on the third try, each with a new URL', async () => {
  const { page, requests } = await open(2);
  await page.waitForFunction(() => document.getElementById('root')?.textContent === 'bundle ran');
  await page.waitForFunction(() => getComputedStyle(document.getElementById('root')!).color === 'rgb(1, 2, 3)');
  assert.deepEqual(requests.filter((r) => r.includes('.js')), ['/panel.js', '/panel.js?attempt=1', '/panel.js?attempt=2']);
  assert.deepEqual(requests.filter((r) => r.includes('.css')), ['/panel.css', '/panel.css?attempt=1', '/panel.css?attempt=2']);
  await page.close();
});

test('a bundle that loads at once is requested once', async () => {
  const { page, requests } = await open(0);
  await page.waitForFunction(() => document.getElementById('root')?.textContent === 'bundle ran');
  assert.deepEqual(requests, ['/panel.css', '/panel.js']);
  await page.close();
});

test('when every try fails the panel says so instead of staying blank', { timeout: 60_000 }, async () => {
  const { page, requests } = await open(100);
  const alert = page.locator('#root[role=alert]');
  await alert.waitFor({ timeout: 45_000 });
  assert.match(await alert.textContent() ?? '', /could not load its script from the extension \(panel\.js\)\. Close the panel and open it again/);
  assert.equal(requests.filter((r) => r.includes('.js')).length, 1 + RETRY_DELAYS_MS.length);
  await page.close();
});
