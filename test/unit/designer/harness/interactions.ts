// Drives the designer bundle as a user would (mouse and keyboard) against the host emulator
// and checks the text it ends up with: connect, move, delete, duplicate, select all, palette
// drag and drop, inspector edits, problem navigation, invalid JSON, the data preview's choice
// for a mixed column. Run with
// `node test/unit/designer/harness/run.mjs interactions [filter]` (only the checks whose name
// contains the filter); exits non-zero on a failure.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../repoRoot';
import { chromium, type Page } from 'playwright-core';
import { minimalReplace } from '../../../../src/core/edits';
import type { ExperimentSpec } from '../../../../src/core/spec';
import { digitsParityText, largeModel } from '../fixtures';
import { DesignerPage, type PageOptions } from './designerPage';
import { a11yChecks } from './a11yChecks';
import { editNodeChecks } from './editNodeChecks';
import { fitViewChecks } from './fitViewChecks';
import { keyboardChecks } from './keyboardChecks';
import { readabilityChecks } from './readabilityChecks';
import { sharingBadgeChecks } from './sharingBadgeChecks';
import { weightingGuideChecks } from './weightingGuideChecks';
import { afterEditChecks, wholeGraphChecks } from './wholeGraphChecks';
import { LIGHT } from '../../../harness/themes';
import { DEFAULT_PANELS } from '../../../../src/core/designerProtocol';

const bundleDir = process.argv[2]!;
const only = process.argv[3];
const spec = (d: DesignerPage): ExperimentSpec => JSON.parse(d.text) as ExperimentSpec;
const layer = (d: DesignerPage, id: string) => spec(d).model.layers.find((l) => l.id === id);
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/**
 * Waits for a condition on what the page sent. 20 s: under load (15-35 on two cores) loading
 * ELK's 1.4 MB chunk and laying out took longer than the 5 s this allowed, and a passing check
 * returns as soon as the condition holds.
 */
async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) { if (check()) return; await new Promise((r) => setTimeout(r, 50)); }
  if (check()) return;
  assert.fail(`timed out waiting for: ${what}`);
}

async function dragBetween(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

/** Every node's box lies inside the canvas, and no two nodes overlap. */
async function allInSight(page: Page): Promise<number> {
  const canvas = (await page.locator('.canvas').boundingBox())!;
  const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { id: e.getAttribute('data-id') ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
  }));
  for (const b of boxes) {
    assert.ok(b.x >= canvas.x - 0.5 && b.y >= canvas.y - 0.5 && b.x + b.width <= canvas.x + canvas.width + 0.5 && b.y + b.height <= canvas.y + canvas.height + 0.5,
      `${b.id} is out of sight`);
  }
  for (const a of boxes) for (const b of boxes) {
    if (a.id >= b.id) continue;
    assert.ok(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y, `${a.id} overlaps ${b.id}`);
  }
  return boxes.length;
}

const ALL_NODES = ['image', 'trunk1', 'trunk2', 'digitHead', 'parityHead', 'task:digit', 'task:parity'];

async function center(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box, selector);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/**
 * Presses Tab (Shift+Tab when `backwards`) until the focused element matches `selector` (and
 * has the text `text`, when given): how a keyboard user gets to a control.
 */
async function tabTo(page: Page, selector: string, options: { text?: string; backwards?: boolean } = {}): Promise<void> {
  for (let i = 0; i < 80; i++) {
    const there = await page.evaluate(({ selector: sel, text }) => {
      const el = document.activeElement;
      return !!el && el.matches(sel) && (text === undefined || el.textContent?.trim() === text);
    }, { selector, text: options.text });
    if (there) return;
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`Tab never reached ${selector}${options.text ? ` "${options.text}"` : ''}`);
}

/** To a palette entry as a keyboard user goes: Shift+Tab to the palette (one Tab stop), then the arrow keys. */
async function paletteTo(page: Page, type: string): Promise<void> {
  await tabTo(page, '.palette-item', { backwards: true });
  for (let i = 0; i < 25 && (await page.evaluate(() => document.activeElement?.textContent)) !== type; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), type, 'the arrow keys reach the palette entry');
}

/** The focused element's accessible name (aria-label) or its text. */
const focused = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? '');

/** The smallest text drawn on a node card, in CSS pixels on screen (its font size times the zoom), and where. */
async function smallestNodeText(page: Page): Promise<{ px: number; where: string; cards: number }> {
  return page.evaluate(() => {
    const zoom = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform).a;
    let px = Infinity, where = '', cards = 0;
    for (const card of document.querySelectorAll('.react-flow__node')) {
      const r = card.getBoundingClientRect();
      if (r.right < 0 || r.bottom < 0 || r.left > innerWidth || r.top > innerHeight) continue;
      cards++;
      for (const el of card.querySelectorAll<HTMLElement>('*')) {
        if (el.closest('.sr-only') || ![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) continue;
        const size = parseFloat(getComputedStyle(el).fontSize) * zoom;
        if (size < px) { px = size; where = `${card.getAttribute('data-id')}: "${el.textContent!.trim()}"`; }
      }
    }
    return { px, where, cards };
  });
}

/** Canvas nodes whose box lies wholly inside the canvas. */
async function inSight(page: Page): Promise<string[]> {
  const canvas = (await page.locator('.canvas').boundingBox())!;
  const boxes = await page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => {
    const r = e.getBoundingClientRect();
    return { id: e.getAttribute('data-id') ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
  }));
  return boxes.filter((b) => b.x >= canvas.x - 0.5 && b.y >= canvas.y - 0.5 && b.x + b.width <= canvas.x + canvas.width + 0.5 && b.y + b.height <= canvas.y + canvas.height + 0.5).map((b) => b.id);
}

