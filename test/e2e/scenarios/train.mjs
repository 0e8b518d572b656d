// A user trains an experiment from the palette, watches the curves grow epoch by epoch,
// and finds the finished run: every file ARCHITECTURE.md lists, the results table with the
// single-task baselines and Δm, the report, the Runs view, and the panel after a reload.
//   F1 → "Train multi-task model" → pick quick.mtl.json (digits-parity, 3 epochs of small
//   batches, so that each epoch lasts long enough to be watched) → training panel.
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText, runFolders, runStatus } from '../expect.mjs';

const EPOCHS = 3;

/** formatPercent of src/core/runsIndex.ts: how the panel writes a relative change. */
function formatPercent(fraction) {
  const p = fraction * 100;
  const text = Math.abs(p).toFixed(Math.abs(p) < 1 ? 2 : 1);
  if (Number(text) === 0) return '0%';
  return `${p > 0 ? '+' : '−'}${text}%`;
}

export default {
  name: 'train an experiment, watch the curves grow, find the run',
  workspace: 'quick',
  async run(s) {
    const { page } = s;
    await s.runCommand('Multi-Task Studio: Train multi-task model');
    await s.pick('quick.mtl.json', { placeholder: /Which experiment/ });
    const panel = await s.webviewFrame('Training: digits-parity');
    await panel.locator('h2', { hasText: 'digits-parity' }).waitFor();
    // Outside the panel: the status bar item and the progress notification.
    await page.locator('.statusbar-item', { hasText: /digits-parity \d+%/ }).waitFor();
    await s.waitForNotification(/Training digits-parity/);

    // The curves grow: the newest step drawn (the legend's "step" row follows the newest
    // point) and the epoch in the header, sampled in the first epoch and again in a later one.
    const digitChart = panel.locator('section.task[aria-label="Task digit"] .chart').first();
    const sample = async () => {
      const meta = (await panel.locator('.head .meta').textContent()) ?? '';
      const epoch = Number(/shared model, epoch (\d+)\/\d+/.exec(meta)?.[1]);
      const step = Number((await digitChart.locator('.u-legend .u-series').first().locator('.u-value').textContent())?.trim());
      return { epoch, step };
    };
    let first;
    await s.waitUntil(async () => { first = await sample(); return first.epoch >= 1 && first.step > 0; }, 'the first points of the shared model', 120_000);
    await s.screenshot('curves-first-epoch');
    let later;
    await s.waitUntil(async () => { later = await sample(); return later.epoch > first.epoch && later.step > first.step; },
      `a later epoch than ${first.epoch} with more steps than ${first.step}`, 120_000);
    console.log(`    curves grew: epoch ${first.epoch} step ${first.step} → epoch ${later.epoch} step ${later.step}`);
    await s.screenshot('curves-later-epoch');
    assert(await panel.locator('section.task[aria-label="Task parity"] .uplot').count() > 0, 'the parity task has curves too');

    await s.waitForNotification(/digits-parity: training completed/, 300_000);
    const runs = runFolders(s.workspace);
    assert(runs.length === 1 && runStatus(runs[0]) === 'completed', `expected one completed run, found ${JSON.stringify(runs.map((r) => [r, runStatus(r)]))}`);
    const run = runs[0];
    assert(/runs\/digits-parity\/\d{8}-\d{6}-[0-9a-f]+$/.test(run), `run folder name: ${run}`);

    // Every file of the run folder (ARCHITECTURE.md, "Run folder"), each with content.
    for (const f of ['experiment.json', 'run.json', 'metrics.jsonl', 'metrics.csv', 'model/model.json', 'model/weights.bin', 'summary.json', 'report.md']) {
      const p = path.join(run, f);
      assert(fs.existsSync(p) && fs.statSync(p).size > 0, `the run folder has no (or an empty) ${f}`);
    }
    const events = fs.readdirSync(path.join(run, 'tensorboard'), { recursive: true }).map(String).filter((f) => /events\.out\.tfevents\./.test(f));
    for (const sub of ['shared', 'baseline-digit', 'baseline-parity']) {
      assert(events.some((f) => f.startsWith(`${sub}${path.sep}`)), `no TensorBoard event file under tensorboard/${sub}: ${events.join(', ')}`);
    }
    const experiment = JSON.parse(fs.readFileSync(path.join(run, 'experiment.json'), 'utf8'));
    assert(experiment.name === 'digits-parity' && experiment.training.epochs === EPOCHS, 'experiment.json is the spec that was trained');
    const records = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const epochs = new Set(records.filter((r) => !r.baseline && r.split === 'validation').map((r) => r.epoch));
    assert(epochs.size === EPOCHS, `metrics.jsonl: validation points of the shared model for ${[...epochs]} (expected ${EPOCHS} epochs)`);
    const csv = fs.readFileSync(path.join(run, 'metrics.csv'), 'utf8').trim().split('\n');
    assert(csv.length > EPOCHS, `metrics.csv has ${csv.length} lines`);
    const model = JSON.parse(fs.readFileSync(path.join(run, 'model/model.json'), 'utf8'));
    assert(model.weightsManifest?.[0]?.paths?.includes('weights.bin'), 'model.json points at weights.bin');
    const weightBytes = model.weightsManifest[0].weights.reduce((n, w) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    assert(fs.statSync(path.join(run, 'model/weights.bin')).size === weightBytes, `weights.bin holds ${weightBytes} bytes of float32 weights`);
    const summary = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8'));
    assert(summary.parameters.total === 109451, `summary.json parameters: ${summary.parameters.total}`);
    assert(summary.baselines && Number.isFinite(summary.baselines.deltaM), 'summary.json has the baselines and Δm');
    const report = fs.readFileSync(path.join(run, 'report.md'), 'utf8');
    assert(/Δm/.test(report) && /\.svg/.test(report), 'report.md has Δm and its charts');

    // The results table: shared model against the baselines, task by task, and Δm.
    const table = panel.locator('table.results').first();
    await table.waitFor();
    for (const c of summary.baselines.comparisons) {
      await expectText(table.locator('tbody tr', { hasText: new RegExp(`^\\s*${c.task}\\s*${c.metric}`) }).locator('td').last(),
        formatPercent(c.relativeImprovement), `the change of ${c.task} ${c.metric}`);
    }
    const deltaM = formatPercent(summary.baselines.deltaM).replace(/[.+]/g, '\\$&');
    await expectText(table.locator('tfoot tr').first(), new RegExp(`Δm, the mean over task-metric pairs \\(Nash-MTL\\), over ${summary.baselines.comparisons.length} task-metric pairs\\s*[▲▼]?\\s*${deltaM}$`), 'the Δm row');
    // One run: the panel does not present Δm as a finding (issue 11).
    await expectText(table.locator('tfoot tr.verdict'), /^Δm [+−]\d+\.\d\d %, one run: repeat it \(evaluation\.repeats\) to know whether the difference is more than noise$/, 'the verdict row');
    await expectText(panel.locator('.head .status'), 'completed', 'the status badge');
    await s.screenshot('training-panel-results');

    // The panel's link opens report.md in the Markdown preview. The screenshot waits for the
    // report in it (its heading, then every chart drawn), not for the preview's tab: the tab
    // comes first and its page stays blank for a few seconds.
    await panel.locator('vscode-link', { hasText: 'Open report' }).click();
    await page.locator('.tabs-container .tab', { hasText: /Preview report\.md/ }).waitFor({ timeout: 30_000 });
    const heading = /^# (.+)$/m.exec(report)?.[1];
    const charts = [...report.matchAll(/!\[[^\]]*\]\(<?([^)\s>]+\.svg)>?\)/g)].map((m) => decodeURIComponent(m[1]));
    assert(heading === 'digits-parity: run report' && charts.length >= 2, `report.md's heading (${heading}) and charts (${charts.join(', ')})`);
    const preview = await s.markdownPreviewFrame(heading, 30_000);
    await s.waitUntil(() => preview.evaluate((files) => files.every((f) => [...document.images].some((img) => decodeURIComponent(img.src).endsWith(f) && img.complete && img.naturalWidth > 0)), charts),
      `the preview to draw the report's ${charts.length} charts`, 30_000);
    await expectText(preview.locator('body'), /Results on the test set.*Δm.*Training curves.*Shared-weight diagram/, 'the report\'s sections in the preview');
    await s.screenshot('report-preview');
    // The Runs view: the activity bar container, the run with its headline metrics.
    await page.locator('.activitybar .action-item a[aria-label^="Multi-Task Studio"]').click();
    await page.locator('.part.sidebar .monaco-list-row', { hasText: /Δm/ }).first().waitFor();
    await s.screenshot('runs-view');

    // A window reload loses no curves: the panel comes back, rebuilt from the run folder
    // (needs "onWebviewPanel:multiTaskStudio.training" in activationEvents).
    await s.runCommand('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    await page.locator('.tabs-container .tab', { hasText: /Training: digits-parity|Run \d{8}-\d{6}: digits-parity/ }).click();
    const restored = await s.webviewShowing(/Training: digits-parity|Run \d{8}-\d{6}: digits-parity/, 'table.results');
    await expectText(restored.locator('.head .status'), 'completed', 'the status badge after the reload');
    await s.waitUntil(async () => (await restored.locator('.uplot').count()) >= 6, 'every chart drawn after the reload');
    await s.screenshot('training-panel-after-reload');
  },
};
