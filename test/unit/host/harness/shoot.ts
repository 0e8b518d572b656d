// Screenshot harness: the training panel and diagram bundles (dist/webview) in headless
// Chromium, with a fake acquireVsCodeApi that answers like the host (replays recorded
// session streams, serves diagram data computed by the real host code), in a light and a
// dark VS Code theme. Writes PNGs.
//   node out/shoot.js <recordings dir> <out dir> [scenario-prefix]
// Recordings come from record.ts (digits.json, uncertainty.json, cancelled.json, failed.json).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { SequencedEvent } from '../../../../src/core/panelProtocol';
import { runData, designData } from '../../../../src/host/diagram/diagramData';
import { weightDetail } from '../../../../src/host/diagram/weightStats';
import { readRunFolderFiles, runFolderEvents } from '../../../../src/host/training/runFolderStream';
import { DARK, LIGHT, type HarnessTheme } from './themes';

const [recDir, outDir, only] = process.argv.slice(2) as [string, string, string | undefined];
const webDir = path.resolve('dist/webview');
fs.mkdirSync(outDir, { recursive: true });

interface Recording { runDir: string; status: string; items: Array<SequencedEvent & { t: number }> }
const load = (name: string): Recording => JSON.parse(fs.readFileSync(path.join(recDir, `${name}.json`), 'utf8'));

/** What the fake host does: `replay` (events answered to ready), `stream` (the rest, one by one), diagram data. */
interface Script { entry: 'training' | 'diagram'; replay?: SequencedEvent[]; stream?: SequencedEvent[]; diagram?: unknown; details?: Record<string, unknown>; state?: unknown }

