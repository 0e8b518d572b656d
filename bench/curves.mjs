#!/usr/bin/env node
// How the training panel's curves behave at 10,000 points per series: the page bundles the
// panel's own chart code (bench/curves.page.ts), builds every chart of a two-task run with
// baselines, then times appends (RunView → joinSeries → uPlot.setData, all charts, as one
// animation frame) at 1k, 5k and 10k points per series, in headless Chromium. Prints figures.
//   node bench/curves.mjs
import * as esbuild from 'esbuild';
import http from 'node:http';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-bench-curves-'));
await esbuild.build({
  entryPoints: { page: 'bench/curves.page.ts' }, bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
  outdir: out, loader: { '.css': 'css' }, logLevel: 'warning',
});
const html = `<!DOCTYPE html><html><head><link rel="stylesheet" href="/page.css"></head>
<body style="width:1100px"><div id="root"></div><script type="module" src="/page.js"></script></body></html>`;
const server = http.createServer((req, res) => {
  if (req.url === '/') { res.writeHead(200, { 'content-type': 'text/html' }); res.end(html); return; }
  const file = path.join(out, path.basename(req.url ?? ''));
  if (!fs.existsSync(file)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' });
  res.end(fs.readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('pageerror', (e) => console.error(e));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.benchResult !== undefined);
  const result = await page.evaluate(() => window.benchResult);
  const f = (x) => x.toFixed(2).padStart(8);
  console.log(`Chromium ${browser.version()}, ${os.cpus()[0]?.model ?? 'cpu'}`);
  console.log('points/series  charts  build all (ms)  join/chart (ms)  setData+draw/chart (ms)  one append, all charts (ms)');
  for (const r of result.rows) {
    console.log(`${String(r.points).padStart(13)}  ${String(r.charts).padStart(6)}  ${f(r.buildMs).padStart(14)}  ${f(r.joinMs).padStart(15)}  ${f(r.setDataMs).padStart(23)}  ${f(r.perAppendAllChartsMs).padStart(27)}`);
  }
  console.log(`replay of ${result.replayPoints.toLocaleString('en-US')} points (10,000 progress messages) into a fresh view: ${result.replayMs.toFixed(1)} ms`);
  console.log('Appends arrive a few times per second; the panel redraws at most once per animation frame and only charts whose series changed.');
} finally {
  await browser.close();
  server.close();
  fs.rmSync(out, { recursive: true, force: true });
}
