// A keyboard-only user builds a two-task network from an empty experiment (issue 15): Ctrl+P
// opens blank.mtl.json (no tasks, no layers) in the designer; from there only Tab, Shift+Tab,
// the arrow keys, Enter and C: the inspector's Tasks tab adds two tasks, the palette adds an
// input and dense layers after the selected node, C on a selected layer opens "Connect output
// to…" and makes it a task's head; the input's shape quick fix, a head's units and activation
// are set from the inspector. F fits the graph; Ctrl+S writes exactly that graph. The canvas
// shows the layer both tasks read as shared (badge, screen-reader name, parameter summary),
// and the live region announced each edit.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText } from '../expect.mjs';

export default {
  name: 'keyboard only: a two-task network from an empty experiment',
  workspace: 'blank',
  async run(s) {
    const { page } = s;
    const file = path.join(s.workspace, 'blank.mtl.json');
    const original = fs.readFileSync(file, 'utf8');
    const d = await s.openDesigner('blank.mtl.json');

    /** The focused element in the designer: its accessible name (aria-label) or its text. */
    const focused = () => d.locator(':root').evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? '');
    /** Tab (Shift+Tab when `backwards`) until the designer's focused element matches, as a keyboard user gets to a control. */
    const tabTo = async (selector, { text, backwards = false } = {}) => {
      for (let i = 0; i < 80; i++) {
        const there = await d.locator(':root').evaluate((_, a) => {
          const el = document.activeElement;
          return !!el && el.matches(a.selector) && (a.text === undefined || el.textContent?.trim() === a.text);
        }, { selector, text });
        if (there) return;
        await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
      }
      throw new Error(`Tab never reached ${selector}${text ? ` "${text}"` : ''}; focus is on "${await focused()}"`);
    };
    const announced = (text) => expectText(d.locator('[data-testid="announcer"]'), text, 'the live region');
    const inspected = (id) => d.locator('.node-form h2', { hasText: new RegExp(`^${id}$`) }).waitFor();
    /** Whether every card `selector` matches lies wholly inside the canvas (not under the palette or the inspector). */
    const inCanvas = (selector) => d.locator(selector).evaluateAll((ns) => ns.every((n) => {
      const r = n.getBoundingClientRect(), c = document.querySelector('.react-flow').getBoundingClientRect();
      return r.left >= c.left && r.right <= c.right && r.top >= c.top && r.bottom <= c.bottom;
    }));
    const selectNode = async (id) => {
      await tabTo(`.react-flow__node[data-id="${id}"]`, { backwards: true });
      // The card Tab reached is brought wholly into view: a keyboard user sees what has the focus.
      await s.waitUntil(() => inCanvas(`.react-flow__node[data-id="${id}"]`), `${id}, focused, to lie wholly inside the canvas`, 5_000);
      await page.keyboard.press('Enter');
      await inspected(id);
    };
    const addFromPalette = async (type, id, announcement = `Add ${type} layer: ${id}.`) => {
      // The palette is one Tab stop; its arrow keys go from entry to entry.
      await tabTo('.palette-item', { backwards: true });
      for (let i = 0; i < 25 && (await focused()) !== type; i++) await page.keyboard.press('ArrowDown');
      assert((await focused()) === type, `the palette's arrow keys reach ${type}: focus on "${await focused()}"`);
      await page.keyboard.press('Enter');
      await inspected(id);
      await announced(announcement);
    };
    const makeHead = async (layer, task) => {
      await selectNode(layer);
      await page.keyboard.press('c');
      await d.locator('#connect-to-list').waitFor();
      for (let i = 0; i < 12 && (await focused()) !== `head of task ${task} no head yet`; i++) await page.keyboard.press('ArrowDown');
      assert((await focused()) === `head of task ${task} no head yet`, `the list offers "head of task ${task}": focus on "${await focused()}"`);
      await page.keyboard.press('Enter');
      await announced(`Make ${layer} the head of ${task}.`);
    };
    /** A binary task's head outputs one value: Shift+Tab back to the head's units, erase, type, Enter. */
    const oneUnit = async (layer, index) => {
      await tabTo(`.inspector .field[data-path="model.layers.${index}.units"] vscode-text-field`, { backwards: true });
      await page.keyboard.press('End');
      for (let i = 0; i < 4; i++) await page.keyboard.press('Backspace');
      await page.keyboard.type('1');
      await page.keyboard.press('Enter');
      // The card's settings as a screen reader reads them (its name: compact cards leave the settings line out, nodes.tsx cardLook).
      const named = async (pattern) => pattern.test((await d.locator(`.react-flow__node[data-id="${layer}"]`).getAttribute('aria-label')) ?? '');
      await s.waitUntil(() => named(/, 1 units?\b/), `${layer}'s card after the units`);
      // Then Tab to its activation: Enter opens the list, typing picks sigmoid, Enter chooses it.
      await tabTo(`.inspector .field[data-path="model.layers.${index}.activation"] vscode-dropdown`);
      await page.keyboard.press('Enter');
      await page.keyboard.type('sigmoid');
      await page.keyboard.press('Enter');
      await s.waitUntil(() => named(/sigmoid/), `${layer}'s card after the activation`);
    };

    // Focus into the designer from the keyboard: the editor has it once opened; Tab reaches the inspector's tabs.
    await tabTo('#tab-node');
    await page.keyboard.press('ArrowRight');
    await d.locator('#tab-tasks[aria-selected="true"]').waitFor();
    await tabTo('vscode-button', { text: 'Add task' });
    await page.keyboard.press('Enter');
    await d.locator('.react-flow__node[data-id="task:task1"]').waitFor();
    await page.keyboard.press('Enter');
    await d.locator('.react-flow__node[data-id="task:task2"]').waitFor();

    // An input, a dense layer after it, a head after that, and a second head after the shared layer.
    await addFromPalette('input', 'input', 'Add input.');
    // Its shape does not fit the digits (784 features): the inspector's quick fix, reached with Tab.
    await tabTo('.inspector button.quick-fix', { text: 'Set shape to [784]' });
    await page.keyboard.press('Enter');
    await expectText(d.locator('.react-flow__node[data-id="input"] .node-shape'), /\[784\]/, 'the input shape after the fix');
    await addFromPalette('dense', 'dense1');
    await addFromPalette('dense', 'dense2');
    await selectNode('dense1');
    await addFromPalette('dense', 'dense3');
    await makeHead('dense2', 'task1');
    await oneUnit('dense2', 1);
    await makeHead('dense3', 'task2');
    await oneUnit('dense3', 2);

    // What the user sees: dense1 shared by both tasks (badge and screen-reader name), every edge named.
    const node = (id) => d.locator(`.react-flow__node[data-id="${id}"]`);
    await expectText(node('dense1').locator('.shared-badge'), /Shared · 2 tasks/, 'dense1 is shared');
    await s.waitUntil(async () => /shared by 2 tasks: task1, task2$/.test((await node('dense1').getAttribute('aria-label')) ?? ''), 'dense1 named as shared by both tasks');
    for (const [from, to] of [['input', 'dense1'], ['dense1', 'dense2'], ['dense1', 'dense3']]) {
      await d.locator(`.react-flow__edge[aria-label="${from} feeds ${to}"]`).waitFor({ state: 'attached' });
    }
    await expectText(d.locator('.problems-toggle'), /No problems/, 'problem summary');
    // 784·64+64 = 50,240 shared; each head 64·1+1 = 65: 50,370; two single-task models 2·50,240 + 130 = 100,610.
    const summary = d.locator('footer.summary');
    await expectText(summary, /Parameters\s*50,370/, 'total parameters');
    await expectText(summary, /Shared\s*50,240/, 'shared parameters');
    await expectText(summary, /vs 2 single-task models \(100,610\)/, 'single-task total');
    await page.locator('.tabs-container .tab.active.dirty').waitFor();
    // F on the canvas (a node focused) fits the whole graph in view.
    await tabTo('.react-flow__node[data-id="dense1"]', { backwards: true });
    await page.keyboard.press('f');
    await s.waitUntil(() => inCanvas('.react-flow__node'), 'every node inside the canvas after F');
    await s.screenshot('built-with-keyboard');

    // Ctrl+S (the canvas keeps the focus): the file holds exactly the graph built.
    await page.keyboard.press('Control+S');
    await s.waitUntil(() => page.locator('.tabs-container .tab.active.dirty').count().then((n) => n === 0), 'the tab to be saved');
    const text = fs.readFileSync(file, 'utf8');
    const expected = original
      .replace('"tasks": [],', `"tasks": [
    { "id": "task1", "kind": "binary", "target": "task1" },
    { "id": "task2", "kind": "binary", "target": "task2" }
  ],`)
      .replace(/"model": \{[\s\S]*?"outputs": \{\}\n  \}/, `"model": {
    "inputs": [
      {
        "id": "input",
        "shape": [784]
      }
    ],
    "layers": [
${['dense1', 'dense2', 'dense3'].map((id, i) => `      {
        "id": "${id}",
        "type": "dense",
        "units": ${i ? 1 : 64},
        "activation": "${i ? 'sigmoid' : 'relu'}",
        "from": ["${i ? 'dense1' : 'input'}"]
      }`).join(',\n')}
    ],
    "outputs": {
      "task1": "dense2",
      "task2": "dense3"
    }
  }`);
    assert(expected !== original, 'the expected text differs from the empty experiment');
    assert(text === expected, `the saved file is the graph built, nothing else:\n${text}`);
  },
};
