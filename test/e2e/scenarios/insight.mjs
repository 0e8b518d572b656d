// A user trains a small MNIST experiment with the insight measurements on (gradient conflict
// every 4 steps, saliency of one test digit, FGSM and PGD robustness) and looks at why sharing
// did what it did: the conflict heatmap in the training panel (a cell per report, drawn while
// it trains and kept after), then in the report's Markdown preview the saliency of the digit
// per task and the robustness charts.
//   F1 → "Train multi-task model" → insight.mtl.json → training panel → "Open report".
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText, runFolders, runStatus } from '../expect.mjs';

const FILE = 'insight.mtl.json';
const NAME = 'digits-parity-insight';

/** The panel's text for a share of conflicting reports (core/conflictHeatmap conflictShareText). */
const shareText = (conflicts, measured) => `${Math.round((100 * conflicts) / measured)} % of ${measured}`;

/** Every image of the preview that names one of `files` is loaded and drawn. */
const drawn = (preview, files) => preview.evaluate((fs_) => fs_.every((f) => [...document.images].some((img) => decodeURIComponent(img.src).endsWith(f) && img.complete && img.naturalWidth > 0)), files);

export default {
  name: 'insight: conflict heatmap while training, saliency and robustness in the report',
  workspace: 'insight',
  async run(s) {
    const { page } = s;
    const spec = JSON.parse(fs.readFileSync(path.join(s.workspace, FILE), 'utf8'));
    assert(spec.name === NAME && spec.evaluation.conflict.every === 4, 'the fixture measures conflict every 4 steps');
    await s.runCommand('Multi-Task Studio: Train multi-task model');
    await s.pick(FILE, { placeholder: /Which experiment/ });
    const panel = await s.webviewFrame(`Training: ${NAME}`);
    await panel.locator('h2', { hasText: NAME }).waitFor();

    // While it trains: the heatmap appears with the first reports and grows to the right.
    const heatmap = panel.locator('section.conflict-heatmap');
    const cells = heatmap.locator('g.heatmap-row[data-pair="digit|parity"] rect.cell:not(.missing)');
    await s.waitUntil(async () => (await cells.count()) >= 3, 'the conflict heatmap\'s first cells', 120_000);
    await heatmap.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await s.screenshot('conflict-heatmap-early');
    const status = (await panel.locator('.head .status').textContent())?.trim();
    console.log(`    heatmap drawn with ${await cells.count()} cells, panel status "${status}"`);

    await s.waitForNotification(new RegExp(`${NAME}: training completed`), 300_000);
    const runs = runFolders(s.workspace);
    assert(runs.length === 1 && runStatus(runs[0]) === 'completed', `expected one completed run, found ${JSON.stringify(runs.map((r) => [r, runStatus(r)]))}`);
    const run = runs[0];
    await s.runCommand('Notifications: Clear All Notifications');
    await page.locator('.tabs-container .tab', { hasText: `Training: ${NAME}` }).click();

    // After the run: one cell per conflict report of metrics.jsonl, each with its value, and
    // the share beside the row equal to summary.json's tally.
    const reports = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
      .filter((r) => r.task === 'digit|parity' && r.metric === 'cosine').sort((a, b) => a.step - b.step);
    const pair = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8')).conflict.pairs.find((p) => p.a === 'digit' && p.b === 'parity');
    assert(reports.length >= 10 && pair.measured === reports.length, `metrics.jsonl has ${reports.length} cosine reports, summary.json ${pair?.measured}`);
    await s.waitUntil(async () => (await cells.count()) === reports.length, `${reports.length} cells in the digit · parity row`);
    const first = reports[0];
    await expectText(cells.first().locator('title'),
      `digit · parity, step ${first.step}: cosine ${first.value < 0 ? '−' : ''}${Math.abs(first.value).toFixed(2)}${first.value < 0 ? ' (conflict)' : ''}`, 'the first cell\'s tooltip');
    await expectText(heatmap.locator('g.heatmap-row[data-pair="digit|parity"] text.share'), shareText(pair.conflicts, pair.measured), 'the share of conflicting reports');
    const fills = new Set(await cells.evaluateAll((rs) => rs.map((r) => r.getAttribute('fill'))));
    assert(fills.size > 1, `the cells are coloured by their cosine: ${[...fills].join(', ')}`);
    // The per-block choice: the whole trunk, then each shared layer.
    const blocks = (await heatmap.locator('vscode-dropdown vscode-option').allTextContents()).map((t) => t.trim());
    assert(JSON.stringify(blocks) === JSON.stringify(['whole trunk', 'trunk1', 'trunk2']), `the heatmap's blocks: ${JSON.stringify(blocks)}`);
    await heatmap.evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await s.screenshot('conflict-heatmap');
    console.log(`    ${reports.length} reports, digit · parity conflicting in ${shareText(pair.conflicts, pair.measured)}`);

    // The report in the Markdown preview: the saliency of a test digit per task, the robustness charts.
    await page.locator('.tabs-container .tab', { hasText: `Training: ${NAME}` }).click();
    await panel.locator('vscode-link', { hasText: 'Open report' }).click();
    await page.locator('.tabs-container .tab', { hasText: /Preview report\.md/ }).waitFor({ timeout: 30_000 });
    const report = fs.readFileSync(path.join(run, 'report.md'), 'utf8');
    const charts = [...report.matchAll(/!\[[^\]]*\]\(<?([^)\s>]+\.svg)>?\)/g)].map((m) => decodeURIComponent(m[1]));
    const saliency = charts.filter((c) => /saliency/.test(c));
    const robustness = charts.filter((c) => /robustness/.test(c));
    assert(saliency.length === 1 && robustness.length === 4, `report.md's saliency (${saliency}) and robustness charts (${robustness})`);
    const saliencySvg = fs.readFileSync(path.join(run, saliency[0]), 'utf8');
    assert(['digit', 'parity'].every((t) => new RegExp(`>${t}( \\(class \\d+\\))?</text>`).test(saliencySvg)), 'the saliency picture has a row per task');
    const preview = await s.markdownPreviewFrame(`${NAME}: run report`, 30_000);
    await s.waitUntil(() => drawn(preview, charts), `the preview to draw the report's ${charts.length} charts`, 30_000);

    await preview.locator('h2', { hasText: 'What the network looks at' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
    const img = preview.locator(`img[src$="${path.basename(saliency[0])}"]`);
    assert(await img.evaluate((i) => i.getBoundingClientRect().bottom <= window.innerHeight && i.naturalWidth > 0), 'the saliency picture is wholly in view');
    await s.screenshot('report-saliency');
    await preview.locator('h2', { hasText: 'Robustness' }).evaluate((h) => h.scrollIntoView({ block: 'start' }));
    const pgd = preview.locator(`img[src$="${path.basename(robustness.find((c) => /pgd-digit/.test(c)))}"]`);
    assert(await pgd.evaluate((i) => i.getBoundingClientRect().top < window.innerHeight && i.naturalWidth > 0), 'the PGD chart of digit is in view');
    await s.screenshot('report-robustness');
  },
};
