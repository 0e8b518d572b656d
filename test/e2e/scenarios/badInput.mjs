// Broken experiments are explained, not trained: a cycle, a `from` naming a layer that does
// not exist, and text that is not JSON. For each, the designer shows the problem (problem
// list or banner), the Problems panel lists it with the same words, and "Train multi-task
// model" refuses with a notification that says why; no run folder is ever created.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText } from '../expect.mjs';

const CASES = [
  {
    file: 'cycle.mtl.json',
    // core/checkModel: "Layers form a cycle: trunk1 → trunk2 → trunk1. ..."
    message: /Layers form a cycle: trunk1 → trunk2 → trunk1/,
    where: 'model.layers[0].from[0]',
    refusal: /Cannot train cycle\.mtl\.json: model\.layers\[0\]\.from\[0\]: Layers form a cycle: trunk1 → trunk2 → trunk1\. A layer cannot depend on its own output: remove one of these connections\. Fix the problems, then train again\./,
  },
  {
    file: 'dangling.mtl.json',
    message: /Layer "trunk2" reads from "trunkOne", which does not exist/,
    where: 'model.layers[1].from[0]',
    refusal: /Cannot train dangling\.mtl\.json: model\.layers\[1\]\.from\[0\]: Layer "trunk2" reads from "trunkOne", which does not exist\.[^.]*\. Fix the problems, then train again\./,
  },
  {
    file: 'broken.mtl.json',
    // A missing comma after "epochs": 1 on line 19.
    banner: /The text is not valid JSON \(line 19, column \d+\)/,
    message: /Not valid JSON/,
    refusal: /Cannot train broken\.mtl\.json: it is not valid JSON \(.*line 19/,
  },
];

export default {
  name: 'broken experiments are explained and not trained',
  workspace: 'bad-input',
  async run(s) {
    const { page } = s;
    for (const c of CASES) {
      await s.openFile(c.file);
      const d = await s.webviewFrame(`Designer: ${c.file}`);
      if (c.banner) {
        // Not JSON: a banner says where, and there is no graph to edit.
        await expectText(d.locator('.banner.error'), c.banner, `${c.file}: the designer's banner`);
        assert(await d.locator('.palette-item').first().isDisabled(), `${c.file}: the palette stays usable on a document that is not JSON`);
      } else {
        await d.locator('.canvas[data-layout="ready"]').waitFor();
        await expectText(d.locator('.problems-toggle'), /^\W*1 error/, `${c.file}: the designer's problem summary`);
        await expectText(d.locator('.problem-list li.error'), c.message, `${c.file}: the designer's problem list`);
        await expectText(d.locator('.problem-list li.error', { hasText: c.message }).locator('.where'), c.where, `${c.file}: the problem's place`);
      }
      // The ▶ Train button says why it is disabled.
      const train = d.locator('vscode-button', { hasText: 'Train' });
      assert(await train.evaluate((el) => el.hasAttribute('disabled')), `${c.file}: the designer's Train button is enabled`);
      assert(/^Fix the/.test((await train.getAttribute('title')) ?? ''), `${c.file}: the Train button's tooltip: ${await train.getAttribute('title')}`);
      await s.screenshot(`designer-${path.basename(c.file, '.mtl.json')}`);

      // The Problems panel (Ctrl+Shift+M) lists it under the file.
      let rows = [];
      await s.waitUntil(async () => {
        rows = await s.problemsPanelRows();
        const start = rows.findIndex((r) => r.startsWith(c.file));
        return start >= 0 && rows.slice(start + 1).some((r) => c.message.test(r));
      }, `the Problems panel to list "${c.message}" under ${c.file}`);
      console.log(`    Problems: ${rows.find((r) => c.message.test(r))?.slice(0, 110)}`);
      await s.screenshot(`problems-${path.basename(c.file, '.mtl.json')}`);

      // Train from the palette: the active designer's experiment, refused with the reason.
      await s.runCommand('Multi-Task Studio: Train multi-task model');
      const toast = await s.waitForNotification(c.refusal);
      console.log(`    Refused: ${(await toast.locator('.notification-list-item-message').textContent())?.slice(0, 140)}`);
      await s.screenshot(`refused-${path.basename(c.file, '.mtl.json')}`);
      await toast.locator('.codicon-notifications-clear, .action-label.codicon-close').first().click({ timeout: 5_000 }).catch(() => page.keyboard.press('Escape'));
      assert(!fs.existsSync(path.join(s.workspace, 'runs')), `${c.file}: a runs folder was created`);
    }
    // All three stay listed while their designers are open.
    const rows = await s.problemsPanelRows();
    for (const c of CASES) assert(rows.some((r) => r.startsWith(c.file)), `the Problems panel no longer lists ${c.file}: ${rows.join(' / ')}`);
    assert(!fs.existsSync(path.join(s.workspace, 'runs')), 'a runs folder was created');
  },
};
