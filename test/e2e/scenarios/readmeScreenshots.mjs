// The README's screenshots, in the light and the dark theme: the designer, the training
// panel after a training, and the shared-weight diagram of that run. The window starts in
// "Default Light Modern" (user settings the harness writes), then the user switches to
// "Default Dark Modern" with "Preferences: Color Theme" and every view redraws.
// Saved as test-output/e2e/readme-screenshots/<nn>-<view>-<theme>.png; with
// MTS_E2E_UPDATE_SCREENSHOTS=1 also copied to media/screenshots/<view>-<theme>.png.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../paths.mjs';
import { assert, expectText, runFolders, runStatus } from '../expect.mjs';

const THEMES = { light: 'Default Light Modern', dark: 'Default Dark Modern' };

export default {
  name: 'readme screenshots',
  workspace: 'digits-parity',
  settings: { 'workbench.colorTheme': THEMES.light },
  async run(s) {
    const { page } = s;
    const shots = [];
    const shoot = async (view, theme) => { shots.push([await s.screenshot(`${view}-${theme}`), `${view}-${theme}.png`]); };
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
    await s.openFile('digits-parity.mtl.json');
    let designer = await s.webviewFrame('Designer: digits-parity.mtl.json');
    await designer.locator('.canvas[data-layout="ready"]').waitFor();
    await designer.locator('.react-flow__node[data-id="trunk2"]').click();
    await expectText(designer.locator('.inspector .node-header'), /Shared by 2 tasks/, 'the inspector of trunk2');
    await inTheme(designer, 'light');
    await shoot('designer', 'light');

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

    await s.runCommand('Multi-Task Studio: Show shared-weight diagram');
    await s.pick('digits-parity', { placeholder: /diagram of which run/ });
    let diagram = await s.webviewFrame(/^Diagram: digits-parity/);
    await diagram.locator('.bar-row', { hasText: 'trunk2' }).click();
    await diagram.locator('.heatmap canvas').waitFor();
    await inTheme(diagram, 'light');
    await shoot('diagram', 'light');

    // Dark: the same three views, each drawn again in the new colours.
    await s.setColorTheme(THEMES.dark);
    await themed('dark');
    diagram = await s.webviewFrame(/^Diagram: digits-parity/);
    await inTheme(diagram, 'dark');
    await diagram.locator('.heatmap canvas').waitFor();
    await shoot('diagram', 'dark');
    await showTraining('dark');
    await shoot('training', 'dark');
    await page.locator('.tabs-container .tab', { hasText: 'digits-parity.mtl.json' }).click();
    designer = await s.webviewFrame('Designer: digits-parity.mtl.json');
    await designer.locator('.canvas[data-layout="ready"]').waitFor();
    await inTheme(designer, 'dark');
    await expectText(designer.locator('.inspector .node-header'), /Shared by 2 tasks/, 'the inspector of trunk2 (selection kept)');
    await shoot('designer', 'dark');

    if (process.env.MTS_E2E_UPDATE_SCREENSHOTS === '1') {
      const dest = path.join(repoRoot, 'media', 'screenshots');
      fs.mkdirSync(dest, { recursive: true });
      for (const [file, name] of shots) fs.copyFileSync(file, path.join(dest, name));
      console.log(`    copied ${shots.length} screenshots to media/screenshots/`);
    }
  },
};
