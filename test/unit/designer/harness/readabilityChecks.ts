// Interaction checks of what a new user reads in the designer's first minutes (run by
// interactions.ts): each compares what is painted, not which element draws it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../repoRoot';
import { digitsParityText } from '../fixtures';
import type { Page } from 'playwright-core';
import type { DesignerPage, PageOptions } from './designerPage';
import { AUDITED_THEMES } from '../../../harness/themes';
import { lowContrastPaintedTexts } from './paintedContrast';

export type Check = [string, (d: DesignerPage) => Promise<void>, Partial<PageOptions>?];

const EXAMPLES = fs.readdirSync(path.resolve(ROOT, 'examples')).filter((name) => fs.existsSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`))).sort();
const SIZES = [[1400, 900], [1000, 700]] as const;

/**
 * The group labels in sight whose pixels change when the edges are hidden: an edge drawn
 * across the letters (in a top-to-bottom graph an edge enters a branch at its top centre,
 * through a label longer than half the box).
 */
async function labelsCrossedByEdges(page: Page): Promise<string[]> {
  const canvas = (await page.locator('.canvas').boundingBox())!;
  const labels = await page.locator('.group-label').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { text: e.textContent ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
  }));
  const inSight = labels.filter((l) => l.width > 0 && l.x >= canvas.x && l.y >= canvas.y && l.x + l.width <= canvas.x + canvas.width && l.y + l.height <= canvas.y + canvas.height);
  assert.ok(inSight.length > 0, 'group labels in sight');
  // Two pixels inside the label's edges (its text is 4 px in): at a fractional zoom the clip's outer pixels are partly the canvas around it.
  const shots = async (): Promise<Buffer[]> => Promise.all(inSight.map(async (l) => page.screenshot({ clip: { x: l.x + 2, y: l.y + 2, width: l.width - 4, height: l.height - 4 } })));
  const withEdges = await shots();
  const hide = await page.addStyleTag({ content: '.react-flow__edges { visibility: hidden !important; }' });
  const withoutEdges = await shots();
  await hide.evaluate((e) => (e as Element).remove());
  return inSight.filter((_, i) => !withEdges[i]!.equals(withoutEdges[i]!)).map((l) => l.text);
}

/**
 * Edges whose arrowhead (the path's last 8 units, as Canvas.tsx draws it at stroke width 2, 4 px either side)
 * lies under a group label: a label drawn above the edges must leave their arrowheads in sight.
 */
export async function arrowheadsUnderLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const labels = [...document.querySelectorAll('.group-label')].map((e) => e.getBoundingClientRect());
    const hidden: string[] = [];
    for (const path of document.querySelectorAll<SVGPathElement>('.react-flow__edge-path')) {
      const ctm = path.getScreenCTM();
      if (!ctm) continue;
      const total = path.getTotalLength();
      for (let back = 0; back <= 8; back += 1) {
        const p = new DOMPoint(path.getPointAtLength(Math.max(0, total - back)).x, path.getPointAtLength(Math.max(0, total - back)).y).matrixTransform(ctm);
        if (labels.some((r) => p.x > r.left - 4 && p.x < r.right + 4 && p.y > r.top && p.y < r.bottom)) {
          hidden.push(path.closest('.react-flow__edge')?.getAttribute('aria-label') ?? '?');
          break;
        }
      }
    }
    return hidden;
  });
}

/** Text that is not JSON: the designer shows the last valid version, read-only, and says so everywhere it speaks. */
const invalidJsonCheck: Check = ['invalid JSON: the problems bar and the empty inspector speak of the last valid version, not "No problems" or "add one from the palette"', async (d) => {
  const good = d.text;
  await d.setText(good.replace('"units": 64,', '"units": 64,,'));
  await d.page.waitForSelector('.banner.error');
  assert.equal(await d.page.locator('.problems-toggle').textContent(), '▸Last valid version: no problems');
  assert.equal(await d.page.locator('.empty-note').textContent(), 'Read-only until the text is valid JSON again (the banner above says where it is not). Select a node to see its settings.');
  await d.setText(good);
  await d.page.waitForSelector('.banner.error', { state: 'detached' });
  assert.equal(await d.page.locator('.problems-toggle').textContent(), '▸No problems');
  assert.match(await d.page.locator('.empty-note').textContent() ?? '', /^Select a node on the canvas to edit it, or add one from the palette/);
}];

/** A click on a connection: the inspector names it and offers to remove it (it said "Select a node on the canvas"). */
const connectionCheck: Check = ['inspector: a clicked connection is named ("trunk2 → parityHead") with a Remove button that removes it, as one edit', async (d) => {
  // A head's connection to its task names the task.
  // (A straight edge's box has no width, which Playwright's click refuses: the point between the two handles.)
  const a = (await d.page.locator('.react-flow__node[data-id="digitHead"] .react-flow__handle.source').boundingBox())!;
  const b = (await d.page.locator('.react-flow__node[data-id="task:digit"] .react-flow__handle.target').boundingBox())!;
  await d.page.mouse.click((a.x + a.width / 2 + b.x + b.width / 2) / 2, (a.y + a.height + b.y) / 2);
  await d.page.waitForSelector('.edge-panel li:text-is("digitHead → task digit (its head)")');
  await d.page.locator('.react-flow__edge[data-id^="from:trunk2->parityHead"] .react-flow__edge-interaction').click({ force: true });
  await d.page.waitForSelector('.react-flow__edge.selected');
  // The selected connection is drawn in the focus colour, its arrowhead too (it kept the task's orange).
  const colours = await d.page.locator('.react-flow__edge.selected .react-flow__edge-path').evaluate((path) => {
    const id = /#([^'")]+)/.exec(path.getAttribute('marker-end') ?? '')?.[1] ?? '';
    return { stroke: getComputedStyle(path).stroke, arrow: getComputedStyle(document.getElementById(id)!.querySelector('polyline')!).fill };
  });
  assert.equal(colours.arrow, colours.stroke, 'arrowhead and line of the selected connection');
  assert.equal(await d.page.locator('.edge-panel h2').textContent(), 'Connection');
  assert.equal(await d.page.locator('.edge-panel li').allTextContents().then((t) => t.join('|')), 'trunk2 → parityHead');
  await d.page.locator('.edge-panel vscode-button:has-text("Remove")').click();
  for (let i = 0; i < 100 && !d.received.some((m) => m.type === 'edit'); i++) await d.page.waitForTimeout(50);
  assert.deepEqual(d.received.flatMap((m) => (m.type === 'edit' ? [m.label] : [])), ['Remove connection']);
  const doc = JSON.parse(d.text) as { model: { layers: Array<{ id: string; from: string[] }> } };
  assert.deepEqual(doc.model.layers.find((l) => l.id === 'parityHead')?.from, []);
}, { width: 1400, height: 900 }];

/** An experiment with nothing in it yet: the canvas names all three things to add, tasks included (it named inputs and layers only). */
const EMPTY = { name: 'empty', data: { source: { type: 'mnist' } }, tasks: [], model: { inputs: [], layers: [], outputs: {} }, training: { epochs: 1, batchSize: 32 } };
const emptyCheck: Check = ['an empty experiment: the canvas says to add an input, layers and the tasks (Tasks tab)', async (d) => {
  assert.equal(await d.page.locator('.canvas-empty').textContent(), 'The model is empty: add an input from the palette, then layers, and what it predicts in the inspector\'s Tasks tab.');
}, { text: `${JSON.stringify(EMPTY, null, 2)}\n` }];

/** Sharing examples as they open at 800x700: a select's card says in words what it hands its task, whole (it read "select · column 0"). */
const selectCheck = (name: string, expected: Record<string, string>): Check => [`${name} at 800x700: each select card says in words what it hands its task (a gate's mix of experts, a task column), its text not cut`, async (d) => {
  const cards = await d.page.locator('.react-flow__node').evaluateAll((els, ids) => els.filter((e) => ids.includes(e.getAttribute('data-id') ?? '')).map((e) => {
    const row = e.querySelector<HTMLElement>('.node-settings')!;
    return { id: e.getAttribute('data-id')!, text: row.textContent ?? '', cut: row.scrollWidth > row.clientWidth + 1 };
  }), Object.keys(expected));
  assert.deepEqual(Object.fromEntries(cards.map((c) => [c.id, c.text])), expected);
  assert.deepEqual(cards.filter((c) => c.cut).map((c) => c.id), [], 'cards whose settings are cut off');
}, { text: fs.readFileSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8'), width: 800, height: 700, fileName: `${name}.mtl.json` }];
const selectChecks = [
  selectCheck('mmoe-regression', { mixture1: 'gate 0\'s mix of experts', mixture2: 'gate 1\'s mix of experts' }),
  selectCheck('cross-stitch-regression', { column1: 'task column 0', column2: 'task column 1' }),
];

const contrastChecks: Check[] = AUDITED_THEMES.map(([name, theme]): Check => [
  `contrast (${name}): every text on the cards, task nodes and group labels at least 4.5:1 against its background, a layer selected`, async (d) => {
    await d.page.click('.react-flow__node[data-id="trunk2"]');
    await d.page.waitForSelector('.node-form h2:text-is("trunk2")');
    assert.deepEqual(await lowContrastPaintedTexts(d.page, '.react-flow__node *, .group-label'), []);
  }, { text: digitsParityText, theme, width: 1400, height: 900 },
]);

/**
 * Cards and group labels that the zoom controls (left of the canvas), the minimap or the
 * "More below · Fit view" hint cover, even in part, or come within the widget's margin of: `minimap: id`.
 */
async function underCanvasWidgets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // The hint is read as text beside the cards: 4 px apart at least, or it reads as part of a card.
    const widgets = [['zoom controls', '.react-flow__controls', 0], ['minimap', '.react-flow__minimap', 0], ['out-of-view hint', '.out-of-view-hint', 4]] as const;
    return widgets.flatMap(([name, selector, margin]) => {
      const w = document.querySelector(selector)?.getBoundingClientRect();
      if (!w || w.width === 0) return [];
      return [...document.querySelectorAll('.react-flow__node, .group-label')].filter((e) => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.left < w.right + margin && r.right > w.left - margin && r.top < w.bottom + margin && r.bottom > w.top - margin;
      }).map((e) => `${name}: ${e.getAttribute('data-id') ?? e.textContent ?? '?'}`);
    });
  });
}

