// The README's screenshots, in the light and the dark theme: the designer, its Training tab with
// the weighting guide open, the training panel after a training, and the shared-weight diagram of that run. The window starts in
// "Default Light Modern" (user settings the harness writes), then the user switches to
// "Default Dark Modern" with "Preferences: Color Theme" and every view redraws.
// Saved as test-output/e2e/readme-screenshots/<nn>-<view>-<theme>.png; with
// MTS_E2E_UPDATE_SCREENSHOTS=1 also copied to media/screenshots/<view>-<theme>.png.
// The Getting Started walkthrough's pictures are crops of the same views, each to the part its
// step is about (the designer's graph, its shared trunk, the weighting picker, the loss curves, the
// shared-weight diagram; the study step's picture is cropped by studyCompare.mjs), with test/e2e/walkthroughCrop.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths.mjs';
import { assert, expectText, runFolders, runStatus } from '../expect.mjs';
import { walkthroughCropper } from '../walkthroughCrop.mjs';

const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' };

export default {
  name: 'readme screenshots',
  workspace: 'digits-parity',
  settings: { 'workbench.colorTheme': THEMES.light },
  deviceScaleFactor: 2,
  async run(s) {
    const { page } = s;
    const shots = [];
    const shoot = async (view, theme) => { shots.push([await s.screenshot(`${view}-${theme}`), `${view}-${theme}.png`]); };
    const { crop, copyWalkthroughPictures } = walkthroughCropper(s);
    // The designer's parts: the whole graph as it opens; the shared trunk (trunk2 selected) with the heads it feeds.
    const designerCrops = async (designer, theme) => {
      const nodes = designer.locator('.react-flow__node');
      assert(await nodes.count() === 7, `the designer shows ${await nodes.count()} nodes, not 7`);
      await expectText(designer.locator('.react-flow__node[data-id="trunk2"]'), /Shared · 2 tasks/, "trunk2's badge");
      await designer.locator('.react-flow__node[data-id="trunk2"].selected').waitFor();
      await crop('shared', theme, [designer.locator('.mts-group.shared'), designer.locator('.react-flow__node[data-id$="Head"]')]);
      await designer.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await designer.locator('.react-flow__node.selected').waitFor({ state: 'detached' });
      await crop('open', theme, [nodes, designer.locator('.mts-group')]);
      await designer.locator('.react-flow__node[data-id="trunk2"]').click();
      await designer.locator('.react-flow__node[data-id="trunk2"].selected').waitFor();
    };
    // The training panel's loss curves of both tasks (the shared model solid, the baselines dashed),
    // with their task names; drawn beside the side bar, so a chart is about as wide as the
    // walkthrough shows the picture (the panel's full width makes it 650 px).
    const trainingCrop = async (panel, theme) => {
      const tasks = panel.locator('section.task[aria-label^="Task "]');
      assert(await tasks.count() === 2, 'two tasks in the training panel');
      const sidebar = page.locator('.part.sidebar');
      await s.runCommand('View: Toggle Primary Side Bar Visibility');
      await sidebar.waitFor({ state: 'visible' });
      let width = 0;
      await s.waitUntil(async () => {
        const now = await tasks.first().locator('.chart .uplot').first().evaluate((el) => el.getBoundingClientRect().width);
        const still = now === width;
        width = now;
        return still && now < 560;
      }, 'the loss charts to be redrawn narrower beside the side bar');
      for (const t of await tasks.all()) {
        await expectText(t.locator('.chart').first().locator('h4'), /^loss/, "a task's first chart");
        await t.locator('.chart').first().locator('.uplot canvas').first().waitFor();
      }
      await crop('training', theme, [tasks.locator('.task-head h3'), tasks.locator('.chart:first-child')]);
      await s.runCommand('View: Toggle Primary Side Bar Visibility');
      await sidebar.waitFor({ state: 'hidden' });
    };
    // The diagram as the README shows it: the blocks, one L2 bar per layer, the chosen layer's heatmap drawn (not one flat colour).
    const diagramDrawn = async (diagram) => {
      await expectText(diagram.locator('svg.blocks g.block.shared'), /trunk1.*trunk2.*108,736 params/, 'the shared block');
      await s.waitUntil(async () => (await diagram.locator('.bar-row').count()) === 4, 'an L2 bar per layer');
      await s.waitUntil(() => diagram.locator('.heatmap canvas').evaluate((c) => {
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        const seen = new Set();
        for (let i = 0; i < data.length && seen.size < 20; i += 4) seen.add(`${data[i]},${data[i + 1]},${data[i + 2]}`);
        return seen.size >= 20;
      }), 'the heatmap to show the weights');
    };
    // The shared-weight diagram's blocks: the shared one and one per task (the input left out: it is the widest part and says least).
    const diagramCrop = async (diagram, theme) => {
      await expectText(diagram.locator('svg.blocks g.block.shared text.title'), /shared/i, 'the shared block');
      assert(await diagram.locator('svg.blocks g.block.task').count() === 2, 'a block per task');
      await crop('diagram', theme, [diagram.locator('svg.blocks g.block:not(.input)')]);
    };
    // The designer's Training tab with "Compare all N methods" opened under the weighting picker
    // (the README's Multi-task methods section): the picker at the top of the inspector, the
    // methods by family under it. Back to the Node tab after, where the selection is shown.
    const weightingShot = async (designer, theme) => {
      await designer.locator('#tab-training').click();
      const guide = designer.locator('.weighting-guide');
      await expectText(guide.locator('summary'), /^Compare all \d+ methods$/, 'the weighting guide');
      if (!(await guide.evaluate((el) => el.open))) await guide.locator('summary').click();
      await designer.locator('.weighting-family[data-family="gradient"] .weighting-choice').first().waitFor();
      // The tab panel scrolled to the picker (scrollIntoView would scroll the whole page a little too).
      await designer.locator('.variant[data-path="training.weighting"]').evaluate((el) => {
        const panel = el.closest('.tab-panel');
        panel.scrollTop += el.getBoundingClientRect().top - panel.getBoundingClientRect().top;
      });
      await expectText(designer.locator('.weighting-choice[aria-pressed="true"]'), /chosen/, 'the chosen method in the guide');
      await shoot('weighting', theme);
      // The walkthrough's "Weight the tasks": its heading, the picker and the guide's
      // first four methods, no pointer over them; the cards after those are hidden (the crop's margin showed the top of the next).
      // The inspector drawn 500 px wide for it (as wide as the other pictures; 340 px made a strip the walkthrough shows blurred).
      const app = designer.locator('.app');
      await app.evaluate((el) => el.style.setProperty('--inspector-width', '500px'));
      await s.waitUntil(() => designer.locator('.inspector').evaluate((el) => el.getBoundingClientRect().width >= 499), 'the inspector 500 px wide');
      const heading = designer.locator('.tab-panel h3', { hasText: /^Task weighting$/ });
      await heading.evaluate((el) => {
        const panel = el.closest('.tab-panel');
        panel.scrollTop += el.getBoundingClientRect().top - panel.getBoundingClientRect().top - 16;
      });
      await page.mouse.move(1, 1);
      const later = '.weighting-family[data-family="loss"] li:nth-child(n+5), .weighting-family[data-family="gradient"]';
      await designer.locator(later).evaluateAll((els) => els.forEach((e) => { e.style.visibility = 'hidden'; }));
      await crop('weighting', theme, [heading, designer.locator('.variant[data-path="training.weighting"]'), designer.locator('.weighting-family[data-family="loss"] .weighting-choice').nth(3)]);
      await designer.locator(later).evaluateAll((els) => els.forEach((e) => { e.style.visibility = ''; }));
      await app.evaluate((el) => el.style.removeProperty('--inspector-width'));
      await designer.locator('#tab-node').click();
    };
    const themed = async (theme) => {
      await page.locator(`.monaco-workbench.${theme === 'dark' ? 'vs-dark' : 'vs'}`).waitFor();
    };
    // In the theme, and the toolkit's controls drawn: toolkit.js loads once the page is idle,
    // and a designer shown again after the theme switch is a new page (its controls were
    // still hidden in the dark picture).
    const inTheme = async (frame, theme) => {
      await frame.locator(`body.vscode-${theme}`).waitFor();
      await s.waitUntil(() => frame.evaluate(() => document.querySelector(':not(:defined)') === null), 'the toolkit\'s controls to be drawn');
    };

    await themed('light');
    await s.runCommand('View: Close Primary Side Bar');
    let designer = await s.openDesigner('digits-parity.mtl.json');
    await designer.locator('.react-flow__node[data-id="trunk2"]').click();
    await expectText(designer.locator('.inspector .node-header'), /Shared by 2 tasks/, 'the inspector of trunk2');
    await inTheme(designer, 'light');
    await shoot('designer', 'light');
    await designerCrops(designer, 'light');
    await weightingShot(designer, 'light');

    // Train from the designer; the panel opens beside it. One group again for the pictures.
    await designer.locator('vscode-button', { hasText: 'Train' }).click();
    await s.waitForNotification(/digits-parity: training completed/, 300_000);
    const [run] = runFolders(s.workspace);
    assert(run && runStatus(run) === 'completed', `the training did not complete: ${run}`);
    await s.runCommand('Notifications: Clear All Notifications');
    await s.runCommand('View: Join All Editor Groups');
    const showTraining = async (theme) => {
      await page.locator('.tabs-container .tab', { hasText: 'Training: digits-parity' }).click();
      const panel = await s.webviewFrame('Training: digits-parity');
      await panel.locator('table.results').waitFor();
      await s.waitUntil(async () => (await panel.locator('.uplot').count()) >= 6, 'the charts');
      await inTheme(panel, theme);
      return panel;
    };
    await showTraining('light');
    await shoot('training', 'light');
    await trainingCrop(await s.webviewFrame('Training: digits-parity'), 'light');

    await s.runCommand('Multi-Task Studio: Show shared-weight diagram');
    await s.pick('digits-parity', { placeholder: /diagram of which run/ });
    let diagram = await s.webviewFrame(/^Diagram: digits-parity/);
    await diagram.locator('.bar-row', { hasText: 'trunk2' }).click();
    await diagram.locator('.heatmap canvas').waitFor();
    await inTheme(diagram, 'light');
    await diagramDrawn(diagram);
    await shoot('diagram', 'light');
    await diagramCrop(diagram, 'light');

    // Dark: the same three views, each drawn again in the new colours.
    await s.setColorTheme(THEMES.dark);
    await themed('dark');
    diagram = await s.webviewFrame(/^Diagram: digits-parity/);
    await inTheme(diagram, 'dark');
    await diagram.locator('.heatmap canvas').waitFor();
    await diagramDrawn(diagram);
    await shoot('diagram', 'dark');
    await diagramCrop(diagram, 'dark');
    const panel = await showTraining('dark');
    await shoot('training', 'dark');
    await trainingCrop(panel, 'dark');
    await page.locator('.tabs-container .tab', { hasText: 'digits-parity.mtl.json' }).click();
    designer = await s.designer('digits-parity.mtl.json');
    await inTheme(designer, 'dark');
    await expectText(designer.locator('.inspector .node-header'), /Shared by 2 tasks/, 'the inspector of trunk2 (selection kept)');
    await shoot('designer', 'dark');
    await designerCrops(designer, 'dark');
    await weightingShot(designer, 'dark');

    if (process.env.MTS_E2E_UPDATE_SCREENSHOTS === '1') {
      const dest = path.join(repoRoot, 'media', 'screenshots');
      fs.mkdirSync(dest, { recursive: true });
      for (const [file, name] of shots) fs.copyFileSync(file, path.join(dest, name));
      console.log(`    copied ${shots.length} screenshots to media/screenshots/`);
    }
    copyWalkthroughPictures();
  },
};