/** The bundled examples, each opened fresh at the two window sizes of issue 15. */
const EXAMPLES = fs.readdirSync(path.resolve(ROOT, 'examples')).filter((name) => fs.existsSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`))).sort();
const FIRST_VIEW_SIZES = [[1400, 900], [1000, 700]] as const;
const firstViewChecks: Array<[string, (d: DesignerPage) => Promise<void>, Partial<PageOptions>?]> = EXAMPLES.flatMap((name) => FIRST_VIEW_SIZES.map(([width, height]): [string, (d: DesignerPage) => Promise<void>, Partial<PageOptions>] => [
  `first view readable: ${name} at ${width}x${height}, node text at least 11 px, its inputs in sight, the minimap for what is not`, async (d) => {
    const text = await smallestNodeText(d.page);
    assert.ok(text.cards > 0 && text.px !== Infinity, 'node cards with text in sight');
    assert.ok(text.px >= 11 - 1e-6, `smallest node text ${text.px.toFixed(2)} px (${text.where})`);
    const doc = JSON.parse(d.text) as ExperimentSpec;
    const seen = await inSight(d.page);
    for (const input of doc.model.inputs) assert.ok(seen.includes(input.id), `input ${input.id} in sight`);
    const all = doc.model.inputs.length + doc.model.layers.length + doc.tasks.length;
    if (seen.length < all) assert.ok(await d.page.locator('.react-flow__minimap').isVisible(), `${all - seen.length} nodes out of sight, and no minimap`);
  }, { text: fs.readFileSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8'), width, height, fileName: `${name}.mtl.json` },
]));

/** Elements matching `selector` whose text is cut (it overflows its box) or lies outside the window: `text (why)`. */
async function cutTexts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((els) => els.flatMap((e) => {
    const r = e.getBoundingClientRect();
    const why = e.scrollWidth > e.clientWidth + 0.5 ? `${e.scrollWidth} px of text in ${e.clientWidth}` : r.right > innerWidth + 0.5 ? 'beyond the window' : '';
    return why ? [`${e.textContent ?? ''} (${why})`] : [];
  }));
}

/** The example with the longest name: its title and every palette entry are read whole at both window sizes. */
const LONGEST = 'conflicting-tasks-upgrad';
const fullNameChecks = FIRST_VIEW_SIZES.map(([width, height]): [string, (d: DesignerPage) => Promise<void>, Partial<PageOptions>] => [
  `full names at ${width}x${height}: the experiment's title, its file name and every palette entry (batchNormalization) read whole, none cut with an ellipsis`, async (d) => {
    assert.equal(await d.page.locator('.toolbar h1').textContent(), LONGEST);
    assert.deepEqual(await cutTexts(d.page, '.toolbar h1, .toolbar .file'), []);
    // textContent, not Playwright's text match: a long entry holds <wbr> break points between its words.
    const entries = await d.page.locator('.palette-item').evaluateAll((els) => els.map((e) => e.textContent));
    assert.ok(entries.includes('batchNormalization') && entries.includes('averagePooling2d'), `palette entries: ${entries.join(', ')}`);
    assert.deepEqual(await cutTexts(d.page, '.palette-item'), []);
  }, { text: fs.readFileSync(path.resolve(ROOT, 'examples', LONGEST, `${LONGEST}.mtl.json`), 'utf8'), width, height, fileName: `${LONGEST}.mtl.json` },
]);

/** A csv experiment whose column age mixes numbers and words (the data preview reads it). */
const MIXED_DIR = path.resolve(ROOT, 'test/fixtures/mixed-column');
const mixedColumn: Partial<PageOptions> = { text: fs.readFileSync(path.join(MIXED_DIR, 'mixed-column.mtl.json'), 'utf8'), workspaceDir: MIXED_DIR, height: 1000 };

/** The empty experiment the keyboard-only e2e scenario starts from. */
const BLANK_TEXT = fs.readFileSync(path.resolve(ROOT, 'test/e2e/fixtures/blank/blank.mtl.json'), 'utf8');