/** The example's scale factor (1/255 in 17 digits) on the Data tab: its field shows the whole number (a half-width field cut it to "0.00392156862745"). */
const longNumberCheck: Check = ['a long number (digits-parity\'s scale factor) is shown whole in its field, at 1280 and 900 px', async (d) => {
  for (const width of [1280, 900]) {
    await d.page.setViewportSize({ width, height: 800 });
    // At 900 px the side panels start collapsed (sidePanels.ts): the inspector opened from the toolbar.
    if (width === 900) await d.page.click('.panel-toggle:has-text("Inspector")[aria-pressed="false"]');
    await d.page.click('#tab-data');
    const field = d.page.locator('.field[data-path="data.preprocess.0.factor"] vscode-text-field');
    await field.scrollIntoViewIfNeeded();
    const input = await d.page.waitForFunction(() => {
      const el = document.querySelector('.field[data-path="data.preprocess.0.factor"] vscode-text-field')?.shadowRoot?.querySelector('input');
      return el && el.clientWidth > 0 ? { value: el.value, scroll: el.scrollWidth, client: el.clientWidth } : undefined;
    }, undefined, { timeout: 5000 }).then((h) => h.jsonValue());
    assert.equal(input!.value, '0.00392156862745098');
    assert.ok(input!.scroll <= input!.client, `at ${width} px the factor's text is ${input!.scroll} px wide in a ${input!.client} px box`);
    assert.ok(await field.isVisible());
  }
}];

