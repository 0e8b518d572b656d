// Drives the designer bundle as a user would (mouse and keyboard) against the host emulator
// and checks the text it ends up with: connect, move, delete, duplicate, select all, palette
// drag and drop, inspector edits, problem navigation, invalid JSON, the data preview's choice
// for a mixed column. Run with
// `node test/unit/designer/harness/run.mjs interactions [filter]` (only the checks whose name
// contains the filter); exits non-zero on a failure.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { minimalReplace } from '../../../../src/core/edits';
import type { ExperimentSpec } from '../../../../src/core/spec';
import { digitsParityText, largeModel } from '../fixtures';
import { DesignerPage, type PageOptions } from './designerPage';
import { LIGHT } from '../../../harness/themes';

const bundleDir = process.argv[2]!;
const only = process.argv[3];
const spec = (d: DesignerPage): ExperimentSpec => JSON.parse(d.text) as ExperimentSpec;
const layer = (d: DesignerPage, id: string) => spec(d).model.layers.find((l) => l.id === id);
const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) { if (check()) return; await new Promise((r) => setTimeout(r, 50)); }
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

/** A csv experiment whose column age mixes numbers and words (the data preview reads it). */
const MIXED_DIR = path.resolve('test/fixtures/mixed-column');
const mixedColumn: Partial<PageOptions> = { text: fs.readFileSync(path.join(MIXED_DIR, 'mixed-column.mtl.json'), 'utf8'), workspaceDir: MIXED_DIR, height: 1000 };

/** Each check runs on a fresh page: the digits-parity document unless its options say otherwise. */
const checks: Array<[string, (d: DesignerPage) => Promise<void>, Partial<PageOptions>?]> = [
  ['first view: the whole graph in sight; still so when the editor is narrowed to ~650 px of canvas', async (d) => {
    assert.equal(await allInSight(d.page), ALL_NODES.length);
    const zoom = await d.page.locator('.react-flow__viewport').evaluate((e) => new DOMMatrixReadOnly(getComputedStyle(e).transform).a);
    assert.ok(zoom <= 1, `not blown up (zoom ${zoom})`);
    await d.page.setViewportSize({ width: 1150, height: 760 });
    await d.page.waitForTimeout(200);
    assert.ok((await d.page.locator('.canvas').boundingBox())!.width < 700);
    assert.equal(await allInSight(d.page), ALL_NODES.length);
  }],
  ['a 100-layer graph: "Fit view" shows every node, every edge drawn', async (d) => {
    await d.setText(JSON.stringify(largeModel(100), null, 2));
    await d.page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 104);
    await d.page.click('vscode-button:has-text("Fit view")');
    await d.page.waitForTimeout(400);
    assert.equal(await allInSight(d.page), 105);
  }],
  ['a layout naming only trunk1 (DESIGN.md): trunk1 where it says, the rest around it, no overlap', async (d) => {
    const doc = JSON.parse(digitsParityText) as Record<string, unknown>;
    doc.layout = { trunk1: { x: 0, y: 120 } };
    await d.setText(JSON.stringify(doc, null, 2));
    await d.page.waitForTimeout(200);
    await d.page.click('vscode-button:has-text("Fit view")');
    await d.page.waitForTimeout(400);
    assert.equal(await allInSight(d.page), ALL_NODES.length);
    const x = async (id: string) => (await node(d.page, id).boundingBox())!.x;
    assert.ok(await x('image') < await x('trunk1') && await x('trunk1') < await x('trunk2'), 'still reads left to right');
  }],
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
  ['training: switching the schedule to sgdr starts its settings and redraws the curve', async (d) => {
    await d.page.click('#tab-training');
    const before = await d.page.locator('.lr-preview polyline').getAttribute('points');
    await d.page.locator('.field[data-path="training.schedule.type"] vscode-dropdown').click();
    await d.page.locator('.field[data-path="training.schedule.type"] vscode-option:text-is("sgdr")').click();
    await until(() => spec(d).training.schedule?.type === 'sgdr', 'schedule sgdr');
    assert.deepEqual(spec(d).training.schedule, { type: 'sgdr', t0: 5, tMult: 2 });
    await d.page.waitForFunction((b) => document.querySelector('.lr-preview polyline')?.getAttribute('points') !== b, before);
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
    assert.equal(await numbers.getAttribute('disabled'), '');
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
];

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
  let failed = 0;
  try {
    for (const [name, run, options] of checks) {
      if (only && !name.includes(only)) continue;
      const d = await DesignerPage.open(browser, { bundleDir, text: digitsParityText, theme: LIGHT, ...options });
      try {
        await d.waitForLayout();
        await run(d);
        assert.deepEqual(d.errors, [], 'no console errors');
        console.log(`ok   ${name}`);
      } catch (error) {
        failed++;
        console.log(`FAIL ${name}\n     ${(error as Error).message.split('\n').join('\n     ')}`);
        await d.shot(`test-output/designer/fail-${failed}.png`);
      } finally {
        await d.close();
      }
    }
  } finally {
    await browser.close();
  }
  const ran = checks.filter(([name]) => !only || name.includes(only)).length;
  // The plain closing line that scripts/test.mjs counts.
  console.log(`${ran - failed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
}

void main();
