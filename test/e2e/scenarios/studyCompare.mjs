// "Compare sharing strategies…" from the designer's toolbar, run to the end: the quick pick of
// variant groups (single-task models, as designed and where to branch, chosen by default), the
// repeats (2), the study file written beside the experiment with its "Run study" CodeLens, the
// study's progress notification, then a real small study (tiny: 3,000 digits, 2 epochs; 3
// variants x 2 repeats) trained by the trainer child. The study view follows it and ends on the
// comparison: mean ± sd per task, Δm ± CI with a verdict, the Δm chart and the digit/parity
// scatter with a dot per run. study.json says completed and names run folders that exist; the
// Runs view shows the study as one group. The walkthrough's "Compare sharing strategies" picture
// is this view's scatter, in the light and the dark theme (test/e2e/walkthroughCrop.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText } from '../expect.mjs';
import { walkthroughCropper } from '../walkthroughCrop.mjs';

const STUDY = 'digits-parity-tiny: sharing strategies';
const VARIANTS = ['Single-task models', 'As designed', 'Split after trunk1 (depth 1)'];
const REPEATS = 2;
/** A mean ± sd as the tables write it, e.g. "0.6217 ± 0.05421" or "0.8667 ± 0" (two runs alike). */
const MEAN_SD = /\d\.\d+ ± \d(\.\d+)?/;
const VERDICT = /sharing helped|sharing hurt|no difference that these runs can show/;

