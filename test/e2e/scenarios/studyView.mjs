// The study view of a study folder: the Runs view shows the study as one group (its runs under
// it, named by variant and repeat); clicking the group opens the comparison: the table of
// variants x tasks with the best marked and "within the noise of the best" where the intervals
// overlap, Δm ± CI per variant with its verdict, parameters and time, the Δm interval chart and
// the digit/parity scatter with the Pareto front. "Use this variant" on "Split after trunk1"
// writes that model into tiny.mtl.json as one edit, and Undo takes it back. A window reload
// restores the view.
// The study folder is written by the test (test/e2e/studyFixture.mjs) until the study runner
// lands; then this scenario runs a small real study first.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText } from '../expect.mjs';
import { writeStudyFolder } from '../studyFixture.mjs';

export default {
  name: 'study view of a study folder',
  workspace: 'tiny',
  async run(s) {
    const { page } = s;
    writeStudyFolder(s.workspace);
    const experimentFile = path.join(s.workspace, 'tiny.mtl.json');
    const before = fs.readFileSync(experimentFile, 'utf8');

    // The Runs view: the study is one group; expanded, its runs carry the variant and repeat.
    await page.locator('.activitybar .action-item a[aria-label^="Multi-Task Studio"]').click();
    await s.runCommand('Multi-Task Studio: Refresh runs');
    const group = page.locator('.part.sidebar .monaco-list-row', { hasText: 'Study: digits-parity-tiny: sharing strategies' });
    await expectText(group, /4 variants · completed · 12 runs/, 'the study group in the Runs view');
    await group.locator('.monaco-tl-twistie').click();
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'Split after trunk1 (depth 1) · repeat 2' }).waitFor();

    // Clicking the group opens the study view.
    await group.click();
    const view = await s.webviewFrame(/^Study: /);
    await expectText(view.locator('h2'), 'Study: digits-parity-tiny: sharing strategies', 'the study heading');
    const metrics = view.locator('table.metrics');
    await expectText(metrics.locator('tr', { hasText: 'As designed' }), /0\.96 ± 0\.01\s*best/, 'the best digit accuracy');
    await expectText(metrics.locator('tr', { hasText: 'Single-task models' }), /0\.92 ± 0\.02\s*≈ within the noise of the best/, 'an overlapping interval, not marked as a loss');
    await expectText(metrics.locator('tr', { hasText: 'PCGrad' }), /0\.81 ± 0\.01\s*below the best/, 'an interval apart from the best');
    const sharing = view.locator('table.sharing');
    await expectText(sharing.locator('tr', { hasText: 'Split after trunk1' }), /\+2\.60 % ± 0\.50 \(95 % CI \+1\.36 … \+3\.84 %, n = 3\)\s*sharing helped\s*101,899/, 'a variant whose interval is above 0');
    await expectText(sharing.locator('tr', { hasText: 'As designed' }), /no difference that these runs can show/, 'a positive mean whose interval holds 0');
    await expectText(sharing.locator('tr', { hasText: 'PCGrad' }), /sharing hurt\s*109,451\s*15\.0 s ± 1\.0/, 'hurt, with its time');
    // The charts: 12 run dots, 4 numbered means, the Pareto front; one interval per Δm.
    const scatter = view.locator('.scatters svg');
    await scatter.waitFor();
    assert((await scatter.locator('circle.run').count()) === 12, 'one dot per run');
    assert((await scatter.locator('polyline.pareto').count()) === 1, 'the Pareto front is drawn');
    const box = await scatter.boundingBox();
    assert(box && box.width > 300 && box.height > 200, `the scatter is drawn at a visible size: ${JSON.stringify(box)}`);
    assert((await view.locator('.chart g.delta').count()) === 3, 'an interval per variant with a Δm');
    await s.screenshot('study-view');
    await scatter.scrollIntoViewIfNeeded();
    await s.screenshot('study-view-scatter');

    // "Use this variant": the split-after-trunk1 model goes into tiny.mtl.json as one edit.
    await view.locator('vscode-button[aria-label="Use this variant: Split after trunk1 (depth 1)"]').click();
    await expectText(view.locator('tr', { hasText: 'Split after trunk1' }).locator('.used'), 'Written into the experiment file.', 'the edit\'s outcome');
    // The experiment opens beside the study view, in the designer; saving it writes the variant.
    const designer = await s.webviewFrame(/^Designer: tiny\.mtl\.json/);
    await expectText(designer.locator('footer.summary'), /Parameters 101,899/, 'the designer\'s parameter count of the variant');
    await page.locator('.tabs-container .tab', { hasText: 'tiny.mtl.json' }).click();
    await page.keyboard.press('Control+S');
    await s.waitUntil(() => !fs.readFileSync(experimentFile, 'utf8').includes('"trunk2"'), 'the saved file to lose trunk2');
    const saved = JSON.parse(fs.readFileSync(experimentFile, 'utf8'));
    assert(saved.model.layers.map((l) => l.id).join() === 'trunk1,digitHead,parityHead', `layers after the edit: ${saved.model.layers.map((l) => l.id)}`);
    assert(saved.model.layers[1].from[0] === 'trunk1' && saved.name === 'digits-parity-tiny', 'the heads branch after trunk1; the name is kept');
    await s.screenshot('study-variant-used');
    // One undo step takes the whole variant back.
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+S');
    await s.waitUntil(() => fs.readFileSync(experimentFile, 'utf8') === before, 'Undo to restore the file byte for byte');

    // A window reload brings the study view back from its folder (onWebviewPanel:multiTaskStudio.study).
    await s.runCommand('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    await page.locator('.tabs-container .tab', { hasText: 'Study: digits-parity-tiny' }).click();
    const again = await s.webviewShowing(/^Study: /, 'table.sharing');
    await expectText(again.locator('table.sharing tr', { hasText: 'Split after trunk1' }), /sharing helped/, 'the study view after a reload');
  },
};
