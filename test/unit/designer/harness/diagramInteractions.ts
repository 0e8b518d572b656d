// The shared-weight diagram (webview/diagram) of a real run in headless Chromium, fed as the
// host feeds it (host/diagram/diagramData.ts on test/fixtures/diagram-run): the shared units
// drawn under their layers in the tasks' colours with the legend and counts, the task affinity
// with "Try this grouping"; screenshots in the three themes into test-output/diagram/.
//   node test/unit/designer/harness/run.mjs diagramInteractions [filter]
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../repoRoot';
import type { Browser } from 'playwright-core';
import { describeUnitUse, unitUse } from '../../../../src/core/explain';
import type { DiagramFromWebview, DiagramToWebview } from '../../../../src/core/panelProtocol';
import { runData } from '../../../../src/host/diagram/diagramData';
import { layerStats } from '../../../../src/host/diagram/weightStats';
import { pictures } from './a11yAudit';
import { auditWebview, lowContrastWith, themeAudits } from './webviewAudit';
import { runWebviewChecks, WebviewPage, type WebviewCheck } from './webviewPage';
import { DARK, HIGH_CONTRAST, HIGH_CONTRAST_LIGHT, LIGHT, type HarnessTheme } from '../../../harness/themes';

const bundleDir = process.argv[2]!;
const only = process.argv[3];
const RUN_DIR = path.resolve(ROOT, 'test/fixtures/diagram-run');
const OUT = path.resolve(ROOT, 'test-output/diagram');

type DiagramPage = WebviewPage<DiagramFromWebview, DiagramToWebview>;
const openDiagramPage = (browser: Browser, theme: HarnessTheme): Promise<DiagramPage> => WebviewPage.open(browser, theme, { bundleDir, bundle: 'diagram', viewport: { width: 1300, height: 1000 } });

/** What the host sends for the fixture run (its tensors stay in the host). */
function shown(): DiagramToWebview {
  const { tensors: _kept, ...data } = runData(RUN_DIR);
  return { type: 'diagram', source: { kind: 'run', runDir: RUN_DIR, label: 'three-digit-tasks · 20261130-131409-6ee6a1' }, ...data };
}

/**
 * The fixture run with trained weights (it keeps none: 400 KB of weights.bin), as the host reads
 * them (weightStats.ts): each dense layer's kernel and bias, of the experiment's shapes.
 */
function shownWithWeights(): DiagramToWebview {
  const layers = (JSON.parse(fs.readFileSync(path.join(RUN_DIR, 'experiment.json'), 'utf8')) as { model: { layers: Array<{ id: string; units: number; from: string[] }> } }).model.layers;
  const width = (id: string): number => layers.find((l) => l.id === id)?.units ?? 784;
  const tensors = layers.flatMap((l) => [[`${l.id}/kernel`, [width(l.from[0]!), l.units]], [`${l.id}/bias`, [l.units]]] as Array<[string, number[]]>)
    .map(([name, shape]) => ({ name, layer: name.split('/')[0]!, shape, values: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i) / 10) }));
  return { ...shown(), weights: { layers: layerStats(tensors), source: 'model/model.json + model/weights.bin' } } as DiagramToWebview;
}

const summary = JSON.parse(fs.readFileSync(path.join(RUN_DIR, 'summary.json'), 'utf8')) as { unitReliance: Parameters<typeof unitUse>[0][] };