/** The inspector's dropdowns whose shown choice is cut (its text wider than the control shows): `path: "choice" (text px in box px)`. */
async function cutDropdowns(page: Page): Promise<string[]> {
  return page.locator('.inspector vscode-dropdown').evaluateAll((els) => els.flatMap((e) => {
    const shown = e.shadowRoot?.querySelector<HTMLElement>('.selected-value');
    if (!shown || shown.clientWidth === 0 || shown.scrollWidth <= shown.clientWidth + 1) return [];
    return [`${e.closest('.field')?.getAttribute('data-path') ?? '?'}: "${(shown.textContent ?? '').trim()}" (${shown.scrollWidth} px in ${shown.clientWidth})`];
  }));
}

/**
 * At 1000 px the inspector is at its narrowest (280 px): a dropdown with a long choice takes the
 * whole row. In half a row a task's kind read "multicla…", its loss "categor…", trunk1's
 * activation "relu (def…", PCGrad's mode "paramete…".
 */
const dropdownCheck: Check = ['inspector at 1000 px: every dropdown shows its choice whole (task kind and loss, layer activation, a gradient method\'s mode), on the Node, Tasks and Training tabs', async (d) => {
  await d.page.click('.react-flow__node[data-id="trunk1"]');
  await d.page.waitForSelector('.node-form h2:text-is("trunk1")');
  const cut = await cutDropdowns(d.page);
  await d.page.click('#tab-tasks');
  await d.page.waitForSelector('.task-card');
  // A loss reads as users call it, "cross-entropy (default)": the 33 characters of
  // "categoricalCrossentropy (default)" did not fit even a full row of the narrowest task card.
  assert.equal((await d.page.locator('.field[data-path="tasks.0.loss"] vscode-dropdown').evaluate((e) => e.shadowRoot?.querySelector('.selected-value')?.textContent ?? '')).trim(), 'cross-entropy (default)');
  cut.push(...await cutDropdowns(d.page));
  await d.page.click('#tab-training');
  await d.page.waitForSelector('.variant[data-path="training.weighting"]');
  cut.push(...await cutDropdowns(d.page));
  assert.deepEqual(cut, []);
  assert.equal(await d.page.locator('.field[data-path="training.weighting.mode"] vscode-dropdown').count(), 1, 'PCGrad\'s mode is shown');
}, { text: `${JSON.stringify({ ...JSON.parse(digitsParityText), training: { ...JSON.parse(digitsParityText).training, weighting: { method: 'pcgrad' } } }, null, 2)}\n`, width: 1000, height: 800 }];

