// The designer and the text are one document:
// two designers side by side follow each other; "Show in text" opens the JSON with the
// value selected; text typed there that breaks the JSON puts a banner on the designer and
// keeps the last graph read-only; undo in the text editor brings the designer back.
import { assert, expectText } from '../expect.mjs';

export default {
  name: 'designer and text stay in sync',
  workspace: 'demo',
  async run(s) {
    const { page } = s;
    await s.openDesigner('demo.mtl.json');
    await s.runCommand('View: Split Editor Right');
    const [left, right] = await s.webviewFrames('Designer: demo.mtl.json', 2);
    await right.locator('.canvas[data-layout="ready"]').waitFor();

    // An edit in the left designer shows in the right one. Half an editor opens at a readable
    // zoom showing the graph from its input: "Fit view" first, as a user would, to reach trunk2.
    await left.locator('vscode-button', { hasText: 'Fit view' }).click();
    await left.locator('.react-flow__node[data-id="trunk2"]').click();
    await s.replaceText(left.locator('.inspector .field[data-path="model.layers.1.units"] vscode-text-field'), '40');
    // The card's settings in its name (compact cards leave the settings line out, nodes.tsx cardLook).
    await s.waitUntil(async () => /, 40 units\b/.test((await right.locator('.react-flow__node[data-id="trunk2"]').getAttribute('aria-label')) ?? ''), 'the other designer');
    await expectText(right.locator('footer.summary'), /Parameters\s*106,091/, 'the other designer\'s parameter count');
    await s.screenshot('two-designers');

    // "Show in text": the JSON beside, at the layer (its id selected), with the new units.
    await left.locator('vscode-button', { hasText: 'Show in text' }).click();
    const editor = page.locator('.editor-instance .monaco-editor').filter({ has: page.locator('.view-lines') }).first();
    await editor.waitFor();
    await s.waitUntil(async () => (await editor.locator('.view-line', { hasText: /"units":\s*40\b/ }).count()) > 0, 'the text editor to show "units": 40');
    await s.waitUntil(() => editor.locator('textarea.inputarea, .native-edit-context').first().evaluate((el) => el === document.activeElement || el.contains(document.activeElement)),
      'the text editor to have the focus');
    // One keystroke over the selection, and the text is not JSON any more (one keystroke:
    // one undo step, whatever VS Code's grouping of quick typing).
    await page.keyboard.type(',');
    const designer = (await s.webviewFrames('Designer: demo.mtl.json', 1))[0];
    await expectText(designer.locator('.banner.error'), /The text is not valid JSON \(line \d+, column \d+\).*shows the last valid version, read-only/, 'the banner');
    await designer.locator('.react-flow__node[data-id="trunk2"]').waitFor();
    assert(await designer.locator('.app.read-only').count() === 1, 'the designer is read-only while the text is not JSON');
    await s.screenshot('invalid-json');

    // Undo in the text editor: the id is back, the designer editable again.
    await page.keyboard.press('Control+Z');
    await s.waitUntil(async () => (await editor.locator('.view-line', { hasText: /"id":\s*"trunk2"/ }).count()) > 0, 'the text editor to show "id": "trunk2" again');
    await designer.locator('.banner.error').waitFor({ state: 'detached' });
    await s.waitUntil(async () => /, 40 units\b/.test((await designer.locator('.react-flow__node[data-id="trunk2"]').getAttribute('aria-label')) ?? ''), 'the designer after the undo');
    assert(await designer.locator('.app.read-only').count() === 0, 'the designer stays read-only after the undo');
    const errors = s.consoleErrors.filter((e) => !/Failed to load resource/.test(e));
    assert(errors.length === 0, `console errors: ${errors.join('\n')}`);
  },
};
