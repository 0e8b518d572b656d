// Bench of the designer's layout and drawing (run by bench/designer-layout.mjs): in Node, the
// model, the automatic (column) layout and elk ("Auto-layout") on graphs of 100 and 300
// layers; then the real bundle in headless Chromium: first draw of a 100-layer graph (every
// node and edge in its final place), and redraws after edits. Prints figures; the goal is
// under 300 ms for the 100-layer graph.
import os from 'node:os';
import ELK from 'elkjs/lib/elk.bundled.js';
import { chromium } from 'playwright-core';
import { DesignerPage } from '../test/unit/designer/harness/designerPage';
import { DARK } from '../test/harness/themes';
import { largeModel } from '../test/unit/designer/fixtures';
import { columnLayout } from '../webview/designer/columnLayout';
import { autoLayout } from '../webview/designer/elkLayout';
import { groupNodes, layoutInput } from '../webview/designer/layout';
import type { ExperimentSpec } from '../src/core/spec';
import { validate } from '../src/core/validate';
import { buildModel } from '../webview/designer/model';

const bundleDir = process.argv[2]!;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number): string => `${x.toFixed(1)} ms`;

async function nodeSide(layers: number): Promise<void> {
  const elk = new ELK();
  const spec = largeModel(layers);
  const modelTimes: number[] = [];
  const columnTimes: number[] = [];
  const elkTimes: number[] = [];
  for (let i = 0; i < 11; i++) {
    const t0 = performance.now();
    const model = buildModel(spec, validate(spec).problems);
    const t1 = performance.now();
    columnLayout(model, groupNodes(model));
    const t2 = performance.now();
    await autoLayout(elk, layoutInput(model));
    const t3 = performance.now();
    modelTimes.push(t1 - t0);
    columnTimes.push(t2 - t1);
    elkTimes.push(t3 - t2);
  }
  const figure = (xs: number[]): string => `first ${ms(xs[0]!)}, median ${ms(median(xs.slice(1)))}`;
  console.log(`node  ${layers} layers: model (validate, shapes, params) ${figure(modelTimes)}; `
    + `column layout (automatic) ${figure(columnTimes)}; elk layout (Auto-layout button) ${figure(elkTimes)}`);
}

/**
 * Installed before the page's scripts; everything is measured inside the page. `__drawnAt`:
 * when the first frame showing what is awaited (`__want`: that many nodes, all visible, and
 * edges, each with its path; or a node's text) has been painted: a message posted from that
 * frame's animation callback runs once the frame (its resize observers, the React work they
 * cause, style, layout, paint) is done. Commits of React's root are timed through the hook
 * React DevTools use. Each time something is drawn the page logs `mts:drawn`.
 */
const WATCH = `
  window.__want = { nodes: 0, edges: 0, text: '' };
  window.__msgAt = 0;
  window.__drawnAt = 0;
  window.__commits = [];
  customElements.whenDefined('vscode-text-field').then(() => { window.__toolkitAt = performance.now(); });
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = { supportsFiber: true, renderers: new Map(), inject: () => 1, onScheduleFiberRoot() {}, onPostCommitFiberRoot() {}, onCommitFiberUnmount() {},
    onCommitFiberRoot() { window.__commits.push({ at: performance.now(), nodes: document.getElementsByClassName('react-flow__node').length }); } };
  window.addEventListener('message', (e) => { if (e.data && e.data.type) window.__msgAt = performance.now(); }, true);
  const check = () => {
    if (window.__drawnAt) return;
    const canvas = document.querySelector('.canvas');
    if (!canvas || canvas.getAttribute('data-layout') !== 'ready') return;
    const w = window.__want;
    // The card's accessible description names its settings, at any zoom (zoomed out, the text is not drawn).
    const ok = w.text ? (document.querySelector('.react-flow__node[data-id="' + w.id + '"] [aria-label]')?.getAttribute('aria-label') ?? '').includes(w.text)
      : document.querySelectorAll('.react-flow__node:not([style*="visibility: hidden"])').length === w.nodes
        && [...document.querySelectorAll('.react-flow__edge path.react-flow__edge-path')].filter((p) => p.getAttribute('d')).length === w.edges;
    if (!ok) return;
    window.__drawnAt = -1;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { window.__drawnAt = performance.now(); console.debug('mts:drawn'); };
      channel.port2.postMessage(0);
    });
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['data-layout', 'aria-label', 'd', 'style'] });
`;

type Want = { nodes: number; edges: number } | { id: string; text: string };
interface Load { bundle: number; shell: number; mounted: number; drawn: number; toolkit: number }

/** The same graph under other ids, so nothing drawn before can be reused. */
function renamed(spec: ExperimentSpec, prefix: string): ExperimentSpec {
  const id = (x: string): string => prefix + x;
  return {
    ...spec,
    model: {
      inputs: spec.model.inputs.map((i) => ({ ...i, id: id(i.id) })),
      layers: spec.model.layers.map((l) => ({ ...l, id: id(l.id), from: l.from.map(id) })),
      outputs: Object.fromEntries(Object.entries(spec.model.outputs).map(([t, o]) => [t, id(o)])),
    },
  };
}

