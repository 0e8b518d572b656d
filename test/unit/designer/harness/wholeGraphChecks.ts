// Interaction checks of the designer's first view at small and large editor sizes (run by
// interactions.ts): every bundled example opens with its whole graph in the canvas, every text
// on it readable and none cut, and every layer card still shows its output shape, its parameters
// and its sharing badge (or its task). Two-branch examples opened cut at 1024x768 and MMoE and
// cross-stitch at 1400x820; compact cards that left the badge and the shape out failed the e2e
// scenarios, which read them on the first view.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../repoRoot';
import type { Page } from 'playwright-core';
import { arrowheadsUnderLabels, type Check } from './readabilityChecks';

export const EXAMPLES = fs.readdirSync(path.resolve(ROOT, 'examples')).filter((name) => fs.existsSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`))).sort();
/** A small laptop's editor, an XGA window, the harness' default window, a 1400x900 window. */
const SIZES = [[800, 700], [1024, 768], [1400, 820], [1400, 900]] as const;
/**
 * Too large to be read whole at these sizes even with compact cards: each opens readable at its
 * input, and the toolbar or the minimap says there is more. At 800x700 the side panels are
 * collapsed (sidePanels.ts): with them the canvas was ~400 px wide and no example opened whole.
 */
const TOO_LARGE: Record<string, ReadonlyArray<readonly [number, number]>> = Object.fromEntries(EXAMPLES.map((name) => [name, [
  // Seven rows top to bottom in the 800x~570 px canvas: 0.66 needed, under COMPACT_ZOOM.
  ...(name === 'mmoe-regression' || name === 'tabular-csv' ? [[800, 700]] as const : []),
  // 11 rows, ~1,360 px at zoom 1 (0.45 needed at 1024x768), and cross-stitch's 8 rows (0.54 there, 0.63 at 1400x820).
  ...(name === 'multimnist-cnn' ? [[800, 700], [1024, 768], [1400, 820], [1400, 900]] as const : name === 'cross-stitch-regression' ? [[800, 700], [1024, 768], [1400, 820]] as const : []),
]]));
/** On-screen text under this many CSS pixels is hard to read (viewport.ts READABLE_TEXT_PX). */
export const READABLE_PX = 11;

interface SeenText { where: string; px: number; cut: boolean }

/** The layer cards (not zoomed out to frames) missing their shape, parameters, or sharing badge / task chip / "feeds no task". */
export async function cardsMissingFacts(page: Page): Promise<string[]> {
  return page.locator('.react-flow__node-layer:not(:has(.mts-node.far))').evaluateAll((els) => els.flatMap((e) => {
    const has = (sel: string): boolean => (e.querySelector(sel)?.textContent ?? '').trim() !== '';
    const missing = [
      ...(has('.node-shape') ? [] : ['shape']),
      ...(has('.node-params') ? [] : ['params']),
      ...(has('.shared-badge') || has('.task-chip') || has('.unused-note') ? [] : ['badge or task']),
    ];
    return missing.length ? [`${e.getAttribute('data-id')}: ${missing.join(', ')}`] : [];
  }));
}

/**
 * The compact cards whose parameters are neither at the right end of the shape's line nor, on a
 * line of their own, at its start under the shape: digits-parity's "100,480 params" (208 px
 * beside its shape, in 202) wrapped to the right end of a second line, under nothing.
 */
async function paramsOutOfPlace(page: Page): Promise<string[]> {
  return page.locator('.mts-node.compact .node-meta').evaluateAll((rows) => rows.flatMap((row) => {
    const line = row.getBoundingClientRect();
    const shape = row.querySelector('.node-shape')!.getBoundingClientRect(), params = row.querySelector('.node-params')!.getBoundingClientRect();
    const oneLine = Math.abs(params.top - shape.top) < 1;
    const placed = oneLine ? Math.abs(params.right - line.right) < 1 : params.top >= shape.bottom - 1 && Math.abs(params.left - shape.left) < 1;
    return placed ? [] : [`${row.closest('.react-flow__node')!.getAttribute('data-id')}: "${row.textContent}" (${oneLine ? 'one line' : 'two lines'}, parameters at ${(params.left - line.left).toFixed(1)} of ${line.width.toFixed(1)} px)`];
  }));
}

/**
 * What the canvas shows: the cards (and group labels) not wholly inside it, and every text on
 * the cards and group labels with its on-screen size (font size times the zoom) and whether
 * it is cut (an ellipsis, or lines clamped away).
 */
export async function canvasView(page: Page): Promise<{ outside: string[]; texts: SeenText[] }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('.canvas')!.getBoundingClientRect();
    const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
    const boxes = [...document.querySelectorAll<HTMLElement>('.react-flow__node, .group-label')];
    const outside = boxes.filter((e) => {
      const r = e.getBoundingClientRect();
      return r.left < canvas.left - 0.5 || r.top < canvas.top - 0.5 || r.right > canvas.right + 0.5 || r.bottom > canvas.bottom + 0.5;
    }).map((e) => e.getAttribute('data-id') ?? `label "${e.textContent}"`);
    const texts: SeenText[] = [];
    for (const box of boxes) {
      for (const el of [box, ...box.querySelectorAll<HTMLElement>('*')]) {
        if (el.closest('.sr-only') || ![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) continue;
        // Cut: an ellipsis or clamped lines, or past the card's side ("target readmitted" ran out of a task card).
        const cut = el.scrollWidth > el.clientWidth + 0.5 || el.scrollHeight > el.clientHeight + 0.5
          || el.getBoundingClientRect().right > box.getBoundingClientRect().right + 0.5;
        texts.push({ where: `${box.getAttribute('data-id') ?? 'group label'}: "${el.textContent!.trim()}"`, px: parseFloat(getComputedStyle(el).fontSize) * zoom, cut });
      }
    }
    return { outside, texts };
  });
}

export const wholeGraphChecks: Check[] = EXAMPLES.flatMap((name) => SIZES.map(([width, height]): Check => [
  `first view whole: ${name} at ${width}x${height}, every card and group label inside the canvas, every text on them at least ${READABLE_PX} px on screen and not cut, no arrowhead under a label`, async (d) => {
    const { outside, texts } = await canvasView(d.page);
    const doc = JSON.parse(d.text) as { model: { inputs: Array<{ id: string }> } };
    const fit = await d.page.locator('.toolbar vscode-button:has-text("Fit view")').textContent();
    if (TOO_LARGE[name]?.some(([w, h]) => w === width && h === height)) {
      assert.ok(outside.length > 0, 'it fits now: take it out of TOO_LARGE');
      for (const input of doc.model.inputs) assert.ok(!outside.includes(input.id), `input ${input.id} in sight`);
      assert.ok(/More .+ · Fit view/.test(fit ?? '') || await d.page.locator('.react-flow__minimap').isVisible(), `the rest is offered (toolbar: "${fit}", no minimap)`);
    } else {
      assert.deepEqual(outside, [], 'cards or labels not wholly in the canvas');
      assert.equal(fit?.trim(), 'Fit view', 'the toolbar says nothing is out of sight');
    }
    assert.ok(texts.length > 0, 'texts on the canvas');
    assert.deepEqual(await cardsMissingFacts(d.page), [], 'cards without their shape, parameters or sharing badge');
    assert.deepEqual(texts.filter((t) => t.px < READABLE_PX - 1e-6).map((t) => `${t.where} ${t.px.toFixed(2)} px`), [], 'texts under the readable size');
    assert.deepEqual(texts.filter((t) => t.cut).map((t) => t.where), [], 'texts cut');
    assert.deepEqual(await paramsOutOfPlace(d.page), [], 'parameters neither beside the shape nor on their own line under it');
    assert.deepEqual(await arrowheadsUnderLabels(d.page), [], 'arrowheads hidden under a label');
  }, { text: fs.readFileSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8'), width, height, fileName: `${name}.mtl.json` },
]));

/** The canvas's size and how its cards are drawn, on the page now. */
const canvasLook = (page: Page): Promise<string> => page.evaluate(() => {
  const canvas = document.querySelector<HTMLElement>('.canvas')!;
  return `canvas ${canvas.clientWidth}x${canvas.clientHeight}, ${document.querySelectorAll('.mts-node.compact').length} compact cards`;
});

/**
 * After the first edit: digits-parity at 1024x768 opens whole with compact cards (zoom 0.914,
 * just under READABLE_ZOOM: the toolbar's 3 px decide it, see the check after this one);
 * an edit made in the inspector (trunk2's units) keeps the graph whole and every text readable.
 * Whole cards came back at the framed zoom with 10 px text.
 */
export const afterEditChecks: Check[] = [[
  'after the first edit: a graph opened whole with compact cards keeps them (every text at least 11 px, the graph still whole), the edit read on the card\'s shape', async (d) => {
    assert.ok(await d.page.locator('.mts-node.compact').count() > 0, 'it opens with compact cards');
    await d.page.click('.react-flow__node[data-id="trunk2"]');
    const units = d.page.locator('.inspector .field[data-path="model.layers.1.units"] vscode-text-field');
    await units.click();
    await d.page.keyboard.press('Control+a');
    await d.page.keyboard.type('48');
    await d.page.waitForSelector('.react-flow__node[data-id="trunk2"] .node-shape:text-is("→ [48]")');
    assert.equal((JSON.parse(d.text) as { model: { layers: Array<{ units?: number }> } }).model.layers[1]!.units, 48);
    await d.page.waitForTimeout(300);
    const { outside, texts } = await canvasView(d.page);
    assert.deepEqual(outside, [], 'cards or labels not wholly in the canvas');
    assert.deepEqual(texts.filter((t) => t.px < READABLE_PX - 1e-6).map((t) => `${t.where} ${t.px.toFixed(2)} px`), [], 'texts under the readable size');
    assert.deepEqual(await cardsMissingFacts(d.page), [], 'cards without their shape, parameters or sharing badge');
  }, { text: fs.readFileSync(path.resolve(ROOT, 'examples', 'digits-parity', 'digits-parity.mtl.json'), 'utf8'), width: 1024, height: 768, fileName: 'digits-parity.mtl.json' },
], [
  // CI failed the check above: the toolkit (loaded when the page is idle) came late, its bare
  // buttons had made the toolbar 3 px lower, and the graph opened at zoom 0.918 with whole cards.
  'the first view stays as it opened when the toolkit\'s controls come a second late: the same canvas size and the same card look (compact cards for digits-parity at 1024x768)', async (d) => {
    const before = await canvasLook(d.page);
    assert.equal(await d.page.evaluate(() => customElements.get('vscode-button') === undefined), true, 'the toolkit came before the first look');
    await d.page.waitForFunction(() => customElements.get('vscode-button') !== undefined, undefined, { timeout: 10_000 });
    await d.page.waitForTimeout(300);
    assert.equal(await canvasLook(d.page), before, 'the view changed when the toolkit came');
    assert.match(before, /[1-9]\d* compact cards/);
  }, { text: fs.readFileSync(path.resolve(ROOT, 'examples', 'digits-parity', 'digits-parity.mtl.json'), 'utf8'), width: 1024, height: 768, fileName: 'digits-parity.mtl.json', toolkitDelayMs: 1500 },
]];