function page(theme: HarnessTheme, script: Script): string {
  const vars = Object.entries(theme.vars).map(([k, v]) => `document.documentElement.style.setProperty(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<script>
${vars}
const SCRIPT = ${JSON.stringify(script).replace(/</g, '\\u003c')};
window.__posted = [];
let state = SCRIPT.state;
const deliver = (m) => window.postMessage(m, '*');
window.acquireVsCodeApi = () => ({
  postMessage(m) {
    window.__posted.push(m);
    if (m.type === 'ready' && SCRIPT.entry === 'training') {
      setTimeout(() => {
        deliver({ type: 'replay', events: SCRIPT.replay || [] });
        (SCRIPT.stream || []).forEach((item, i) => setTimeout(() => deliver({ type: 'event', item }), 2 * i));
        setTimeout(() => { window.__streamed = true; }, 2 * (SCRIPT.stream || []).length + 50);
      });
    }
    if (m.type === 'ready' && SCRIPT.entry === 'diagram') setTimeout(() => deliver(SCRIPT.diagram));
    // A core/channel request: the reply names it by id.
    if (m.type === '$request' && m.method === 'weightDetail') {
      const detail = SCRIPT.details[m.params.name];
      setTimeout(() => deliver({ type: '$reply', id: m.id, ok: true, value: detail ? { detail } : { problem: 'This weight is not in the saved model.' } }));
    }
  },
  getState() { return state; },
  setState(s) { state = s; },
});
</script>
<link rel="stylesheet" href="/web/${script.entry}.css">
</head><body class="${theme.bodyClass}" data-vscode-theme-kind="${theme.kind}"><div id="root"></div>
<script type="module" src="/web/${script.entry}.js"></script></body></html>`;
}

const scenarios: Record<string, () => Script> = {};
const cut = (r: Recording, pred: (e: SequencedEvent) => boolean): SequencedEvent[] => {
  const i = r.items.findIndex(pred);
  return (i < 0 ? r.items : r.items.slice(0, i)).map(({ seq, event }) => ({ seq, event }));
};
scenarios['training-live'] = () => {
  const r = load('digits');
  let epochs = 0;
  // Mid-way: the shared model done, the baseline of the first task in its third epoch.
  return { entry: 'training', replay: cut(r, (e) => e.event.kind === 'trainer' && e.event.msg.type === 'epochEnd' && e.event.msg.phase.kind === 'baseline' && ++epochs === 3) };
};
scenarios['training-done'] = () => ({ entry: 'training', replay: load('digits').items.map(({ seq, event }) => ({ seq, event })) });
scenarios['training-streamed'] = () => {
  const all = load('digits').items.map(({ seq, event }) => ({ seq, event }));
  return { entry: 'training', replay: all.slice(0, 1), stream: all.slice(1) };
};
scenarios['training-uncertainty'] = () => ({ entry: 'training', replay: load('uncertainty').items.map(({ seq, event }) => ({ seq, event })) });
scenarios['training-cancelled'] = () => ({ entry: 'training', replay: load('cancelled').items.map(({ seq, event }) => ({ seq, event })) });
scenarios['training-failed'] = () => ({ entry: 'training', replay: load('failed').items.map(({ seq, event }) => ({ seq, event })) });
scenarios['training-folder'] = () => ({
  entry: 'training', replay: runFolderEvents(readRunFolderFiles(load('digits').runDir)).map((event, i) => ({ seq: i + 1, event })),
});
// A repeated run's folder (recDir/repeated.json: { "runDir": ... }, a run with evaluation.repeats): the intervals and the verdict.
if (fs.existsSync(path.join(recDir, 'repeated.json'))) {
  scenarios['training-repeated'] = () => ({
    entry: 'training', replay: runFolderEvents(readRunFolderFiles(load('repeated').runDir)).map((event, i) => ({ seq: i + 1, event })),
  });
}
scenarios['diagram-run'] = () => {
  const runDir = load('digits').runDir;
  const data = runData(runDir);
  const details = Object.fromEntries((data.tensors ?? []).map((t) => [t.name, weightDetail(t)]));
  const { tensors: _t, ...rest } = data;
  return { entry: 'diagram', diagram: { type: 'diagram', source: { kind: 'run', runDir, label: `digits-parity · ${path.basename(runDir)}` }, ...rest }, details };
};
scenarios['diagram-design'] = () => {
  const spec = path.resolve('examples/digits-parity/digits-parity.mtl.json');
  return { entry: 'diagram', diagram: { type: 'diagram', source: { kind: 'design', specPath: spec, label: 'digits-parity.mtl.json' }, ...designData(fs.readFileSync(spec, 'utf8')) }, details: {} };
};
// A trained MMoE run (recDir/mmoe.json: { "runDir": ... }, e.g. of examples/mmoe-regression): block parts and gate heatmap.
if (fs.existsSync(path.join(recDir, 'mmoe.json'))) {
  scenarios['diagram-mmoe'] = () => {
    const runDir = load('mmoe').runDir;
    const { tensors: _t, ...rest } = runData(runDir);
    return { entry: 'diagram', diagram: { type: 'diagram', source: { kind: 'run', runDir, label: `mmoe-regression · ${path.basename(runDir)}` }, ...rest }, details: {} };
  };
}
if (fs.existsSync(path.join(recDir, 'tree.mtl.json'))) {
  scenarios['diagram-tree'] = () => {
    const spec = path.join(recDir, 'tree.mtl.json');
    return { entry: 'diagram', diagram: { type: 'diagram', source: { kind: 'design', specPath: spec, label: 'tree.mtl.json' }, ...designData(fs.readFileSync(spec, 'utf8')) }, details: {} };
  };
}

const pages = new Map<string, string>();
const server = http.createServer((req, res) => {
  const url = decodeURIComponent(req.url ?? '/');
  if (pages.has(url)) { res.writeHead(200, { 'content-type': 'text/html' }); res.end(pages.get(url)); return; }
  if (url.startsWith('/web/')) {
    const file = path.join(webDir, url.slice(5));
    if (fs.existsSync(file)) {
      res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream' });
      res.end(fs.readFileSync(file));
      return;
    }
  }
  res.writeHead(404); res.end();
});

async function main(): Promise<void> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless=new'] });
  try {
    for (const [name, make] of Object.entries(scenarios)) {
      if (only && !name.startsWith(only)) continue;
      for (const theme of [LIGHT, DARK]) {
        const script = make();
        pages.set(`/${name}-${theme.name}.html`, page(theme, script));
        const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
        const p = await ctx.newPage();
        const errors: string[] = [];
        p.on('pageerror', (e) => errors.push(String(e)));
        p.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        await p.goto(`http://127.0.0.1:${port}/${name}-${theme.name}.html`);
        if (script.stream?.length) await p.waitForFunction(() => (window as unknown as { __streamed?: boolean }).__streamed === true, undefined, { timeout: 30_000 });
        await p.waitForTimeout(600);
        if (script.entry === 'diagram' && script.details && Object.keys(script.details).length) {
          // Choose the first shared layer's kernel, as a user would.
          const bar = p.locator('[data-weight="trunk1/kernel"]').first();
          if (await bar.count()) { await bar.click(); await p.waitForTimeout(400); }
        }
        const file = path.join(outDir, `${name}-${theme.name}.png`);
        await p.screenshot({ path: file, fullPage: true });
        const posted = await p.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
        console.log(`${file}${errors.length ? `  ERRORS: ${errors.join(' | ')}` : ''}  posted: ${JSON.stringify(posted).slice(0, 160)}`);
        await ctx.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
}
void main();