export default {
  name: 'compare sharing strategies from the designer',
  workspace: 'tiny',
  settings: { 'workbench.colorTheme': 'Default Light Modern' },
  deviceScaleFactor: 2,
  async run(s) {
    const { page } = s;
    const { crop, copyWalkthroughPictures } = walkthroughCropper(s);
    await s.runCommand('View: Close Primary Side Bar');
    const designer = await s.openDesigner('tiny.mtl.json');
    await designer.locator('vscode-button', { hasText: 'Compare sharing…' }).click();

    // The variant groups: the three sharing groups are chosen by default (the study file below says so).
    const input = page.locator('.quick-input-widget input');
    await s.waitUntil(async () => /Variants to train/.test((await input.getAttribute('placeholder')) ?? ''), 'the variant quick pick');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    for (const label of ['Single-task models', 'As designed', 'Where to branch']) await rows.filter({ hasText: label }).first().waitFor();
    await s.screenshot('compare-quick-pick');
    await input.press('Enter');
    await s.answerInput(String(REPEATS), { prompt: /Repeats per variant/ });

    // The study file beside the experiment.
    const file = path.join(s.workspace, 'tiny.mtl-study.json');
    // Written whole, not merely created: the remote file system truncates, then writes (CI once read it empty).
    let study;
    await s.waitUntil(() => { study = JSON.parse(fs.readFileSync(file, 'utf8')); return true; }, 'tiny.mtl-study.json to be written');
    assert(JSON.stringify(study) === JSON.stringify({
      name: STUDY, experiment: './tiny.mtl.json', repeats: REPEATS,
      variants: { singleTask: true, asDesigned: true, branchDepths: true },
    }), `the study file: ${JSON.stringify(study)}`);
    // It opens, and the study starts: a cancellable progress notification.
    await page.locator('.tabs-container .tab', { hasText: 'tiny.mtl-study.json' }).waitFor();
    const toast = await s.waitForNotification(new RegExp(`Study ${STUDY}`));
    await expectText(toast, /planning the variants|variant \d+ of \d+/, 'the study progress');
    await s.screenshot('compare-started');

    // The study view opens with the study folder and follows it to the end.
    const live = await s.webviewFrame(/^Study: /);
    await expectText(live.locator('h2'), `Study: ${STUDY}`, 'the study heading');
    await s.waitForNotification(new RegExp(`Study ${STUDY} finished: ${VARIANTS.length * REPEATS} runs`), 300_000);
    await expectText(live.locator('header .source'), new RegExp(`${VARIANTS.length} variants · ${REPEATS} repeats · completed`), 'the study view\'s status');

    // The study file (behind the study view now) has its "Run study" CodeLens, to run it again.
    await page.locator('.tabs-container .tab', { hasText: 'tiny.mtl-study.json' }).click();
    await page.locator('.codelens-decoration', { hasText: 'Run study' }).waitFor();
    await page.locator('.tabs-container .tab', { hasText: `Study: ${STUDY}` }).click();
    const view = await s.webviewFrame(/^Study: /);

    // The comparison: each variant's test metrics as mean ± sd (one best per column), Δm ± CI and a verdict.
    const metrics = view.locator('table.metrics');
    for (const v of VARIANTS) {
      await expectText(metrics.locator('tr', { hasText: v }), new RegExp(`${MEAN_SD.source}.*${MEAN_SD.source}`), `${v}: digit and parity as mean ± sd`);
    }
    assert((await metrics.locator('.mark.best').count()) >= 2, 'a best marked in each task\'s column');
    const sharing = view.locator('table.sharing');
    await expectText(sharing.locator('tr', { hasText: 'Single-task models' }), 'the models Δm compares against', 'the reference row');
    for (const v of VARIANTS.slice(1)) {
      const deltaM = new RegExp(`[+−-]\\d+\\.\\d+ % ± \\d+\\.\\d+ \\(95 % CI [+−-]?\\d+\\.\\d+ … [+−-]?\\d+\\.\\d+ %, n = ${REPEATS}\\)\\s*(${VERDICT.source})`);
      await expectText(sharing.locator('tr', { hasText: v }), deltaM, `${v}: Δm ± CI and its verdict`);
    }
    // The charts: an interval per variant with a Δm; a dot per run in the scatter.
    assert((await view.locator('.chart g.delta').count()) === VARIANTS.length - 1, 'an interval per variant with a Δm');
    const scatter = view.locator('.scatters svg');
    await scatter.waitFor();
    const dots = await scatter.locator('circle.run').count();
    assert(dots === VARIANTS.length * REPEATS, `one dot per run: ${dots}`);
    const box = await scatter.boundingBox();
    assert(box && box.width > 300 && box.height > 200, `the scatter is drawn at a visible size: ${JSON.stringify(box)}`);
    await s.screenshot('study-finished');
    // In the middle of the window: at its bottom edge the crop's margin would take in the status bar.
    await scatter.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await s.screenshot('study-finished-scatter');
    await crop('study', 'light', [scatter]);

    // study.json: completed, every run completed in a folder of its own under the study folder.
    const studiesRoot = path.join(s.workspace, 'runs', 'digits-parity-tiny');
    const [studyDir] = fs.readdirSync(studiesRoot).filter((d) => d.startsWith('study-')).map((d) => path.join(studiesRoot, d));
    const result = JSON.parse(fs.readFileSync(path.join(studyDir, 'study.json'), 'utf8'));
    assert(result.status === 'completed', `study.json status: ${result.status}`);
    const runs = result.variants.flatMap((v) => v.runs);
    assert(runs.length === VARIANTS.length * REPEATS && runs.every((r) => r.status === 'completed'), `the runs of study.json: ${JSON.stringify(runs.map((r) => [r.runDir, r.status]))}`);
    for (const r of runs) {
      assert(!path.isAbsolute(r.runDir) && fs.existsSync(path.join(studyDir, r.runDir, 'run.json')), `run folder ${r.runDir} inside ${studyDir}`);
    }
    assert(fs.existsSync(path.join(studyDir, 'study-report.md')), 'study-report.md beside study.json');

    // The Runs view: the study is one group.
    await page.locator('.activitybar .action-item a[aria-label^="Multi-Task Studio"]').click();
    await s.runCommand('Multi-Task Studio: Refresh runs');
    const group = page.locator('.part.sidebar .monaco-list-row', { hasText: `Study: ${STUDY}` });
    await expectText(group, new RegExp(`${VARIANTS.length} variants · completed · ${VARIANTS.length * REPEATS} runs`), 'the study group in the Runs view');
    await group.locator('.monaco-tl-twistie').click();
    // One item per run folder: the single-task models of a seed are the baselines of its as-designed run.
    await page.locator('.part.sidebar .monaco-list-row', { hasText: `Split after trunk1 (depth 1) · repeat ${REPEATS}` }).waitFor();
    await page.locator('.part.sidebar .monaco-list-row', { hasText: `Single-task models + As designed · repeat ${REPEATS}` }).waitFor();
    const items = await page.locator('.part.sidebar .monaco-list-row[aria-level="3"]').count();
    assert(items === 2 * REPEATS, `the study group's run folders: ${items}`);
    await s.screenshot('study-runs-view');
    await s.runCommand('View: Close Primary Side Bar');

    // The walkthrough's picture in the dark theme too.
    await s.setColorTheme('Default Dark Modern');
    await page.locator('.monaco-workbench.vs-dark').waitFor();
    const dark = await s.webviewFrame(/^Study: /);
    await dark.locator('body.vscode-dark').waitFor();
    await expectText(dark.locator('table.sharing tr', { hasText: 'As designed' }), VERDICT, 'the study view in the dark theme');
    const darkScatter = dark.locator('.scatters svg');
    await darkScatter.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await crop('study', 'dark', [darkScatter]);
    copyWalkthroughPictures();
  },
};
