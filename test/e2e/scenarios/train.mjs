// a user trains
// the demo experiment from the palette, watches the panel, and finds the run.
//   F1 → "Train multi-task model" → pick demo.mtl.json → training panel with curves →
//   "training completed" notification → runs/<name>/<run>/ complete → Runs view lists it →
//   "Show shared-weight diagram" → pick the run → diagram with weight bars.
import fs from 'node:fs';
import path from 'node:path';

function runFolders(workspace) {
  const root = path.join(workspace, 'runs');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((e) => fs.readdirSync(path.join(root, e)).map((r) => path.join(root, e, r)));
}
const status = (dir) => { try { return JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')).status; } catch { return undefined; } };

export default {
  name: 'train the demo experiment, see the curves, the run and its diagram',
  workspace: 'demo',
  async run(s) {
    await s.runCommand('Multi-Task Studio: Train multi-task model');
    await s.pick('demo.mtl.json', { placeholder: /Which experiment/ });
    const panel = s.webview();
    await panel.locator('h2', { hasText: 'digits-parity' }).waitFor({ timeout: 60_000 });
    await panel.locator('.uplot').first().waitFor({ timeout: 120_000 });
    await s.screenshot('training-panel-running');
    await s.waitForNotification(/training completed/, 300_000);
    const runs = runFolders(s.workspace);
    if (runs.length !== 1 || status(runs[0]) !== 'completed') throw new Error(`expected one completed run, found ${JSON.stringify(runs.map((r) => [r, status(r)]))}`);
    for (const f of ['metrics.jsonl', 'summary.json', 'report.md', 'model/model.json']) {
      if (!fs.existsSync(path.join(runs[0], f))) throw new Error(`the run folder has no ${f}`);
    }
    await panel.locator('table.results').waitFor();
    await s.screenshot('training-panel-results');
    // The panel's link opens report.md in the Markdown preview.
    await panel.locator('vscode-link', { hasText: 'Open report' }).click();
    await s.page.locator('.tabs-container .tab', { hasText: /Preview report\.md/ }).waitFor({ timeout: 30_000 });
    await s.screenshot('report-preview');
    // The Runs view: the activity bar container, the run with its headline metrics.
    await s.page.locator('.activitybar .action-item a[aria-label^="Multi-Task Studio"]').click();
    await s.page.locator('.part.sidebar .monaco-list-row', { hasText: /Δm/ }).first().waitFor();
    await s.screenshot('runs-view');
    await s.runCommand('Multi-Task Studio: Show shared-weight diagram');
    await s.pick('digits-parity', { placeholder: /diagram of which run/ });
    await s.webview().locator('.bar-row').first().waitFor({ timeout: 60_000 });
    await s.webview().locator('.bar-row').first().click();
    await s.webview().locator('.heatmap canvas').waitFor();
    await s.screenshot('diagram');
    // A window reload loses no curves: the panels come back, rebuilt from the run folder
    // (needs "onWebviewPanel:multiTaskStudio.training" / ".diagram" in activationEvents).
    await s.runCommand('Developer: Reload Window');
    await s.page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    await s.webview().locator('.bar-row').first().waitFor({ timeout: 60_000 });
    await s.page.locator('.tabs-container .tab', { hasText: /Training: digits-parity|Run \d{8}-\d{6}: digits-parity/ }).click();
    await s.webview().locator('table.results').waitFor({ timeout: 60_000 });
    await s.webview().locator('.uplot').first().waitFor();
    await s.screenshot('training-panel-after-reload');
  },
};
