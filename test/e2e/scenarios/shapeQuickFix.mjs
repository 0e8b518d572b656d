// An input of shape [5] on a csv of 13 feature columns (fixtures/shape-mismatch): opening the
// designer is enough for the trainer's loaders to count the features (no "Preview data"
// click), the input node and the problems list show the mismatch, the Problems panel lists it
// with the same words, and the problem's "Set shape to [13]" button edits the text; Ctrl+S
// writes exactly that change, and Ctrl+Z brings the problem back.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText } from '../expect.mjs';

const MESSAGE = /Input "x" is \[5\], the data gives 13 features per example: set \[13\]\./;

export default {
  name: 'input shape quick fix',
  workspace: 'shape-mismatch',
  async run(s) {
    const { page } = s;
    const file = path.join(s.workspace, 'wine.mtl.json');
    const original = fs.readFileSync(file, 'utf8');
    const d = await s.openDesigner('wine.mtl.json');
    const input = d.locator('.react-flow__node[data-id="x"]');

    // Found on opening: the automatic data summary (a trainer child) counted 13 features.
    const problem = d.locator('.problem-list li.error', { hasText: MESSAGE });
    await expectText(problem, MESSAGE, 'the mismatch in the problems list', 90_000);
    await expectText(problem.locator('.where'), 'model.inputs[0].shape', 'the problem\'s place');
    await expectText(input.locator('.problem-badge'), /1/, 'the problem badge on the input node');
    await expectText(input.locator('.node-shape'), /→ \[5\]/, 'the input\'s shape on its card');
    await s.screenshot('mismatch-in-designer');
    // The Data tab holds the summary that counted them, though nobody pressed "Preview data".
    await d.locator('#tab-data').click();
    const facts = d.locator('[data-testid="data-summary"] .data-facts');
    await expectText(facts, /Examples\s*24\b/, 'the examples of the automatic summary');
    await expectText(facts, /shape \[13\]/, 'the features of the automatic summary');
    await s.screenshot('automatic-data-summary');

    const rows = await s.problemsPanelRows();
    assert(rows.some((r) => MESSAGE.test(r)), `the Problems panel lists the mismatch: ${rows.join(' | ')}`);
    await s.screenshot('mismatch-in-problems-panel');

    // The quick fix: one designer edit of the text.
    const fix = problem.locator('button.quick-fix');
    await expectText(fix, 'Set shape to [13]', 'the quick fix button');
    await fix.click();
    await expectText(input.locator('.node-shape'), /→ \[13\]/, 'the input\'s shape after the fix');
    await expectText(d.locator('.problems-toggle'), /No problems/, 'the problem summary after the fix');
    assert((await input.locator('.problem-badge').count()) === 0, 'the input node has no problem badge left');
    await page.locator('.tabs-container .tab.active.dirty').waitFor();
    await s.screenshot('fixed');

    await d.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+S');
    await s.waitUntil(() => page.locator('.tabs-container .tab.active.dirty').count().then((n) => n === 0), 'the tab to be saved');
    const saved = fs.readFileSync(file, 'utf8');
    assert(saved === original.replace('"shape": [5]', '"shape": [13]'), `the saved file differs from the original only in the shape:\n${saved}`);

    // Undo brings the shape, and so the problem, back.
    await d.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+Z');
    await expectText(input.locator('.node-shape'), /→ \[5\]/, 'the input\'s shape after Ctrl+Z');
    await expectText(d.locator('.problem-list li.error'), MESSAGE, 'the mismatch after Ctrl+Z');
    await s.screenshot('undone');

    const errors = s.consoleErrors.filter((e) => !/Failed to load resource/.test(e));
    assert(errors.length === 0, `console errors: ${errors.join('\n')}`);
  },
};