/** Each check runs on a fresh page: the digits-parity document unless its options say otherwise. */
const checks: Array<[string, (d: DesignerPage) => Promise<void>, Partial<PageOptions>?]> = [
  ...firstViewChecks,
  ...fullNameChecks,
  ...readabilityChecks,
  ...wholeGraphChecks,
  ...fitViewChecks,
  ...editNodeChecks,
  ...afterEditChecks,
  ...sharingBadgeChecks,
  ...keyboardChecks,
  ...a11yChecks,
  ...weightingGuideChecks,
  ['first view: the whole graph in sight; narrowed to ~650 px of canvas, still readable from its input on', async (d) => {
    assert.equal(await allInSight(d.page), ALL_NODES.length);
    const zoom = await d.page.locator('.react-flow__viewport').evaluate((e) => new DOMMatrixReadOnly(getComputedStyle(e).transform).a);
    assert.ok(zoom <= 1, `not blown up (zoom ${zoom})`);
    await d.page.setViewportSize({ width: 1050, height: 760 });
    await d.page.waitForTimeout(200);
    assert.ok((await d.page.locator('.canvas').boundingBox())!.width < 700);
    assert.ok((await smallestNodeText(d.page)).px >= 11 - 1e-6, 'readable');
    assert.ok((await inSight(d.page)).includes('image'), 'the input in sight');
  }],
  ['a 100-layer graph: "Fit view" shows every node, every edge drawn', async (d) => {
    await d.setText(JSON.stringify(largeModel(100), null, 2));
    await d.page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 104);
    await d.page.click('vscode-button:has-text("Fit view")');
    await d.page.waitForTimeout(400);
    assert.equal(await allInSight(d.page), 105);
  }],
  ['a graph built up from an empty one (as the keyboard-only user does): F frames it readable, in the direction that suits it now, not the empty graph\'s', async (d) => {
    // The empty experiment opens left to right; the layers and tasks come as edits, which keep that direction.
    const built = JSON.parse(BLANK_TEXT) as Record<string, unknown> & { model: Record<string, unknown> };
    built.tasks = [{ id: 'task1', kind: 'binary', target: 'task1' }, { id: 'task2', kind: 'binary', target: 'task2' }];
    built.model = {
      inputs: [{ id: 'input', shape: [784] }],
      layers: [
        { id: 'dense1', type: 'dense', units: 64, activation: 'relu', from: ['input'] },
        { id: 'dense2', type: 'dense', units: 1, activation: 'sigmoid', from: ['dense1'] },
        { id: 'dense3', type: 'dense', units: 1, activation: 'sigmoid', from: ['dense1'] },
      ],
      outputs: { task1: 'dense2', task2: 'dense3' },
    };
    await d.setText(JSON.stringify(built, null, 2));
    await node(d.page, 'task:task2').waitFor();
    await node(d.page, 'dense1').focus();
    await d.page.keyboard.press('f');
    await d.page.waitForTimeout(400); // the fit's 200 ms animation
    assert.equal(await allInSight(d.page), 6);
    const text = await smallestNodeText(d.page);
    assert.ok(text.px >= 11 - 1e-6, `after F the smallest node text is ${text.px.toFixed(2)} px (${text.where})`);
  }, { text: BLANK_TEXT, width: 1150, height: 900, fileName: 'blank.mtl.json' }],
  ['a layout naming only trunk1 (a partial layout): trunk1 where it says, the rest around it, no overlap', async (d) => {
    const doc = JSON.parse(digitsParityText) as Record<string, unknown>;
    doc.layout = { trunk1: { x: 0, y: 120 } };
    await d.setText(JSON.stringify(doc, null, 2));
    await d.page.waitForTimeout(200);
    await d.page.click('vscode-button:has-text("Fit view")');
    await d.page.waitForTimeout(400);
    assert.equal(await allInSight(d.page), ALL_NODES.length);
    // Left to right, or top to bottom where that suits the canvas: either way in order.
    const at = async (id: string) => (await node(d.page, id).boundingBox())!;
    const [a, b, c] = [await at('image'), await at('trunk1'), await at('trunk2')];
    assert.ok((a.x < b.x && b.x < c.x) || (a.y < b.y && b.y < c.y), 'still reads in order');
  }],
  ['panels: the palette and the inspector collapse, the canvas takes their room; each change goes to the host, and a designer of another file opens as the workspace remembers', async (d) => {
    const before = (await d.page.locator('.canvas').boundingBox())!.width;
    await d.page.click('.panel-toggle:has-text("Palette")');
    await d.page.click('.panel-toggle:has-text("Inspector")');
    await d.page.waitForSelector('.palette', { state: 'hidden' });
    await d.page.waitForSelector('.inspector', { state: 'hidden' });
    assert.equal(await d.page.locator('.panel-toggle[aria-pressed="false"]').count(), 2);
    await d.page.waitForTimeout(100);
    const after = (await d.page.locator('.canvas').boundingBox())!.width;
    assert.ok(after > before + 400, `canvas ${before} -> ${after} px wide`);
    // Each click is one note to the host, which keeps it for the workspace.
    await until(() => d.received.filter((m) => m.type === 'panels').length === 2, 'two panels notes');
    assert.deepEqual(d.received.filter((m) => m.type === 'panels'), [
      { type: 'panels', panels: { ...DEFAULT_PANELS, palette: false } }, { type: 'panels', panels: { ...DEFAULT_PANELS, palette: false, inspector: false } }]);
    // Another file's designer: its own (empty) view state, the workspace's panels embedded by the host.
    const again = await DesignerPage.open(d.page.context().browser()!, { bundleDir, text: d.text, theme: LIGHT, fileName: 'other.mtl.json', panels: d.panels });
    try {
      await again.waitForLayout();
      assert.equal(await again.page.locator('.palette').isVisible(), false, 'palette still collapsed');
      assert.equal(await again.page.locator('.inspector').isVisible(), false, 'inspector still collapsed');
      // C on a selected node shows the inspector again, with "Connect output to…" open.
      await again.page.click('.react-flow__node[data-id="trunk1"]');
      await again.page.keyboard.press('c');
      await again.page.waitForSelector('.inspector #connect-to-list');
      assert.equal(await again.page.locator('.panel-toggle:has-text("Inspector")').getAttribute('aria-pressed'), 'true');
      // A problem clicked with the inspector collapsed shows it again, at the problem's field.
      await again.page.click('.panel-toggle:has-text("Inspector")');
      await again.page.waitForSelector('.inspector', { state: 'hidden' });
      await again.setText(again.text.replace('"units": 10,', '"units": 7,'));
      await again.page.click('.problem-item >> nth=0');
      await again.page.waitForSelector('.inspector .node-form h2:text-is("digitHead")');
    } finally {
      await again.close();
    }
  }],
  ['panels: a change made in another designer of the workspace shows here; the echo is not sent back', async (d) => {
    await d.setPanels({ ...DEFAULT_PANELS, palette: false });
    await d.page.waitForSelector('.palette', { state: 'hidden' });
    assert.equal(await d.page.locator('.inspector').isVisible(), true);
    assert.equal(await d.page.locator('.panel-toggle:has-text("Palette")').getAttribute('aria-pressed'), 'false');
    await d.page.click('.panel-toggle:has-text("Palette")');
    await d.page.waitForSelector('.palette');
    await until(() => d.received.some((m) => m.type === 'panels'), 'the panels note');
    assert.deepEqual(d.received.filter((m) => m.type === 'panels'), [{ type: 'panels', panels: DEFAULT_PANELS }]);
  }],
  ['panels in a narrow designer (800x700): collapsed, the canvas takes the width; the toolbar toggles (keyboard) open them, the palette adds and the inspector edits; remembered apart from the wide designer\'s', async (d) => {
    const pressed = (name: string) => d.page.locator(`.panel-toggle:has-text("${name}")`).getAttribute('aria-pressed');
    assert.equal(await d.page.locator('.palette').isVisible(), false, 'palette collapsed');
    assert.equal(await d.page.locator('.inspector').isVisible(), false, 'inspector collapsed');
    assert.deepEqual([await pressed('Palette'), await pressed('Inspector')], ['false', 'false']);
    const canvas = (await d.page.locator('.canvas').boundingBox())!.width;
    assert.ok(canvas >= 780, `the canvas ${canvas} px of 800`);
    // The palette from the keyboard: its toggle focused, Enter; trunk2 selected, "dense" adds after it.
    await d.page.locator('.panel-toggle:has-text("Palette")').focus();
    await d.page.keyboard.press('Enter');
    await d.page.waitForSelector('.palette');
    // The canvas narrowed: the graph framed again beside the palette (it was under it for a moment).
    await d.page.waitForFunction(() => document.querySelector('.canvas')!.getBoundingClientRect().width < 700);
    await d.page.waitForTimeout(300);
    await node(d.page, 'trunk2').click();
    await d.page.click('.palette-item:text-is("dense")');
    await until(() => spec(d).model.layers.some((l) => l.type === 'dense' && l.from.includes('trunk2') && l.id !== 'parityHead' && l.id !== 'digitHead'), 'a dense layer after trunk2');
    // The inspector: the new layer (selected, kept in sight as the canvas narrows) edited there.
    await d.page.locator('.panel-toggle:has-text("Inspector")').focus();
    await d.page.keyboard.press('Enter');
    const added = spec(d).model.layers.length - 1;
    const units = d.page.locator(`.inspector .field[data-path="model.layers.${added}.units"] vscode-text-field`);
    await units.click();
    await d.page.keyboard.press('Control+a');
    await d.page.keyboard.type('40');
    await until(() => (spec(d).model.layers[added] as { units?: number }).units === 40, 'units 40');
    const card = (await node(d.page, spec(d).model.layers[added]!.id).boundingBox())!, canvasBox = (await d.page.locator('.canvas').boundingBox())!;
    assert.ok(card.x >= canvasBox.x && card.x + card.width <= canvasBox.x + canvasBox.width, 'the edited card in sight beside the inspector');
    // Each toggle went to the host as the narrow flag; the wide designer's panels are as they were.
    await until(() => d.received.filter((m) => m.type === 'panels').length === 2, 'two panels notes');
    assert.deepEqual(d.received.filter((m) => m.type === 'panels'), [
      { type: 'panels', panels: { ...DEFAULT_PANELS, narrowPalette: true } }, { type: 'panels', panels: { ...DEFAULT_PANELS, narrowPalette: true, narrowInspector: true } }]);
    await d.page.setViewportSize({ width: 1400, height: 820 });
    await d.page.waitForSelector('.palette');
    await d.page.waitForSelector('.inspector');
    assert.deepEqual([await pressed('Palette'), await pressed('Inspector')], ['true', 'true']);
  }, { width: 800, height: 700 }],
  ['connect: drag from trunk1\'s output to parityHead\'s input', async (d) => {
    await dragBetween(d.page, await center(d.page, '.react-flow__node[data-id="trunk1"] .react-flow__handle.source'),
      await center(d.page, '.react-flow__node[data-id="parityHead"] .react-flow__handle.target'));
    await until(() => layer(d, 'parityHead')?.from[0] === 'trunk1', 'parityHead reads trunk1');
  }],
  ['connect a layer to a task\'s node: it becomes the task\'s head', async (d) => {
    await dragBetween(d.page, await center(d.page, '.react-flow__node[data-id="trunk2"] .react-flow__handle.source'),
      await center(d.page, '.react-flow__node[data-id="task:parity"] .react-flow__handle.target'));
    await until(() => spec(d).model.outputs.parity === 'trunk2', 'outputs.parity = trunk2');
  }],
  ['select a connection and press Delete: the input is removed', async (d) => {
    await d.page.locator('.react-flow__edge[data-id^="from:trunk2->parityHead"] .react-flow__edge-interaction').click({ force: true });
    await d.page.waitForSelector('.react-flow__edge.selected');
    await d.page.keyboard.press('Delete');
    await until(() => layer(d, 'parityHead')?.from.length === 0, 'parityHead has no input');
  }],
  ['move: drag a node; the layout then names every node, as they are on screen', async (d) => {
    const at = await center(d.page, '.react-flow__node[data-id="trunk2"] .node-title');
    await dragBetween(d.page, at, { x: at.x + 60, y: at.y + 90 });
    await until(() => spec(d).layout?.trunk2 !== undefined, 'layout.trunk2');
    assert.deepEqual(Object.keys(spec(d).layout ?? {}).sort(), [...ALL_NODES].sort());
    await d.page.waitForTimeout(200);
    const moved = (await node(d.page, 'trunk2').boundingBox())!;
    const image = (await node(d.page, 'image').boundingBox())!;
    assert.ok(moved.y > image.y + 40, 'trunk2 stays where it was dropped, the others where they were');
  }],
  ['"Auto-layout" loads elk on demand and saves every position, as one edit', async (d) => {
    await d.page.click('vscode-button:has-text("Auto-layout")');
    await until(() => Object.keys(spec(d).layout ?? {}).length === ALL_NODES.length, 'a complete layout');
    assert.equal(d.received.filter((m) => m.type === 'edit').length, 1);
    await d.page.waitForTimeout(400);
    assert.equal(await allInSight(d.page), ALL_NODES.length);
  }],
  ['keyboard: Ctrl+D duplicates the selection, Delete removes it', async (d) => {
    await node(d.page, 'digitHead').click();
    await d.page.keyboard.press('Control+d');
    await until(() => !!layer(d, 'digitHeadCopy'), 'digitHeadCopy');
    await d.page.waitForSelector('.react-flow__node[data-id="digitHeadCopy"].selected');
    await d.page.keyboard.press('Delete');
    await until(() => !layer(d, 'digitHeadCopy'), 'digitHeadCopy deleted');
  }],
  ['keyboard: Ctrl+A selects every node; Escape clears', async (d) => {
    await d.page.locator('.canvas').focus();
    await d.page.keyboard.press('Control+a');
    await d.page.waitForSelector('text=/\\d+ nodes selected/');
    await d.page.keyboard.press('Escape');
    await d.page.waitForSelector('text=Select a node on the canvas');
  }],
  ['keyboard: arrows move the selected node', async (d) => {
    await node(d.page, 'image').click();
    await d.page.keyboard.press('ArrowDown');
    await until(() => spec(d).layout?.image !== undefined, 'layout.image');
  }],
  ['keyboard only: Tab to a layer and Enter selects it, the palette adds a layer after it, "Connect output to…" connects it to another, C opens that list, a third is inspected', async (d) => {
    const page = d.page;
    await tabTo(page, '.react-flow__node[data-id="trunk2"]');
    assert.match(await focused(page), /^dense trunk2, 64 units · relu, reads trunk1, output \[64\], 8,256 parameters, shared by 2 tasks: digit, parity$/, 'the card is named for a screen reader');
    assert.equal(await node(page, 'trunk2').locator('.mts-node').evaluate((e) => getComputedStyle(e).outlineStyle), 'solid', 'focus is visible');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.node-form h2:text-is("trunk2")');
    // Back to the palette: Enter on "dense" adds one after the selected layer.
    await paletteTo(page, 'dense');
    await page.keyboard.press('Enter');
    await until(() => layer(d, 'dense1')?.from.join() === 'trunk2', 'dense1 reads trunk2');
    await page.waitForSelector('.node-form h2:text-is("dense1")');
    assert.equal(await page.locator('[data-testid="announcer"]').textContent(), 'Add dense layer: dense1.');
    // On to the inspector: "Connect output to…", then the arrow keys to digitHead, Enter.
    await tabTo(page, '#connect-to');
    await page.keyboard.press('Enter');
    for (let i = 0; i < 12 && !(await focused(page)).startsWith('digitHead'); i++) await page.keyboard.press('ArrowDown');
    assert.match(await focused(page), /^digitHead dense, instead of trunk2$/);
    await page.keyboard.press('Enter');
    await until(() => layer(d, 'digitHead')?.from.join() === 'dense1', 'digitHead reads dense1');
    assert.equal(await page.locator('[data-testid="announcer"]').textContent(), 'Connect dense1 to digitHead.');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'connect-to', 'focus back on the button');
    // C on the canvas opens the same list on the selected node; Escape closes it.
    await tabTo(page, '.react-flow__node[data-id="dense1"]', { backwards: true });
    await page.keyboard.press('c');
    await page.waitForSelector('#connect-to-list');
    assert.match(await focused(page), /^parityHead dense/, 'focus on the first choice');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#connect-to-list', { state: 'detached' });
    // Inspect another layer: Tab to it, Enter.
    await tabTo(page, '.react-flow__node[data-id="parityHead"]', { backwards: true });
    assert.match(await focused(page), /^dense parityHead, .*task parity$/);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.node-form h2:text-is("parityHead")');
    assert.deepEqual(d.received.flatMap((m) => (m.type === 'edit' ? [m.label] : [])), ['Add dense layer', 'Connect dense1 to digitHead'], 'the add and the connect, nothing else');
  }],
  ['keyboard only, from an empty experiment: two tasks, an input, a shared layer and a head per task, connected', async (d) => {
    const page = d.page;
    const selectNode = async (id: string): Promise<void> => {
      await tabTo(page, `.react-flow__node[data-id="${id}"]`, { backwards: true });
      // The card Tab reached is panned wholly into view, and stays there: the browser's own scroll of
      // the pane (which xyflow undoes a frame later) once made it look in view when the pan was worked out.
      for (let i = 0; i < 100 && !(await inSight(page)).includes(id); i++) await page.waitForTimeout(50);
      assert.ok((await inSight(page)).includes(id), `${id}, focused, lies wholly inside the canvas`);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`.node-form h2:text-is("${id}")`);
    };
    const addFromPalette = async (type: string, id: string): Promise<void> => {
      await paletteTo(page, type);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`.node-form h2:text-is("${id}")`);
    };
    const makeHead = async (layerId: string, task: string): Promise<void> => {
      await selectNode(layerId);
      await page.keyboard.press('c');
      await page.waitForSelector('#connect-to-list');
      for (let i = 0; i < 12 && (await focused(page)) !== `head of task ${task} no head yet`; i++) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await until(() => spec(d).model.outputs[task] === layerId, `${layerId} heads ${task}`);
    };
    // Two tasks: the inspector's tabs (arrow keys between them), then "Add task" twice.
    await tabTo(page, '#tab-node');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('#tab-tasks[aria-selected="true"]');
    await tabTo(page, 'vscode-button', { text: 'Add task' });
    await page.keyboard.press('Enter');
    await until(() => spec(d).tasks.length === 1, 'one task');
    await page.waitForSelector('.react-flow__node[data-id="task:task1"]'); // the designer has the new text: its next task is task2
    await page.keyboard.press('Enter');
    await until(() => spec(d).tasks.length === 2, 'two tasks');
    // An input, a layer after it, and one head after that layer for each task.
    await addFromPalette('input', 'input');
    await addFromPalette('dense', 'dense1');
    await addFromPalette('dense', 'dense2');
    await selectNode('dense1');
    await addFromPalette('dense', 'dense3');
    await makeHead('dense2', 'task1');
    await makeHead('dense3', 'task2');
    const s = spec(d);
    assert.deepEqual(s.model.layers.map((l) => [l.id, l.from]), [['dense1', ['input']], ['dense2', ['dense1']], ['dense3', ['dense1']]]);
    assert.deepEqual(s.model.outputs, { task1: 'dense2', task2: 'dense3' });
    await page.waitForFunction(() => /shared by 2 tasks: task1, task2$/.test(document.querySelector('.react-flow__node[data-id="dense1"]')?.getAttribute('aria-label') ?? ''));
  }, { text: `${JSON.stringify({
    name: 'empty', data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } }, tasks: [], model: { inputs: [], layers: [], outputs: {} },
    training: { optimizer: { type: 'adam', learningRate: 0.001 }, epochs: 1, batchSize: 32, seed: 1 },
  }, null, 2)}\n` }],
  ['keyboard: Tab and Shift+Tab through the inspector write nothing, after a setting changed in the text', async (d) => {
    await node(d.page, 'trunk2').click();
    await d.page.waitForSelector('.node-form h2:text-is("trunk2")');
    await d.setText(d.text.replace('"units": 64, "activation": "relu"', '"units": 64, "activation": "tanh"'));
    await d.page.waitForFunction(() => (document.querySelector('.field[data-path="model.layers.1.activation"] vscode-dropdown') as HTMLSelectElement | null)?.value === 'tanh');
    await tabTo(d.page, '.field[data-path="model.layers.1.activation"] vscode-dropdown');
    await d.page.keyboard.press('Shift+Tab');
    await d.page.keyboard.press('Tab');
    await d.page.keyboard.press('Tab');
    await d.page.waitForTimeout(100);
    assert.deepEqual(d.received.filter((m) => m.type === 'edit'), []);
  }],
  ['palette: drag "dense" onto the canvas adds it where dropped', async (d) => {
    const box = (await d.page.locator('.canvas').boundingBox())!;
    await d.page.dragAndDrop('.palette-item:text-is("dense")', '.canvas', { targetPosition: { x: box.width / 2, y: box.height - 80 } });
    await until(() => !!layer(d, 'dense1'), 'dense1');
    assert.ok(spec(d).layout?.dense1, 'dropped position saved');
  }],
  ['palette: clicking "mmoe" with trunk2 selected adds an MMoE block after it, one gate and one select per task', async (d) => {
    await node(d.page, 'trunk2').click();
    await d.page.click('.palette-item:text-is("mmoe")');
    await until(() => !!layer(d, 'mmoe1'), 'mmoe1');
    assert.deepEqual(layer(d, 'mmoe1'), { id: 'mmoe1', type: 'mmoe', experts: 4, units: 16, tasks: 2, from: ['trunk2'] });
    assert.deepEqual(layer(d, 'mmoe1_digit'), { id: 'mmoe1_digit', type: 'select', index: 0, from: ['mmoe1'] });
    assert.deepEqual(layer(d, 'mmoe1_parity'), { id: 'mmoe1_parity', type: 'select', index: 1, from: ['mmoe1'] });
    // The new nodes are drawn with their inferred shapes and counts: 4 experts 64x16+16, 2 gates 64x4+4.
    await d.page.waitForSelector('.react-flow__node[data-id="mmoe1"] .node-params:text-is("4,680 params")');
    await d.page.waitForSelector('.react-flow__node[data-id="mmoe1"] .node-shape:text-is("→ [2, 16]")');
    await d.page.waitForSelector('.react-flow__node[data-id="mmoe1_parity"] .node-shape:text-is("→ [16]")');
  }],
  ['inspector: typing units writes the number; a bad value is flagged and not written', async (d) => {
    await node(d.page, 'trunk2').click();
    const units = d.page.locator('.field[data-path="model.layers.1.units"] vscode-text-field');
    await units.click();
    await d.page.keyboard.press('Control+a');
    await d.page.keyboard.type('96');
    await until(() => (layer(d, 'trunk2') as { units?: number } | undefined)?.units === 96, 'units 96');
    await d.page.keyboard.type('x');
    await d.page.waitForSelector('.field[data-path="model.layers.1.units"] .field-problems li.error');
    assert.equal((layer(d, 'trunk2') as { units?: number }).units, 96);
  }],
  ['inspector: renaming a layer (on Enter) renames its references', async (d) => {
    await node(d.page, 'trunk2').click();
    const id = d.page.locator('.field[data-path="model.layers.1.id"] vscode-text-field');
    await id.click();
    await d.page.keyboard.press('Control+a');
    await d.page.keyboard.type('feat');
    assert.equal(layer(d, 'trunk2')?.id, 'trunk2', 'no rename while typing');
    await d.page.keyboard.press('Enter');
    await until(() => layer(d, 'digitHead')?.from[0] === 'feat', 'digitHead reads feat');
  }],
  ['training: the optimizer and schedule lists name their kinds as users know them (they read "rmsprop", "sgdr"); the document keeps the ids', async (d) => {
    await d.page.click('#tab-training');
    const options = async (path: string): Promise<string[]> =>
      (await d.page.locator(`.field[data-path="${path}"] vscode-dropdown vscode-option`).allTextContents()).map((t) => t.trim());
    assert.deepEqual(await options('training.optimizer.type'), ['SGD', 'Adam', 'RMSProp', 'Adagrad']);
    assert.deepEqual(await options('training.schedule.type'),
      ['Constant (default)', 'Constant', 'Step decay', 'Exponential decay', 'Cosine decay', 'Cosine with warm restarts (SGDR)']);
    const optimizer = d.page.locator('.field[data-path="training.optimizer.type"] vscode-dropdown');
    await optimizer.click();
    await optimizer.locator('vscode-option:text-is("RMSProp")').click();
    await until(() => spec(d).training.optimizer.type === 'rmsprop', 'optimizer rmsprop');
    // The data tab's pickers too: the source and a preprocessing step.
    await d.page.click('#tab-data');
    assert.ok((await options('data.source.type')).includes('MNIST digits'), (await options('data.source.type')).join(' | '));
    assert.ok(!(await options('data.source.type')).includes('synthetic-correlated'));
  }],
  ['training: L2 and gradient clipping say what empty means (off), not "optional"', async (d) => {
    await d.page.click('#tab-training');
    const placeholder = (path: string) => d.page.locator(`.field[data-path="${path}"] vscode-text-field`).getAttribute('placeholder');
    assert.equal(await placeholder('training.l2'), 'off (default 0)');
    assert.equal(await placeholder('training.clipNorm'), 'off (no clipping)');
    // A layer's own L2, empty, is the run's.
    await d.page.click('#tab-node');
    await d.page.click('.react-flow__node[data-id="trunk1"]');
    assert.equal(await placeholder('model.layers.0.l2'), 'as training.l2');
  }],
  ['training: switching the schedule to SGDR starts its settings and redraws the curve', async (d) => {
    await d.page.click('#tab-training');
    const before = await d.page.locator('.lr-preview polyline').getAttribute('points');
    await d.page.locator('.field[data-path="training.schedule.type"] vscode-dropdown').click();
    await d.page.locator('.field[data-path="training.schedule.type"] vscode-option:text-is("Cosine with warm restarts (SGDR)")').click();
    await until(() => spec(d).training.schedule?.type === 'sgdr', 'schedule sgdr');
    assert.deepEqual(spec(d).training.schedule, { type: 'sgdr', t0: 5, tMult: 2 });
    await d.page.waitForFunction((b) => document.querySelector('.lr-preview polyline')?.getAttribute('points') !== b, before);
  }],
  ['tasks: the loss list names losses as users call them, its default included; "sparse cross-entropy" picked writes sparseCategoricalCrossentropy', async (d) => {
    await d.page.click('#tab-tasks');
    const loss = d.page.locator('.field[data-path="tasks.0.loss"] vscode-dropdown');
    await loss.waitFor();
    assert.deepEqual((await loss.locator('vscode-option').allTextContents()).map((t) => t.trim()),
      ['cross-entropy (default)', 'sparse cross-entropy', 'binary cross-entropy', 'mean squared error', 'mean absolute error', 'Huber']);
    await loss.click();
    await loss.locator('vscode-option:text-is("sparse cross-entropy")').click();
    await until(() => spec(d).tasks[0]?.loss === 'sparseCategoricalCrossentropy', 'loss sparseCategoricalCrossentropy');
  }],
  ['training: the optimizer\'s help says what it does (it read "Adam."), and each setting\'s tooltip its default', async (d) => {
    await d.setText(digitsParityText.replace('"type": "sgd", "learningRate": 0.01', '"type": "adam", "learningRate": 0.001'));
    await d.page.click('#tab-training');
    const help = d.page.locator('.variant[data-path="training.optimizer"] > .variant-help');
    await help.waitFor();
    assert.match((await help.textContent()) ?? '', /^Adam \(Kingma & Ba 2015\): each weight's step scaled by running means of its gradient/);
    assert.equal(await d.page.locator('.field[data-path="training.optimizer.epsilon"] .field-label').getAttribute('title'), 'Small constant added to the step\'s divisor so that it is never zero (default 1e-7).');
  }],
  ['training: the weighting dropdown names methods by their titles (the id where it differs), its default included; PCGrad picked writes its id', async (d) => {
    await d.page.click('#tab-training');
    const method = d.page.locator('.field[data-path="training.weighting.method"] vscode-dropdown');
    const labels = await method.locator('vscode-option').allTextContents();
    assert.equal(labels[0]?.trim(), 'Equal (default)');
    for (const title of ['Static', 'DWA', 'GradNorm', 'PCGrad', 'UPGrad', 'Nash-MTL', 'IMTL-G · imtlg']) assert.ok(labels.some((l) => l.trim() === title), `"${title}" in ${labels.join(' | ')}`);
    assert.ok(!labels.some((l) => l.trim() === 'pcgrad'), 'no bare id where a title exists');
    await method.click();
    await method.locator('vscode-option:text-is("PCGrad")').click();
    await until(() => spec(d).training.weighting?.method === 'pcgrad', 'weighting pcgrad');
    assert.deepEqual(spec(d).training.weighting, { method: 'pcgrad' });
    // Its mode unset: the dropdown says which mode that is.
    const mode = d.page.locator('.field[data-path="training.weighting.mode"] vscode-dropdown');
    await mode.waitFor();
    const shown = () => mode.evaluate((el) => [...el.querySelectorAll('vscode-option')].find((o) => (o as Element & { selected?: boolean }).selected)?.textContent?.trim());
    assert.equal(await shown(), 'parameters (default)');
    // One entry per value: the default's own entry says so (a plain "parameters" under it read as another choice).
    assert.deepEqual((await mode.locator('vscode-option').allTextContents()).map((t) => t.trim()), ['parameters (default)', 'representation']);
    assert.equal(labels.filter((l) => /^Equal\b/.test(l.trim())).length, 1, `one Equal entry in ${labels.join(' | ')}`);
    await mode.click();
    await mode.locator('vscode-option:text-is("representation")').click();
    await until(() => spec(d).training.weighting?.mode === 'representation', 'mode representation');
  }],
  ['evaluation: repeats and cross-validation render from the schema with their defaults, write the document, and a bad fold count is flagged at its field', async (d) => {
    await d.page.click('#tab-training');
    const repeats = d.page.locator('.field[data-path="evaluation.repeats"] vscode-text-field');
    await d.page.waitForSelector('.field[data-path="evaluation.repeats"] label:text-is("Repeats")');
    assert.equal(await repeats.getAttribute('placeholder'), 'default 1');
    await repeats.click();
    await d.page.keyboard.press('Control+a');
    await d.page.keyboard.type('5');
    await until(() => spec(d).evaluation?.repeats === 5, 'repeats 5');
    assert.equal(await d.page.locator('.field[data-path="evaluation.crossValidation.folds"]').count(), 0, 'no fold settings before cross-validation is on');
    await d.page.locator('.field[data-path="evaluation.crossValidation"] vscode-checkbox').click();
    await until(() => JSON.stringify(spec(d).evaluation?.crossValidation) === '{"folds":5}', 'crossValidation { folds: 5 }');
    const test = d.page.locator('.field[data-path="evaluation.crossValidation.test"] vscode-dropdown');
    await test.click();
    await d.page.locator('.field[data-path="evaluation.crossValidation.test"] vscode-option:text-is("nested")').click();
    await until(() => spec(d).evaluation?.crossValidation?.test === 'nested', 'nested test folds');
    await d.setText(d.text.replace('"folds": 5', '"folds": 1'));
    await d.page.waitForSelector('.field[data-path="evaluation.crossValidation.folds"] .field-problems li.error');
  }],
  ['tasks: add a task, connect nothing: it shows as a task node asking for a head', async (d) => {
    await d.page.click('#tab-tasks');
    await d.page.click('vscode-button:has-text("Add task")');
    await until(() => spec(d).tasks.length === 3, 'three tasks');
    await d.page.waitForSelector('.react-flow__node[data-id="task:task1"] >> text=connect a head here');
  }],
  ['problems: clicking one selects its node and opens its field', async (d) => {
    await d.setText(d.text.replace('"units": 10,', '"units": 7,'));
    await d.page.click('.problem-item >> nth=0');
    await d.page.waitForSelector('.react-flow__node[data-id="digitHead"].selected');
    await d.page.waitForSelector('.node-form h2:text-is("digitHead")');
  }],
  ['data preview: a mixed column offers "Read as numbers"; the click is one edit setting columnTypes, and the refreshed summary no longer warns', async (d) => {
    await d.page.click('#tab-data');
    await d.page.click('text=Preview data');
    const choice = d.page.locator('[data-testid="mixed-age"]');
    await choice.waitFor();
    assert.match(await choice.innerText(), /Column age mixes numbers \(37 cells\) and text \(3 cells, e\.g\. 'unknown', 'forty', 'n\.a\.' on lines 5, 11, 24\)/);
    // A summary of other data settings (the seed changed in the text) offers nothing to click.
    const before = d.text;
    const numbers = choice.locator('vscode-button:has-text("Read as numbers")');
    await d.setText(before.replace('"seed": 1 }', '"seed": 2 }'));
    await d.page.waitForSelector('.data-preview-stale');
    // The toolkit's button reflects `disabled` as an attribute in its own update, a moment after the render (CI saw null here).
    await d.page.waitForFunction((el) => el?.getAttribute('disabled') === '', await numbers.elementHandle(), { timeout: 5000 });
    await d.setText(before);
    await d.page.waitForSelector('.data-preview-stale', { state: 'detached' });
    await numbers.click();
    await until(() => d.text !== before, 'the edit');
    const edits = d.received.filter((m) => m.type === 'edit');
    assert.deepEqual(edits.map((m) => m.type === 'edit' && m.label), ['Read column age as numbers']);
    const r = minimalReplace(before, d.text);
    assert.equal(r.text, ', "columnTypes": { "age": "numeric" }', 'only the declaration is added, in the line\'s style');
    assert.equal(before.slice(r.start, r.end), '');
    // Decided: no choice offered any more; the preview is of other settings until refreshed.
    await choice.waitFor({ state: 'detached' });
    await d.page.waitForSelector('.data-preview-stale');
    await d.page.click('text=Refresh preview');
    await d.page.waitForSelector('.data-preview-stale', { state: 'detached' });
    await d.page.waitForSelector('[data-testid="data-summary"]:not(.stale)');
    const notes = await d.page.locator('.data-notes').textContent() ?? '';
    assert.doesNotMatch(notes, /mixes numbers/);
    assert.match(notes, /'age': 3 text cells read as missing values/);
    assert.equal(await d.page.locator('[data-testid^="mixed-"]').count(), 0);
  }, mixedColumn],
  ['an edit the host answers as not applied: the reason shows in a banner, named by what the user did; the text stays', async (d) => {
    const before = d.text;
    d.refuseEdits = 'the document changed under the edit';
    await d.page.click('vscode-button:has-text("Auto-layout")');
    await d.page.waitForSelector('.banner.warning >> text="Auto-layout: the document changed under the edit"');
    assert.equal(d.text, before);
    assert.equal(d.received.filter((m) => m.type === 'edit').length, 1);
  }],
  ['invalid JSON: banner with line and column, canvas read-only; valid again restores', async (d) => {
    const good = d.text;
    await d.setText(good.replace('"epochs": 10', '"epochs": 10,,'));
    await d.page.waitForSelector('.banner.error >> text=/line \\d+, column \\d+/');
    assert.equal(await d.page.locator('.palette-item').first().isDisabled(), true);
    await d.setText(good);
    await d.page.waitForSelector('.banner.error', { state: 'detached' });
  }],
  ['invalid JSON: the "read-only" tag covers nothing of the graph: at least 8 px from the shared trunk\'s box and every card, at 1400x820 and 900x700', async (d) => {
    for (const [width, height] of [[1400, 820], [900, 700]] as const) {
      await d.page.setViewportSize({ width, height });
      await d.setText(digitsParityText.replace('"units": 64,', '"units": 64,,'));
      const tag = d.page.locator('.read-only-tag');
      await tag.waitFor();
      await d.page.waitForTimeout(300); // the canvas settles to its new size
      const gaps = await d.page.evaluate(() => {
        const t = document.querySelector('.read-only-tag')!.getBoundingClientRect();
        // The distance between two boxes: 0 when they overlap or touch.
        const gap = (r: DOMRect) => Math.hypot(Math.max(0, r.left - t.right, t.left - r.right), Math.max(0, r.top - t.bottom, t.top - r.bottom));
        return [...document.querySelectorAll('.mts-group, .react-flow__node')].map((e) => ({ what: e.getAttribute('data-id') ?? e.className, gap: gap(e.getBoundingClientRect()) }));
      });
      assert.ok(gaps.some((g) => g.what.includes('shared')), 'the shared trunk\'s box is drawn');
      const near = gaps.filter((g) => g.gap < 8).map((g) => `${g.what} ${g.gap.toFixed(1)} px`);
      assert.deepEqual(near, [], `at ${width}x${height}, closer than 8 px to the read-only tag`);
      await d.setText(digitsParityText);
      await tag.waitFor({ state: 'detached' });
    }
  }],
  ['520x700 (an editor split in two), nothing selected: the inspector is a strip under the canvas, which gets the room; selecting a node opens the inspector and back, the graph never turning', async (d) => {
    // Which way the graph reads: the input's outgoing handle is at the bottom (TB) or on the right (LR).
    const direction = () => d.page.locator('.react-flow__node[data-id="image"] .react-flow__handle.source').evaluate((h) => (h.classList.contains('react-flow__handle-bottom') ? 'TB' : 'LR'));
    const heights = async () => ({ canvas: (await d.page.locator('.canvas-area').boundingBox())!.height, inspector: (await d.page.locator('.inspector').boundingBox())!.height });
    const settle = () => d.page.waitForTimeout(300); // the canvas observes its new size, the graph is framed again
    await settle();
    // Two sides out of view, one arrow: "↓→" drew its second arrow over "More" (fallback font).
    assert.match((await d.page.locator('.toolbar .out-of-view-hint').textContent()) ?? '', /^[↑↓←→] More \w+ and \w+ · Fit view$/);
    const first = await direction();
    const idle = await heights();
    assert.ok(idle.inspector <= 110 && idle.canvas >= 350, `nothing selected: the canvas ${idle.canvas} px tall, the inspector ${idle.inspector} px`);
    await d.page.locator('.inspector .empty-note').waitFor();
    for (let round = 0; round < 2; round++) {
      await node(d.page, 'trunk2').click();
      await d.page.waitForSelector('.node-form h2:text-is("trunk2")');
      await settle();
      const open = await heights();
      assert.ok(open.inspector >= 200, `a node selected: the inspector ${open.inspector} px tall`);
      assert.equal(await direction(), first, 'the graph turned when a node was selected');
      // The clicked card stays in sight above the inspector that opened under it.
      const card = (await node(d.page, 'trunk2').boundingBox())!, canvas = (await d.page.locator('.canvas-area').boundingBox())!;
      assert.ok(card.y >= canvas.y && card.y + card.height <= canvas.y + canvas.height, `trunk2 at ${card.y}..${card.y + card.height}, the canvas ${canvas.y}..${canvas.y + canvas.height}`);
      await d.page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await d.page.locator('.inspector .empty-note').waitFor();
      await settle();
      assert.ok((await heights()).inspector <= 110, 'the inspector a strip again');
      assert.equal(await direction(), first, 'the graph turned when the selection was cleared');
    }
    // Another tab keeps its room: the Training tab is never a strip.
    await d.page.click('#tab-training');
    assert.ok((await heights()).inspector >= 200, 'the Training tab has the inspector\'s room');
  }, { width: 520, height: 700 }],
  // multimnist-cnn: digits-parity now opens whole at 900x700 (compact cards); this one is too tall to.
  // Both side panels opened there (they start collapsed at 900 px, sidePanels.ts): a ~500 px canvas.
  ['900x700, both panels opened, no room for the minimap: the toolbar\'s Fit view button says the task cards are below, and fits the whole graph when clicked', async (d) => {
    const hint = d.page.locator('.toolbar .out-of-view-hint');
    await hint.waitFor();
    assert.equal(await d.page.locator('.canvas .out-of-view-hint').count(), 0, 'nothing on the canvas covers the cards past its edge');
    assert.ok(!(await inSight(d.page)).includes('task:left'), 'the left task card opens below the fold');
    assert.equal(await d.page.locator('.react-flow__minimap').count(), 0, 'no minimap at this size');
    assert.match((await hint.textContent()) ?? '', /^↓.*More below\b.*· Fit view$/);
    await hint.click();
    await hint.waitFor({ state: 'detached' });
    await d.page.locator('.toolbar vscode-button:text-is("Fit view")').waitFor(); // the plain button again, once all is in view
    await d.page.waitForTimeout(300); // the fit's 200 ms animation
    const all = await d.page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => e.getAttribute('data-id') ?? ''));
    assert.deepEqual((await inSight(d.page)).sort(), all.sort(), 'every card in sight after the hint is clicked');
  }, { text: fs.readFileSync(path.resolve(ROOT, 'examples/multimnist-cnn/multimnist-cnn.mtl.json'), 'utf8'), width: 900, height: 700, panels: { ...DEFAULT_PANELS, narrowPalette: true, narrowInspector: true } }],
  ['Ctrl+S right after typing in a field: the typed value is sent at once, then a save after it; Ctrl+S with nothing pending sends no save of its own', async (d) => {
    await d.page.click('#tab-training');
    const input = d.page.locator('.field[data-path="training.epochs"] vscode-text-field input');
    await input.click();
    await d.page.keyboard.press('Control+A');
    // Within the typing pause (350 ms): VS Code's own save, run at once, would miss the 7.
    await d.page.keyboard.type('7');
    await d.page.keyboard.press('Control+S');
    await until(() => d.received.some((m) => m.type === 'saveAfterEdits'), 'the save note');
    const order = d.received.flatMap((m) => (m.type === 'edit' ? [`edit ${JSON.stringify(m.ops)}`] : m.type === 'saveAfterEdits' ? ['save'] : []));
    assert.deepEqual(order, ['edit [{"op":"set","path":["training","epochs"],"value":7}]', 'save'], 'the edit, then the save');
    // Nothing pending (the edit is written): the keystroke is VS Code's alone.
    await d.page.keyboard.press('Control+S');
    await d.page.waitForTimeout(500);
    assert.equal(d.received.filter((m) => m.type === 'saveAfterEdits').length, 1, 'one save note only');
  }],
  ['toolkit controls follow the theme: a text field of the light theme is white (toolkit.js loads after the page\'s load event)', async (d) => {
    await d.page.click('#tab-training');
    const field = d.page.locator('.field[data-path="training.epochs"] vscode-text-field');
    await field.waitFor();
    const background = () => field.evaluate((el) => {
      const root = el.shadowRoot?.querySelector('.root');
      return root ? getComputedStyle(root).backgroundColor : 'not drawn yet';
    });
    // The toolkit's default is VS Code's dark palette (#3c3c3c): it reads the theme's variables
    // only on the window's load event, which has passed when toolkit.js arrives.
    const white = await d.page.waitForFunction(() => {
      const root = document.querySelector('.field[data-path="training.epochs"] vscode-text-field')?.shadowRoot?.querySelector('.root');
      return root && getComputedStyle(root).backgroundColor === 'rgb(255, 255, 255)';
    }, undefined, { timeout: 5000 }).then(() => true, () => false);
    assert.ok(white, `the epochs field's background is ${await background()}, not the light theme's input background #ffffff`);
  }],
];

