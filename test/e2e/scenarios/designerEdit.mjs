// Editing in the designer is editing the file: add a dense layer from the palette, drag a
// connection from the trunk into it, route both heads through it with the inspector's input
// picker (so it becomes part of the shared trunk), set its units; Ctrl+S writes exactly that
// to the *.mtl.json; Ctrl+Z steps back through the edits until the layer is gone, and saving
// again restores the original file byte for byte. Then "Preview data" in the Data tab: the
// trainer child loads the digits as training would (sample digits, class balance); an
// unsaved change of the limit marks the preview stale and a refresh follows the edit.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText } from '../expect.mjs';

/** Drags from one xyflow handle to another with the mouse, in small steps as a hand would. */
async function dragHandle(page, from, to) {
  const a = await from.boundingBox();
  const b = await to.boundingBox();
  assert(a && b, 'both handles are on screen');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 20, a.y + a.height / 2 + 10, { steps: 4 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** Picks `label` in a toolkit drop-down (vscode-dropdown): open it, click the option. */
async function choose(dropdown, label) {
  await dropdown.click();
  await dropdown.locator('vscode-option', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).click();
}

/** "Preview data": digits drawn, class balance of both tasks, then a stale preview refreshed after an unsaved edit. */
async function previewData(s, d) {
  await d.locator('#tab-data').click();
  const button = d.locator('vscode-button[aria-label^="Preview data"]');
  await button.focus();
  await s.page.keyboard.press('Enter'); // keyboard, as a user without a mouse would
  const facts = d.locator('[data-testid="data-summary"] .data-facts');
  await expectText(facts, /Examples\s*10,000/, 'the number of examples', 60_000);
  await expectText(facts, /8,000 train · 1,000 validation · 1,000 test/, 'the split sizes');
  const canvases = d.locator('[data-testid="sample-images"] canvas');
  assert((await canvases.count()) === 10, `10 sample digits, got ${await canvases.count()}`);
  const ink = await canvases.evaluateAll((cs) => cs.map((c) => {
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let lit = 0;
    for (let i = 0; i < px.length; i += 4) if (px[i] > 128) lit++;
    return lit;
  }));
  assert(ink.every((n) => n > 40 && n < 500), `every sample digit has ink on a dark ground: ${ink.join(', ')}`);
  const digit = d.locator('section[aria-label="Class balance of task digit"]');
  await expectText(digit.locator('h5'), /10 classes, 10,000 examples/, 'the digit task heading');
  assert((await digit.locator('tbody tr').count()) === 10, 'one bar per digit');
  await expectText(d.locator('section[aria-label="Class balance of task parity"] h5'), /2 classes, 10,000 examples/, 'the parity task heading');
  await d.locator('.split-choice button', { hasText: 'Test' }).click();
  await expectText(digit.locator('h5'), /10 classes, 1,000 examples/, 'the digit classes of the test split');
  await d.locator('.split-choice button', { hasText: 'All' }).click();
  await d.locator('[data-testid="data-summary"]').scrollIntoViewIfNeeded();
  await s.screenshot('data-preview');

  // An unsaved edit of the data settings: the preview is marked stale; a refresh reads the edit.
  await s.replaceText(d.locator('.inspector .field[data-path="data.source.limit"] vscode-text-field'), '500');
  await d.locator('.data-preview-stale').waitFor();
  await d.locator('vscode-button[aria-label^="Preview data"]').click();
  await expectText(facts, /Examples\s*500\b/, 'the examples after the edit', 60_000);
  await expectText(facts, /400 train · 50 validation · 50 test/, 'the split after the edit');
  assert((await d.locator('.data-preview-stale').count()) === 0, 'the refreshed preview is not stale');
  await s.screenshot('data-preview-limit');
}

export default {
  name: 'designer edit, save and undo',
  workspace: 'demo',
  async run(s) {
    const { page } = s;
    const file = path.join(s.workspace, 'demo.mtl.json');
    const original = fs.readFileSync(file, 'utf8');
    const d = await s.openDesigner('demo.mtl.json');
    const summary = d.locator('footer.summary');
    await expectText(summary, /Parameters\s*109,451/, 'parameters before the edit');
    const node = (id) => d.locator(`.react-flow__node[data-id="${id}"]`);

    // Palette → a new dense layer, selected in the inspector, not connected yet.
    await d.locator('.palette-item', { hasText: /^dense$/ }).click();
    const id = await expectText(d.locator('.inspector .node-header h2'), /^dense\d+$/, 'the new layer in the inspector');
    await node(id).waitFor();
    await expectText(d.locator('.inspector .chip-list').first(), /None yet/, `${id}'s inputs`);
    await d.locator('vscode-button', { hasText: 'Fit view' }).click();
    // The fit is animated: the whole graph is in view once the minimap (shown only while part
    // of it is out of view) is gone; the handles are read, and the picture taken, once the view
    // has stopped moving (its transform the same twice running) with every node, the new one
    // included, wholly inside the canvas.
    await d.locator('.react-flow__minimap').waitFor({ state: 'detached' });
    let transform = '';
    await s.waitUntil(async () => {
      const now = await d.locator('.react-flow__viewport').getAttribute('style');
      const still = now === transform;
      transform = now;
      return still && d.locator('.react-flow__node').evaluateAll((ns) => ns.length === 8 && ns.every((n) => {
        const r = n.getBoundingClientRect(), c = document.querySelector('.react-flow').getBoundingClientRect();
        return r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom;
      }));
    }, `the fitted view to settle with the 8 nodes (${id} among them) inside the canvas`);
    await s.screenshot('layer-added');

    // Drag from trunk2's output handle onto the new layer's input handle.
    await dragHandle(page, node('trunk2').locator('.react-flow__handle.source'), node(id).locator('.react-flow__handle.target'));
    await d.locator(`.react-flow__edge[aria-label="trunk2 feeds ${id}"]`).waitFor({ state: 'attached' });
    await expectText(node(id).locator('.node-shape'), /→ \[\d+\]/, `${id}'s output shape once connected`);

    // Both heads read from the new layer instead of trunk2 (inspector: "Replace input with…").
    for (const head of ['digitHead', 'parityHead']) {
      await node(head).click();
      await expectText(d.locator('.inspector .node-header h2'), head, 'the head in the inspector');
      await choose(d.locator('.inspector vscode-dropdown[aria-label="Set the input"]'), id);
      await d.locator(`.react-flow__edge[aria-label="${id} feeds ${head}"]`).waitFor({ state: 'attached' });
    }
    await expectText(node(id).locator('.shared-badge'), /Shared · 2 tasks/, `${id} is now part of the shared trunk`);

    // Units in the inspector: typed as a user types.
    await node(id).click();
    const index = JSON.parse(original).model.layers.length;
    const units = d.locator(`.inspector .field[data-path="model.layers.${index}.units"] vscode-text-field`);
    const unitsBefore = await units.evaluate((el) => el.value);
    await s.replaceText(units, '48');
    // The card: its shape on it; its settings in its name (read by screen readers), as a graph
    // framed whole with compact cards leaves the settings line out (nodes.tsx cardLook), edits or not.
    await expectText(node(id).locator('.node-shape'), /→ \[48\]/, `${id}'s card`);
    await s.waitUntil(async () => /, 48 units\b/.test((await node(id).getAttribute('aria-label')) ?? ''), `${id}'s card named with 48 units`);
    // 784·128+128 + 128·64+64 + 64·48+48 (new, shared) = 111,856 shared; + 48·10+10 + 48+1 = 112,395.
    await expectText(summary, /Parameters\s*112,395/, 'parameters after the edit');
    await expectText(summary, /Shared\s*111,856/, 'shared parameters after the edit');
    await page.locator('.tabs-container .tab.active.dirty').waitFor();
    // The edits live in the editor until Ctrl+S (auto save is off, as on the desktop; harness.mjs).
    assert(fs.readFileSync(file, 'utf8') === original, 'the file on disk is unchanged before Ctrl+S');
    await s.screenshot('edited');

    // Ctrl+S from the designer (the canvas has the focus, not a text field).
    await d.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+S');
    await s.waitUntil(() => page.locator('.tabs-container .tab.active.dirty').count().then((n) => n === 0), 'the tab to be saved');
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    const layer = saved.model.layers.find((l) => l.id === id);
    assert(layer && layer.type === 'dense' && layer.units === 48 && JSON.stringify(layer.from) === '["trunk2"]',
      `the saved file has ${id} (dense, 48 units, from trunk2): ${JSON.stringify(layer)}`);
    for (const head of ['digitHead', 'parityHead']) {
      const from = saved.model.layers.find((l) => l.id === head)?.from;
      assert(JSON.stringify(from) === JSON.stringify([id]), `the saved ${head} reads from ${id}: ${JSON.stringify(from)}`);
    }

    // Undo (Ctrl+Z with the designer focused): the last edit first, then back to the start.
    const fingerprint = async () => [await summary.textContent(), await d.locator('.react-flow__node').evaluateAll((ns) => ns.map((n) => n.textContent).join('|')),
      await d.locator('.react-flow__edge').count()].join('#');
    const undo = async () => {
      const before = await fingerprint();
      await d.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
      await page.keyboard.press('Control+Z');
      await s.waitUntil(async () => (await fingerprint()) !== before, 'Ctrl+Z to change the designer', 15_000);
    };
    await undo();
    await s.waitUntil(async () => new RegExp(`, ${unitsBefore} units\\b`).test((await node(id).getAttribute('aria-label')) ?? ''), `${id}'s units after one undo`);
    let steps = 1;
    while (await node(id).count()) {
      assert(steps < 8, `${id} is still there after ${steps} undo steps`);
      await undo();
      steps++;
    }
    console.log(`    ${steps} undo steps back to the original graph`);
    await expectText(summary, /Parameters\s*109,451/, 'parameters after undoing everything');
    await page.locator('.tabs-container .tab.active.dirty').waitFor();
    await s.screenshot('undone');
    await page.keyboard.press('Control+S');
    await s.waitUntil(() => fs.readFileSync(file, 'utf8') === original, 'the saved file to be the original again');
    assert(!fs.readFileSync(file, 'utf8').includes(`"${id}"`), `the file still mentions ${id}`);

    await previewData(s, d);
    const errors = s.consoleErrors.filter((e) => !/Failed to load resource/.test(e));
    assert(errors.length === 0, `console errors: ${errors.join('\n')}`);
  },
};