const checks: WebviewCheck<DiagramPage>[] = [
  ['each shared layer\'s units are drawn under it, one cell per unit, coloured by the tasks that use it; the counts agree', DARK, async (p) => {
    await p.send(shown());
    for (const r of summary.unitReliance) {
      const cells = p.page.locator(`g.units[data-layer="${r.layer}"] rect.unit`);
      const users = await cells.evaluateAll((els) => els.map((e) => e.getAttribute('data-users')));
      assert.equal(users.length, Object.values(r.tasks)[0]!.length, `${r.layer}: one cell per unit`);
      const counted: Record<string, number> = {};
      for (const u of users) counted[u!] = (counted[u!] ?? 0) + 1;
      assert.deepEqual(counted, unitUse(r), `${r.layer}: cells by users`);
      assert.equal(await p.page.locator(`.unit-counts li[data-layer="${r.layer}"]`).innerText(), describeUnitUse(r));
    }
    // A unit of one task is that task's colour; of several, their stripes; of none, an outline.
    const fills = await p.page.locator('g.units[data-layer="trunk1"] rect.unit').evaluateAll((els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-users'), (e as SVGElement).style.fill])));
    assert.equal(fills.digit, 'var(--vscode-charts-blue)');
    assert.match(fills['digit+parity+big'] ?? '', /^url\("?#units-digit_43parity_43big"?\)$/);
    assert.equal(await p.page.locator('pattern#units-digit_43parity_43big rect').count(), 3);
    assert.match(await p.page.locator('.unit-use .hint').innerText(), /at least 10 % of the largest for that task in the layer/);
  }],
  ['the affinity matrix and the proposed grouping; "Try this grouping" asks the host and shows its answer', DARK, async (p) => {
    await p.send(shown());
    assert.equal(await p.page.locator('.affinity-matrix tbody tr').count(), 3);
    const best = p.page.locator('.groupings li.best');
    assert.equal(await best.locator('.grouping').innerText(), '{digit, parity} {big}');
    await best.locator('vscode-button', { hasText: 'Try this grouping' }).click();
    assert.deepEqual((await p.posted()).filter((m) => m.type === 'tryGrouping'), [{ type: 'tryGrouping', groups: [['digit', 'parity'], ['big']] }]);
    await p.send({ type: 'groupingWritten', file: 'three.groups-digit-parity_big.mtl.json' });
    await p.page.locator('.affinity [role="status"]', { hasText: 'Wrote three.groups-digit-parity_big.mtl.json' }).waitFor();
    await p.send({ type: 'groupingWritten', problem: '"moe" is a mmoe layer serving tasks of several groups' });
    await p.page.locator('.affinity [role="alert"]', { hasText: 'mmoe layer' }).waitFor();
  }],
  ['a screen reader gets the diagram in words (its description): each block, its layers and parameters, what it feeds', DARK, async (p) => {
    await p.send(shown());
    await p.page.locator('svg.blocks').waitFor();
    const diagram = (await pictures(p.page)).find((c) => c.name.startsWith('Shared-weight diagram of'));
    // The fixture's blocks as the diagram draws them (titles, layer lines, footers).
    assert.equal(diagram?.description, [
      'input image: [784]; feeds shared by all tasks.',
      'shared by all tasks: trunk1 · dense → [128], 100,480 params; trunk2 · dense → [64], 8,256 params (108,736 params · 99.3%); feeds only digit, only parity, only big.',
      'only digit: digitHead · dense → [10], 650 params (650 params · 0.6%).',
      'only parity: parityHead · dense → [1], 65 params (65 params · 0.1%).',
      'only big: bigHead · dense → [1], 65 params (65 params · 0.1%).',
    ].join(' '));
    // The same sentences as a list to move through, not drawn.
    assert.equal(await p.page.locator('ul.sr-only li').count(), 5);
    assert.deepEqual(await p.page.locator('ul.sr-only').boundingBox().then((b) => [b?.width, b?.height]), [1, 1]);
  }],
  ['a design (no run) draws no units and no affinity', DARK, async (p) => {
    const { reliance: _r, affinity: _a, ...design } = shown() as Extract<DiagramToWebview, { type: 'diagram' }>;
    await p.send({ ...design, source: { kind: 'design', specPath: '/ws/three.mtl.json', label: 'three.mtl.json' } });
    await p.page.locator('svg.blocks').waitFor();
    assert.equal(await p.page.locator('g.units').count(), 0);
    assert.equal(await p.page.locator('.affinity, .unit-use').count(), 0);
  }],
];

/** In each kind of theme: the affinity matrix's numbers on their shaded cells (2.5:1 in Dark Modern at 60 % shade), names, focus rings. */
const themeChecks = themeAudits<DiagramPage>('every text at least 4.5:1 on what is drawn behind it (the affinity matrix\'s shades, the blocks\' tints, a selected layer\'s highlight), every control named, every Tab stop with a focus ring, no trap', async (p) => {
  await p.send(shownWithWeights());
  await p.page.locator('.affinity-matrix td').first().waitFor();
  // trunk2 chosen in the weights: its line in the diagram on the selection's highlight.
  await p.page.locator('.bar-row', { hasText: 'trunk2' }).click();
  await p.page.locator('svg.blocks .line.selected .highlight').waitFor();
  await auditWebview(p.page, { tabStop: 'Try this grouping' });
});

/** The audit measures a block's text on the block's tint, not on the page: a dark tint in the light theme is reported. */
const tintCheck: WebviewCheck<DiagramPage> = ['Light Modern: a block\'s text on a dark tint is reported (SVG text is measured on the shape drawn behind it, not on the page)', LIGHT, async (p) => {
  await p.send(shown());
  await p.page.locator('svg.blocks').waitFor();
  const low = await lowContrastWith(p.page, 'svg.blocks .block > rect:first-child { fill: #555555 !important; }');
  // Light Modern's #3b3b3b (luminance 0.0437) on #555555 (0.0909): (0.0909 + 0.05) / (0.0437 + 0.05) = 1.50:1; on the page's #ffffff, 11:1.
  assert.ok(low.some((l) => l === '1.50 title "shared by all tasks" on <rect>'), low.join('\n'));
  assert.ok(low.every((l) => l.endsWith(' on <rect>')), low.join('\n'));
}];

async function screenshots(browser: Browser): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  for (const [look, theme] of [['light', LIGHT], ['dark', DARK], ['hc', HIGH_CONTRAST], ['hc-light', HIGH_CONTRAST_LIGHT]] as const) {
    if (only && !`screenshot-${look}`.includes(only)) continue;
    const p = await openDiagramPage(browser, theme);
    await p.send(shown());
    await p.page.locator('g.units').first().waitFor();
    await p.page.waitForTimeout(300); // the toolkit's buttons upgrade
    await p.page.screenshot({ path: path.join(OUT, `reliance-${look}.png`), fullPage: true });
    await p.page.locator('svg.blocks').screenshot({ path: path.join(OUT, `reliance-${look}-blocks.png`) });
    console.log(`wrote test-output/diagram/reliance-${look}.png`);
    if (p.errors.length) console.log(`console errors: ${p.errors.join('\n')}`);
    await p.page.close();
  }
}

void runWebviewChecks([...checks, ...themeChecks, tintCheck], openDiagramPage, { only, out: OUT, consoleErrors: true, after: screenshots });
