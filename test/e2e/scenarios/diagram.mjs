// The shared-weight diagram of a finished run: train from the designer's ▶ Train button,
// then F1 → "Show shared-weight diagram" → pick the run. The blocks (input, the trunk shared
// by both tasks, one branch per task) are drawn with their parameter counts; the trained
// weights show as L2 bars per layer, and choosing a layer draws its weights as a heatmap.
// After a window reload the diagram comes back from the run folder.
import { assert, expectText, runFolders, runStatus } from '../expect.mjs';

/** How many distinct colours a canvas holds (a blank or one-colour heatmap has 1). */
const canvasColours = (canvas) => canvas.evaluate((c) => {
  const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
  const seen = new Set();
  for (let i = 0; i < data.length && seen.size < 50; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
  return seen.size;
});

export default {
  name: 'shared-weight diagram of a trained run',
  workspace: 'tiny',
  async run(s) {
    const { page } = s;
    const designer = await s.openDesigner('tiny.mtl.json');
    await designer.locator('vscode-button', { hasText: 'Train' }).click();
    await s.waitForNotification(/digits-parity-tiny: training completed/, 300_000);
    const runs = runFolders(s.workspace);
    assert(runs.length === 1 && runStatus(runs[0]) === 'completed', `expected one completed run, found ${JSON.stringify(runs.map((r) => [r, runStatus(r)]))}`);

    // With the training panel in front (not an experiment), the command asks which run.
    await page.locator('.tabs-container .tab', { hasText: 'Training: digits-parity-tiny' }).click();
    await s.runCommand('Multi-Task Studio: Show shared-weight diagram');
    await s.pick('digits-parity-tiny', { placeholder: /diagram of which run/ });
    const d = await s.webviewFrame(/^Diagram: digits-parity-tiny · \d{8}-\d{6}/);
    await expectText(d.locator('.head .source'), /^trained run digits-parity-tiny/, 'the diagram source');
    await expectText(d.locator('p.summary'), /109,451 parameters in the shared model: 108,736 shared by the tasks \(99\.3%\)/, 'the parameter summary');

    // The blocks: the input, the trunk shared by all tasks, a branch per task.
    const svg = d.locator('svg.blocks');
    await svg.waitFor();
    await expectText(svg.locator('g.block.input .title'), 'input image', 'the input block');
    await expectText(svg.locator('g.block.shared .title'), 'shared by all tasks', 'the shared block');
    await expectText(svg.locator('g.block.shared'), /trunk1.*trunk2.*108,736 params · 99\.3%/, 'the shared block\'s layers');
    await expectText(svg.locator('g.block.task', { hasText: 'only digit' }), /digitHead.*650 params/, 'the digit branch');
    await expectText(svg.locator('g.block.task', { hasText: 'only parity' }), /parityHead.*65 params/, 'the parity branch');
    const box = await svg.boundingBox();
    assert(box && box.width > 200 && box.height > 100, `the diagram is drawn at a visible size: ${JSON.stringify(box)}`);

    // Trained weights: one L2 bar per layer, none empty.
    const bars = d.locator('.bar-row');
    await bars.first().waitFor();
    const labels = await bars.locator('.bar-label').allTextContents();
    assert(JSON.stringify(labels) === JSON.stringify(['trunk1', 'trunk2', 'digitHead', 'parityHead']), `bar rows: ${labels}`);
    for (const row of await bars.all()) {
      const width = await row.locator('.bar-fill').evaluate((el) => el.getBoundingClientRect().width);
      const value = Number(await row.locator('.bar-value').textContent());
      assert(width > 0 && value > 0, `${await row.locator('.bar-label').textContent()}: bar ${width} px for L2 ${value}`);
    }
    // Choosing a layer: its kernel as a heatmap (with more than one colour) and a histogram.
    await bars.filter({ hasText: 'trunk2' }).click();
    const heatmap = d.locator('.heatmap canvas');
    await heatmap.waitFor();
    await s.waitUntil(async () => (await canvasColours(heatmap)) > 10, 'the heatmap to show the weights');
    await d.locator('.histogram rect.hist-bar').first().waitFor();
    await expectText(d.locator('.detail .stats'), /trunk2\/kernel · shape \[128×64\] · 8,192 weights/, 'the chosen weight');
    await s.screenshot('diagram');

    // A window reload brings the diagram back (onWebviewPanel:multiTaskStudio.diagram). Its
    // first requests for the bundle can fail then (see src/host/webviewLoader.ts).
    await s.runCommand('Developer: Reload Window');
    await page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    const again = await s.webviewShowing(/^Diagram: digits-parity-tiny/, 'svg.blocks g.block.shared');
    assert(await again.locator('svg.blocks g.block.task').count() === 2, 'a block per task after the reload');
    await s.waitUntil(async () => (await again.locator('.bar-row').count()) === 4, 'an L2 bar per layer after the reload');
    await s.screenshot('diagram-after-reload');
    // So does the designer beside it (a custom editor, restored by VS Code itself).
    await page.locator('.tabs-container .tab', { hasText: 'tiny.mtl.json' }).click();
    const restored = await s.designer('tiny.mtl.json');
    for (const id of ['trunk1', 'trunk2', 'digitHead', 'parityHead']) await restored.locator(`.react-flow__node[data-id="${id}"]`).waitFor();
    await expectText(restored.locator('footer.summary'), /Parameters\s*\d/, 'the designer\'s parameter count after the reload');
    await s.screenshot('designer-after-reload');
  },
};
