// An MMoE experiment trained with a gradient method, as a user meets it: open the bundled
// example (examples/mmoe-regression: four experts, a softmax gate per task), pick PCGrad in
// the designer's Training tab (the weighting dropdown) and fewer epochs, save, F1 → "Train
// multi-task model". The training panel plots each task's effective weight (one series per
// task, named in the chart's legend); "Show shared-weight diagram" shows the gate heatmap,
// one row per task, each row a softmax over the experts (summing to 1, as summary.json says).
import fs from 'node:fs';
import path from 'node:path';
import { assert, expectText, runFolders, runStatus } from '../expect.mjs';

const FILE = 'mmoe-regression.mtl.json';
const METHOD = 'pcgrad';
/** The method as the weighting dropdown names it (its title). */
const METHOD_TITLE = 'PCGrad';
const EPOCHS = 3;

/** The text of the option a toolkit drop-down shows as chosen. */
const chosen = (dropdown) => dropdown.evaluate((el) => [...el.querySelectorAll('vscode-option')].find((o) => o.selected)?.textContent?.trim());

/** Picks `label` in a toolkit drop-down (vscode-dropdown): open it, click the option. */
async function choose(dropdown, label) {
  await dropdown.click();
  await dropdown.locator('vscode-option', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).click();
}

export default {
  name: 'mmoe trained with a gradient method: task weights and gates',
  workspace: 'mmoe-regression',
  async run(s) {
    const { page } = s;
    const file = path.join(s.workspace, FILE);
    const original = JSON.parse(fs.readFileSync(file, 'utf8'));
    const tasks = original.tasks.map((t) => t.id);
    const experts = original.model.layers.find((l) => l.type === 'mmoe').experts;
    assert(tasks.length === 2 && experts === 4, `the example: tasks ${tasks}, ${experts} experts`);

    // The designer's Training tab: the weighting method from its dropdown, epochs typed.
    const d = await s.openDesigner(FILE);
    await d.locator('#tab-training').click();
    const method = d.locator('.field[data-path="training.weighting.method"] vscode-dropdown');
    await choose(method, METHOD_TITLE);
    // The method's own fields appear with it (the mode: on the shared parameters or representation),
    // the mode unset and named by its default.
    const mode = d.locator('.field[data-path="training.weighting.mode"] vscode-dropdown');
    await mode.waitFor();
    await s.waitUntil(async () => (await chosen(method)) === METHOD_TITLE, `the method dropdown to show ${METHOD_TITLE}`);
    assert(await chosen(mode) === 'parameters (default)', `the mode dropdown shows "${await chosen(mode)}", not "parameters (default)"`);
    await s.replaceText(d.locator('.field[data-path="training.epochs"] vscode-text-field'), String(EPOCHS));
    await d.locator('.variant[data-path="training.weighting"]').scrollIntoViewIfNeeded();
    await s.screenshot('designer-weighting');
    await page.keyboard.press('Control+S');
    await s.waitUntil(() => {
      const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
      return saved.training.weighting?.method === METHOD && saved.training.epochs === EPOCHS;
    }, `the saved file to hold weighting ${METHOD} and ${EPOCHS} epochs`);

    // Train from the palette: the designer is the active tab, so no question which experiment.
    await s.runCommand('Multi-Task Studio: Train multi-task model');
    const panel = await s.webviewFrame(`Training: ${original.name}`);
    await expectText(panel.locator('.head .meta'), new RegExp(`weighting ${METHOD}`), 'the weighting in the panel header');
    await s.waitForNotification(new RegExp(`${original.name}: training completed`), 300_000);
    const runs = runFolders(s.workspace);
    assert(runs.length === 1 && runStatus(runs[0]) === 'completed', `expected one completed run, found ${JSON.stringify(runs.map((r) => [r, runStatus(r)]))}`);
    const summary = JSON.parse(fs.readFileSync(path.join(runs[0], 'summary.json'), 'utf8'));
    // The end notification would cover the panel in the pictures: dismissed, as a user does.
    await s.runCommand('Notifications: Clear All Notifications');
    // The panel in front, its group maximized, so that the pictures show the charts and the
    // diagram whole. (The training panel in front, not the experiment: the diagram command
    // then asks which run.)
    await page.locator('.tabs-container .tab', { hasText: `Training: ${original.name}` }).click();
    await s.runCommand('View: Toggle Maximize Editor Group');

    // The task-weight chart: its title and one legend entry per task, each with a value.
    const chart = panel.locator('section.chart', { has: panel.locator('h4', { hasText: /task weight/i }) });
    await chart.locator('.uplot').waitFor();
    const title = (await chart.locator('h4').textContent())?.trim();
    const legend = (await chart.locator('.u-legend .u-series .u-label').allTextContents()).map((t) => t.trim());
    console.log(`    weight chart "${title}", legend ${JSON.stringify(legend)}`);
    assert(title === `task weights (${METHOD}: coefficient of each task's gradient)`, `the weight chart's title says what a gradient method's weights are: "${title}"`);
    for (const t of tasks) assert(legend.includes(t), `the task-weight chart's legend names ${t}: ${JSON.stringify(legend)}`);
    assert(legend.filter((l) => tasks.includes(l)).length === tasks.length, `one series per task: ${JSON.stringify(legend)}`);
    await chart.evaluate((el) => el.scrollIntoView({ block: 'end' })); // the charts above it clear of the panel's sticky header
    await s.screenshot('training-panel-task-weights');

    // The diagram of the run: the gate heatmap, one row per task, one column per expert.
    await s.runCommand('Multi-Task Studio: Show shared-weight diagram');
    await s.pick(original.name, { placeholder: /diagram of which run/ });
    const diagram = await s.webviewFrame(new RegExp(`^Diagram: ${original.name} · \\d{8}-\\d{6}`));
    const heatmap = diagram.locator('table.gate-heatmap');
    await heatmap.waitFor();
    const rows = await heatmap.locator('tbody tr').all();
    const rowNames = await heatmap.locator('tbody th[scope="row"]').allTextContents();
    assert(JSON.stringify(rowNames) === JSON.stringify(tasks), `gate heatmap rows: ${JSON.stringify(rowNames)} (expected one per task: ${tasks})`);
    const gates = summary.gates?.[0];
    assert(gates && gates.weights.length === tasks.length, `summary.json gates: ${JSON.stringify(summary.gates)}`);
    for (const [i, row] of rows.entries()) {
      const cells = (await row.locator('td').allTextContents()).map(Number);
      assert(cells.length === experts, `row ${rowNames[i]}: ${cells.length} cells for ${experts} experts`);
      const sum = cells.reduce((a, b) => a + b, 0);
      assert(Math.abs(sum - 1) <= 0.03, `row ${rowNames[i]} sums to ${sum} (a softmax, shown to 2 decimals)`);
      const expected = gates.weights[i].map((w) => w.toFixed(2)).join(' ');
      assert(cells.map((c) => c.toFixed(2)).join(' ') === expected, `row ${rowNames[i]}: ${cells} vs summary.json ${expected}`);
    }
    await heatmap.scrollIntoViewIfNeeded();
    await s.screenshot('diagram-gate-heatmap');
    const errors = s.consoleErrors.filter((e) => !/Failed to load resource/.test(e));
    assert(errors.length === 0, `console errors: ${errors.join('\n')}`);
  },
};
