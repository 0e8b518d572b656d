// Interaction checks of "Fit view" (run by interactions.ts): after zooming in, the toolbar's Fit
// view frames the whole graph, and below the readable zoom draws the opening view's look for that
// zoom (nodes.tsx cardLook): every text drawn at least 11 px on screen, every card with handles a
// connection can be dragged from and to. It framed multimnist-cnn at 0.40 and cross-stitch at
// 0.50 with whole cards (5-7 px text); a look without handles made the e2e "designer edit, save
// and undo" drag trunk2's card instead of connecting it. With the inspector collapsed, the
// selected card's "Edit" stays inside the canvas wherever the card is.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../repoRoot';
import type { Page } from 'playwright-core';
import type { Check } from './readabilityChecks';
import { canvasView, EXAMPLES, READABLE_PX } from './wholeGraphChecks';

const example = (name: string, width: number, height: number) =>
  ({ text: fs.readFileSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8'), width, height, fileName: `${name}.mtl.json` });

const viewZoom = (page: Page): Promise<number> =>
  page.evaluate(() => new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a);

/** Zooms in (the zoom controls' + twice), then "Fit view", and waits until the view stops moving (the glide, a re-fit if the graph turns). */
async function zoomInThenFit(page: Page): Promise<number> {
  await page.locator('.react-flow__controls-zoomin').click();
  await page.locator('.react-flow__controls-zoomin').click();
  await page.waitForTimeout(300);
  await page.locator('.toolbar vscode-button:has-text("Fit view")').click();
  for (let seen = ''; ;) {
    await page.waitForTimeout(300);
    const now = await page.evaluate(() => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    if (now === seen) break;
    seen = now;
  }
  return viewZoom(page);
}

/**
 * The cards without the handles a connection is dragged from or to (xyflow's own, marked
 * connectable): an output on every layer and input card, an input on every layer and task card.
 */
const cardsWithoutHandles = (page: Page): Promise<string[]> => page.locator('.react-flow__node').evaluateAll((els) => els.flatMap((e) => {
  const id = e.getAttribute('data-id')!;
  const card = e.querySelector('.mts-node, .mts-task')!;
  const wants = [...(card.classList.contains('input') ? [] : ['target']), ...(card.classList.contains('mts-task') ? [] : ['source'])];
  const missing = wants.filter((kind) => !e.querySelector(`.react-flow__handle.${kind}.connectable[data-nodeid="${id}"]`));
  return missing.length ? [`${id}: no ${missing.join(', ')} handle`] : [];
}));

const center = async (page: Page, selector: string): Promise<{ x: number; y: number }> => {
  const b = (await page.locator(selector).boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};

/** Drags the canvas' empty background by (dx, dy) screen pixels: the view pans so. */
async function panBy(page: Page, dx: number, dy: number): Promise<void> {
  const from = await page.evaluate(() => {
    const r = document.querySelector('.canvas')!.getBoundingClientRect();
    for (let y = r.top + 30; y < r.bottom - 30; y += 17) {
      for (let x = r.left + 60; x < r.right - 30; x += 17) if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
    }
    return undefined;
  });
  assert.ok(from, 'an empty spot of the canvas to drag');
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dx, from.y + dy, { steps: 8 });
  await page.mouse.up();
}

const SMALL = [[800, 700], [1024, 768]] as const;

export const fitViewChecks: Check[] = [
  ...EXAMPLES.flatMap((name) => SMALL.map(([width, height]): Check => [
    `Fit view: ${name} at ${width}x${height}, zoomed in first, then the whole graph in the canvas, every text drawn at least ${READABLE_PX} px on screen and not cut, every card with its handles`, async (d) => {
      const zoom = await zoomInThenFit(d.page);
      const { outside, texts } = await canvasView(d.page);
      assert.deepEqual(outside, [], 'cards or labels not wholly in the canvas');
      assert.deepEqual(texts.filter((t) => t.px < READABLE_PX - 1e-6).map((t) => `${t.where} ${t.px.toFixed(2)} px`), [], `texts under the readable size at zoom ${zoom.toFixed(3)}`);
      assert.deepEqual(texts.filter((t) => t.cut).map((t) => t.where), [], 'texts cut');
      // Every card says at least what it is called.
      const named = await d.page.locator('.react-flow__node').evaluateAll((els) => els.filter((e) => !e.querySelector('.node-id, .task-name')?.textContent?.trim()).map((e) => e.getAttribute('data-id')));
      assert.deepEqual(named, [], `cards without their name at zoom ${zoom.toFixed(3)}`);
      assert.deepEqual(await cardsWithoutHandles(d.page), [], `cards without handles at zoom ${zoom.toFixed(3)}`);
    }, example(name, width, height),
  ])),
  // The smallest look Fit view picks among the examples: multimnist-cnn in the small laptop's editor (zoom ~0.40).
  ['Fit view, smallest look (multimnist-cnn at 800x700): a connection dragged from leftHidden\'s output onto rightHead\'s input is made', async (d) => {
    const zoom = await zoomInThenFit(d.page);
    assert.ok(zoom < 11 / 16, `framed below the compact cards' zoom (${zoom.toFixed(3)})`);
    const from = await center(d.page, '.react-flow__node[data-id="leftHidden"] .react-flow__handle.source');
    const to = await center(d.page, '.react-flow__node[data-id="rightHead"] .react-flow__handle.target');
    await d.page.mouse.move(from.x, from.y);
    await d.page.mouse.down();
    await d.page.mouse.move(from.x + 20, from.y + 10, { steps: 4 });
    await d.page.mouse.move(to.x, to.y, { steps: 12 });
    await d.page.mouse.up();
    const reads = () => (JSON.parse(d.text) as { model: { layers: Array<{ id: string; from: string[] }> } }).model.layers.find((l) => l.id === 'rightHead')!.from;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && !reads().includes('leftHidden');) await d.page.waitForTimeout(50);
    assert.deepEqual(reads(), ['leftHidden'], 'rightHead reads leftHidden');
  }, example('multimnist-cnn', 800, 700)],
  // Inspector collapsed (800x700): the card at each edge of the fitted view, selected, then the view
  // panned until that card touches the canvas' edge: its "Edit" stays inside the canvas, off the card.
  ...['digits-parity', 'multimnist-cnn', 'mmoe-regression'].map((name): Check => [
    `narrow designer (${name} at 800x700): the selected card's "Edit" inside the canvas and off the card, the card panned to the canvas' top, right, bottom and left edges`, async (d) => {
      await zoomInThenFit(d.page);
      const boxes = await d.page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-id')!, r: e.getBoundingClientRect().toJSON() as DOMRect })));
      const sides = [
        ['top', boxes.reduce((a, b) => (b.r.top < a.r.top ? b : a)).id], ['right', boxes.reduce((a, b) => (b.r.right > a.r.right ? b : a)).id],
        ['bottom', boxes.reduce((a, b) => (b.r.bottom > a.r.bottom ? b : a)).id], ['left', boxes.reduce((a, b) => (b.r.left < a.r.left ? b : a)).id],
      ] as const;
      const canvas = (await d.page.locator('.canvas').boundingBox())!;
      const wrong: string[] = [];
      for (const [side, id] of sides) {
        const card = d.page.locator(`.react-flow__node[data-id="${id}"]`);
        await card.click();
        await d.page.locator('.edit-node').waitFor();
        const c = (await card.boundingBox())!;
        const shift = { top: { x: 0, y: canvas.y + 2 - c.y }, right: { x: canvas.x + canvas.width - 2 - (c.x + c.width), y: 0 },
          bottom: { x: 0, y: canvas.y + canvas.height - 2 - (c.y + c.height) }, left: { x: canvas.x + 2 - c.x, y: 0 } }[side];
        await panBy(d.page, shift.x, shift.y);
        await d.page.waitForTimeout(150);
        const b = (await d.page.locator('.edit-node').boundingBox())!;
        const at = (await card.boundingBox())!;
        const covers = !(b.x >= at.x + at.width - 0.5 || b.x + b.width <= at.x + 0.5 || b.y >= at.y + at.height - 0.5 || b.y + b.height <= at.y + 0.5);
        const inside = b.x >= canvas.x - 0.5 && b.y >= canvas.y - 0.5 && b.x + b.width <= canvas.x + canvas.width + 0.5 && b.y + b.height <= canvas.y + canvas.height + 0.5;
        if (!inside || covers) wrong.push(`${id} at the ${side} edge: ${covers ? 'over the card' : 'outside the canvas'} (button ${b.x.toFixed(0)},${b.y.toFixed(0)} ${b.width.toFixed(0)}x${b.height.toFixed(0)}; card ${at.x.toFixed(0)},${at.y.toFixed(0)} ${at.width.toFixed(0)}x${at.height.toFixed(0)}; canvas ${canvas.x.toFixed(0)},${canvas.y.toFixed(0)} ${canvas.width.toFixed(0)}x${canvas.height.toFixed(0)})`);
        await panBy(d.page, -shift.x, -shift.y);
      }
      assert.deepEqual(wrong, [], '"Edit" buttons not wholly inside the canvas, or over their card');
    }, example(name, 800, 700),
  ]),
];
