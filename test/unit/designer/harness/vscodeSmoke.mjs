// The designer in a real VS Code (code-server), through the e2e harness of test/e2e: open
// an experiment, edit in the inspector (tab dirty), undo, a problem in the Problems panel,
// a second designer on the same document following the first, invalid JSON typed in the
// text editor (banner, last graph read-only) and undone. Prints what it saw; screenshots in
// test-output/e2e/designer-vscode-smoke/. A candidate for the lead's test/e2e/scenarios.
//   MTS_EXTENSION_PATH=<built folder> node test/unit/designer/harness/vscodeSmoke.mjs
import assert from 'node:assert/strict';
import { prepareRun, withSession } from '../../../e2e/harness.mjs';

/** VS Code runs select-all for webviews asynchronously: let it land before typing. */
async function replaceText(page, field, text) {
  await field.click();
  await page.keyboard.press('Control+A');
  await page.waitForTimeout(300);
  await page.keyboard.type(text, { delay: 50 });
}

/** The ids of nodes drawn outside the canvas (the first view must show the whole graph). */
async function outOfSight(frame) {
  return frame.locator('.canvas').evaluate((canvas) => {
    const c = canvas.getBoundingClientRect();
    return [...canvas.querySelectorAll('.react-flow__node')].filter((n) => {
      const r = n.getBoundingClientRect();
      return r.left < c.left - 0.5 || r.top < c.top - 0.5 || r.right > c.right + 0.5 || r.bottom > c.bottom + 0.5;
    }).map((n) => n.getAttribute('data-id'));
  });
}

const run = await prepareRun();
try {
  await withSession(run, { name: 'designer vscode smoke', workspace: 'demo' }, async (s) => {
    const { page } = s;
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('demo.mtl.json');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
    await page.keyboard.press('Enter');
    const designer = (n) => page.frameLocator(`iframe.webview.ready >> nth=${n}`).frameLocator('#active-frame');
    const left = designer(0);
    await left.locator('.canvas[data-layout="ready"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500); // VS Code settles the editor's size after opening
    await s.screenshot('opened');
    assert.deepEqual(await outOfSight(left), [], 'first view: the whole graph in sight');
    console.log('first view shows the whole graph: ok');

    // An inspector edit is a document edit: the tab is dirty, undo restores the value.
    await left.locator('.react-flow__node[data-id="trunk2"]').click();
    await replaceText(page, left.locator('.field[data-path="model.layers.1.units"] vscode-text-field'), '48');
    await left.locator('.react-flow__node[data-id="trunk2"] >> text=48 units').waitFor();
    assert.equal(await page.locator('.tab.active.dirty').count(), 1, 'dirty tab');
    await left.locator('.react-flow__node[data-id="image"]').click();
    await page.keyboard.press('Control+Z');
    await left.locator('.react-flow__node[data-id="trunk2"] >> text=64 units').waitFor();
    console.log('edit, dirty tab, undo: ok');

    // A problem shows on the node, in the designer's list and in the Problems panel.
    await left.locator('.react-flow__node[data-id="digitHead"]').click();
    await replaceText(page, left.locator('.field[data-path="model.layers.2.units"] vscode-text-field'), '3');
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'outputs 3 values' });
    await row.waitFor();
    console.log(`Problems panel: ${(await row.textContent())?.trim()}`);
    await s.screenshot('problem');
    await left.locator('.react-flow__node[data-id="image"]').click();
    await page.keyboard.press('Control+Z');
    await row.waitFor({ state: 'detached' });

    // A second designer on the same document follows the first.
    await s.runCommand('View: Split Editor Right');
    const right = designer(1);
    await right.locator('.canvas[data-layout="ready"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    assert.deepEqual(await outOfSight(right), [], 'a designer in half the editor shows the whole graph');
    assert.deepEqual(await outOfSight(left), [], 'the first designer, narrowed by the split, still shows the whole graph');
    console.log('split editor: both designers show the whole graph: ok');
    await left.locator('.react-flow__node[data-id="trunk2"]').click();
    await replaceText(page, left.locator('.field[data-path="model.layers.1.units"] vscode-text-field'), '40');
    await right.locator('.react-flow__node[data-id="trunk2"] >> text=40 units').waitFor();
    console.log('second designer follows: ok');
    await s.screenshot('two-designers');

    // Invalid JSON typed in the text editor: banner, last graph kept read-only; undo clears it.
    await left.locator('vscode-button:has-text("Show in text")').click();
    await page.locator('.monaco-editor .view-lines').first().waitFor();
    await page.waitForTimeout(800);
    await page.keyboard.type(',,');
    await left.locator('.banner.error').waitFor();
    console.log(`banner: ${(await left.locator('.banner.error').textContent())?.slice(0, 110)}…`);
    assert.ok(await left.locator('.react-flow__node[data-id="trunk2"]').isVisible(), 'last graph still shown');
    await s.screenshot('invalid-json');
    await page.keyboard.press('Control+Z');
    await left.locator('.banner.error').waitFor({ state: 'detached' });
    console.log('invalid JSON banner and recovery: ok');
    const errors = s.consoleErrors.filter((e) => !/Failed to load resource/.test(e));
    assert.deepEqual(errors, [], 'no console errors');
  });
  console.log('designer vscode smoke: passed');
} finally {
  run.dispose();
}
