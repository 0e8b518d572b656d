// A new user starts from a template: F1 → "New multi-task experiment" → pick digits-parity →
// accept the proposed folder name → the designer opens on the copied experiment with the
// graph drawn (the trunk marked as shared by both tasks) and the parameter summary right.
import fs from 'node:fs';
import path from 'node:path';
import { expectText } from '../expect.mjs';

export default {
  name: 'new experiment from a template opens the designer',
  workspace: 'empty',
  async run(s) {
    await s.runCommand('Multi-Task Studio: New multi-task experiment');
    await s.pick('digits-parity', { placeholder: /Pick a template/ });
    // The folder name is proposed; the user accepts it with Enter.
    const proposed = await s.page.locator('.quick-input-widget input').inputValue();
    if (proposed !== 'digits-parity') throw new Error(`expected the proposed folder "digits-parity", got "${proposed}"`);
    await s.answerInput(undefined, { prompt: /Folder for the experiment/ });

    const file = path.join(s.workspace, 'digits-parity', 'digits-parity.mtl.json');
    await s.waitUntil(() => fs.existsSync(file), `${file} to be written`);
    await s.page.locator('.tabs-container .tab.active', { hasText: 'digits-parity.mtl.json' }).waitFor();
    const designer = await s.designer('digits-parity.mtl.json');
    await designer.locator('.toolbar h1', { hasText: 'digits-parity' }).waitFor();

    // Every input, layer and task is drawn, and the shared trunk says so.
    for (const id of ['image', 'trunk1', 'trunk2', 'digitHead', 'parityHead', 'task:digit', 'task:parity']) {
      await designer.locator(`.react-flow__node[data-id="${id}"]`).waitFor();
    }
    for (const id of ['trunk1', 'trunk2']) {
      await expectText(designer.locator(`.react-flow__node[data-id="${id}"] .shared-badge`), /Shared · 2 tasks/, `${id}'s badge`);
    }
    for (const id of ['digitHead', 'parityHead']) {
      if (await designer.locator(`.react-flow__node[data-id="${id}"] .shared-badge`).count()) throw new Error(`${id} is task-specific but has a shared badge`);
    }
    await expectText(designer.locator('.react-flow__node[data-id="trunk1"] .node-params'), /100,480 params/, 'trunk1 parameters');
    await expectText(designer.locator('.react-flow__node[data-id="trunk1"] .node-shape'), /128/, 'trunk1 output shape');

    // 784·128+128 + 128·64+64 = 108,736 shared; heads 650 (digit) and 65 (parity): 109,451.
    // Two single-task models would hold 2 × 108,736 + 650 + 65 = 218,187.
    const summary = designer.locator('footer.summary');
    await expectText(summary, /Parameters\s*109,451/, 'total parameters');
    await expectText(summary, /Shared\s*108,736/, 'shared parameters');
    await expectText(summary, /vs 2 single-task models \(218,187\)/, 'single-task total');
    await expectText(summary.locator('.task-chip', { hasText: 'digit' }), /digit 650/, 'digit-only parameters');
    await expectText(summary.locator('.task-chip', { hasText: 'parity' }), /parity 65/, 'parity-only parameters');
    await expectText(designer.locator('.problems-toggle'), /No problems/, 'problem summary');
    await s.screenshot('designer-opened');

    // The copy is the template, and no run folder came with it.
    const spec = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (spec.name !== 'digits-parity' || spec.model.layers.length !== 4) throw new Error(`unexpected experiment copied: ${JSON.stringify(spec).slice(0, 200)}`);
    if (fs.existsSync(path.join(s.workspace, 'digits-parity', 'runs'))) throw new Error('the template came with a runs folder');
  },
};