/**
 * Checks at a time, each on its own page of one browser: a check mostly waits on the page
 * (layout, animation frames), so one alone leaves a core of a two-core machine idle.
 * MTS_HARNESS_JOBS=1 runs them one after another.
 */
const JOBS = Math.max(1, Number(process.env.MTS_HARNESS_JOBS ?? 2) || 1);

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
  const chosen = checks.filter(([name]) => !only || name.includes(only));
  let failed = 0;
  const runCheck = async ([name, run, options]: (typeof checks)[number]): Promise<void> => {
    const d = await DesignerPage.open(browser, { bundleDir, text: digitsParityText, theme: LIGHT, ...options });
    try {
      await d.waitForLayout();
      await run(d);
      assert.deepEqual(d.errors, [], 'no console errors');
      console.log(`ok   ${name}`);
    } catch (error) {
      const n = ++failed;
      console.log(`FAIL ${name}\n     ${(error as Error).message.split('\n').join('\n     ')}`);
      await d.shot(path.join(ROOT, `test-output/designer/fail-${n}.png`));
    } finally {
      await d.close();
    }
  };
  try {
    const queue = [...chosen];
    const worker = async (): Promise<void> => {
      for (let check = queue.shift(); check !== undefined; check = queue.shift()) await runCheck(check);
    };
    await Promise.all(Array.from({ length: Math.min(JOBS, chosen.length) }, worker));
  } finally {
    await browser.close();
  }
  // The plain closing line that scripts/test.mjs counts.
  console.log(`${chosen.length - failed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
}

void main();