/** A designer in a narrow panel (520 px: the editor split beside another), 800 and 900 px wide (a laptop's editor beside the sidebar) and a 1280x800 window. */
const FIRST_VIEW_SIZES = [[520, 700], [800, 700], [900, 700], [900, 800], [1280, 800]] as const;

const firstViewChecks: Check[] = EXAMPLES.flatMap((name) => FIRST_VIEW_SIZES.map(([width, height]): Check => [
  `first view: no card or group label under the zoom controls, the minimap or the out-of-view hint (${name} at ${width}x${height})`, async (d) => {
    assert.deepEqual(await underCanvasWidgets(d.page), []);
  }, { text: fs.readFileSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8'), width, height, fileName: `${name}.mtl.json` },
  ]));

export const readabilityChecks: Check[] = [...firstViewChecks, ...selectChecks, longNumberCheck, dropdownCheck, invalidJsonCheck, connectionCheck, emptyCheck, ...contrastChecks, ...EXAMPLES.flatMap((name) => SIZES.map(([width, height]): Check => [
  `group labels read whole: no edge drawn across a branch's or the trunk's label (${name} at ${width}x${height})`, async (d) => {
    assert.deepEqual(await labelsCrossedByEdges(d.page), []);
    assert.deepEqual(await arrowheadsUnderLabels(d.page), [], 'arrowheads hidden under a label');
  }, { text: fs.readFileSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8'), width, height, fileName: `${name}.mtl.json` },
]))];