async function browserSide(layers: number, loads: number): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
  try {
    const spec = largeModel(layers);
    const nodes = 1 + layers + spec.tasks.length; // input, layers, task nodes
    const edges = layers + spec.tasks.length; // every layer's input, every head to its task
    const runs: Load[] = [];
    for (let i = 0; i < loads; i++) {
      const ctx = await browser.newContext();
      await ctx.addInitScript(`${WATCH}; window.__want = { nodes: ${nodes}, edges: ${edges}, text: '' };`);
      // Waiting on a console message, not by polling the page: polling would run scripts in it while it loads.
      const drawn = ctx.waitForEvent('console', { predicate: (m) => m.text() === 'mts:drawn', timeout: 30_000 });
      const page = await DesignerPage.open(ctx as unknown as Parameters<typeof DesignerPage.open>[0], {
        bundleDir, text: JSON.stringify(spec, null, 2), theme: DARK, width: 1600, height: 900,
      });
      await drawn;
      runs.push(await page.page.evaluate(async (n) => {
        const script = performance.getEntriesByType('resource').find((r) => r.name.endsWith('designer.js')) as PerformanceResourceTiming | undefined;
        const commits = (window as unknown as { __commits: Array<{ at: number; nodes: number }> }).__commits;
        // The inspector's forms need the toolkit's text fields: when they can be drawn.
        await customElements.whenDefined('vscode-text-field');
        return {
          bundle: script?.responseEnd ?? 0, shell: commits[0]?.at ?? 0, mounted: commits.find((c) => c.nodes === n)?.at ?? 0,
          drawn: (window as unknown as { __drawnAt: number }).__drawnAt, toolkit: (window as unknown as { __toolkitAt: number }).__toolkitAt,
        };
      }, nodes));

      if (i === loads - 1) {
        // Redraws after the document changed (measured from the message's arrival in the page).
        const redraw = async (text: string, want: Want): Promise<number> => {
          await page.page.evaluate((w) => {
            const win = window as unknown as { __want: Want; __drawnAt: number };
            win.__want = { text: '', ...w } as Want;
            win.__drawnAt = 0;
          }, want);
          const done = page.page.waitForEvent('console', { predicate: (m) => m.text() === 'mts:drawn', timeout: 30_000 });
          await page.setText(text);
          await done;
          return page.page.evaluate(() => { const w = window as unknown as { __drawnAt: number; __msgAt: number }; return w.__drawnAt - w.__msgAt; });
        };
        const changed = JSON.parse(JSON.stringify(spec)) as typeof spec;
        const times: Record<string, number[]> = { setting: [], added: [] };
        for (let k = 0; k < 5; k++) {
          (changed.model.layers[3] as { units: number }).units = 65 + k;
          times.setting!.push(await redraw(JSON.stringify(changed, null, 2), { id: 't3', text: `${65 + k} units` }));
          changed.model.layers.push({ id: `extra${k}`, type: 'dense', units: 8, from: ['t10'] });
          times.added!.push(await redraw(JSON.stringify(changed, null, 2), { nodes: nodes + k + 1, edges: edges + k + 1 }));
        }
        // A whole other graph in the open designer (the text replaced, a git checkout): every
        // node and edge is new, so this is laying out and drawing 100 layers, without the
        // page's start (compiling the bundle, the app around the canvas).
        const fresh: number[] = [];
        for (let k = 0; k < 5; k++) {
          await redraw(JSON.stringify(largeModel(4), null, 2), { nodes: 1 + 4 + 4, edges: 4 + 4 });
          fresh.push(await redraw(JSON.stringify(renamed(spec, `g${k}_`), null, 2), { nodes, edges }));
        }
        const list = (xs: number[]): string => xs.map((t) => t.toFixed(0)).join(', ');
        console.log(`chromium ${layers} layers: redraw after a setting changed: median ${ms(median(times.setting!))} (${list(times.setting!)}); `
          + `after a layer was added (new layout): median ${ms(median(times.added!))} (${list(times.added!)})`);
        console.log(`chromium ${layers} layers: a new ${layers}-layer graph in the open designer laid out and drawn (all nodes new): median ${ms(median(fresh))} (${list(fresh)}) (goal: under 300 ms)`);
        if (page.errors.length) console.log(`page errors: ${page.errors.join('; ')}`);
      }
      await ctx.close();
    }
    console.log(`chromium ${layers} layers, first draw, ${loads} loads (ms after the bundle arrived; the bundle arrives ~100 ms after navigation):`);
    for (const [i, r] of runs.entries()) {
      console.log(`  load ${i + 1}: bundle at ${r.bundle.toFixed(0)}; first React commit (bundle evaluated, app rendered) +${(r.shell - r.bundle).toFixed(0)}; `
        + `graph mounted +${(r.mounted - r.bundle).toFixed(0)}; graph drawn (frame painted) +${(r.drawn - r.bundle).toFixed(0)}; toolkit (inspector's fields) defined +${(r.toolkit - r.bundle).toFixed(0)}`);
    }
    const after = (f: (r: Load) => number): string => ms(median(runs.map((r) => f(r) - r.bundle)));
    console.log(`chromium ${layers} layers, medians after the bundle arrived: first React commit ${after((r) => r.shell)}, graph mounted ${after((r) => r.mounted)}, `
      + `graph drawn with its final layout (every node and edge painted in place) ${after((r) => r.drawn)}; toolkit defined ${after((r) => r.toolkit)} (the designer's cold start: bundle, app and graph)`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  // Timings scale with how busy the machine is: say so next to the figures.
  console.log(`machine: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await nodeSide(100);
  await nodeSide(300);
  await browserSide(100, Number(process.env.LOADS ?? 7));
  console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
}

main().catch((error: unknown) => { console.error(error); process.exitCode = 1; });
