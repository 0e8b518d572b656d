// Screenshots of the designer in light, dark and high-contrast themes, for looking at the
// work (not a test: nothing is asserted). Run: node test/unit/designer/harness/run.mjs
// Writes test-output/designer/*.png and prints any console error of the page.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../repoRoot';
import { chromium } from 'playwright-core';
import { digitsParityText, largeModel, threeTasks } from '../fixtures';
import { DesignerPage, type PageOptions } from './designerPage';
import { DARK, HIGH_CONTRAST, LIGHT } from '../../../harness/themes';

const bundleDir = process.argv[2]!;
const only = process.argv[3];
const out = path.resolve(ROOT, 'test-output/designer');
const themes = { light: LIGHT, dark: DARK, hc: HIGH_CONTRAST };
const pretty = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

async function main(): Promise<void> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] });
  const pages: DesignerPage[] = [];
  const open = async (o: Omit<PageOptions, 'bundleDir' | 'theme'> & { look: keyof typeof themes }): Promise<DesignerPage> => {
    const p = await DesignerPage.open(browser, { bundleDir, theme: themes[o.look], ...o });
    pages.push(p);
    await p.waitForLayout();
    return p;
  };
  const shot = async (p: DesignerPage, name: string): Promise<void> => { await p.shot(path.join(out, `${name}.png`)); console.log(`wrote ${name}.png`); };
  const want = (name: string): boolean => !only || name.includes(only);

  try {
    for (const look of ['light', 'dark'] as const) {
      if (!want(`digits-${look}`)) continue;
      const p = await open({ text: digitsParityText, look, fileName: 'digits-parity.mtl.json' });
      await shot(p, `digits-${look}`);
      await p.page.click('.react-flow__node[data-id="trunk1"]');
      await p.page.waitForTimeout(100);
      await shot(p, `digits-${look}-selected`);
    }
    // A laptop's editor beside the side bar (900 px) and an editor split in two (520 px): no room for the minimap.
    for (const [width, look] of [[900, 'light'], [520, 'dark']] as const) {
      if (!want(`digits-${width}`)) continue;
      const p = await open({ text: digitsParityText, look, fileName: 'digits-parity.mtl.json', width, height: 700 });
      await shot(p, `digits-${width}-${look}`);
      // A node selected: at 520 px the inspector under the canvas opens from its strip.
      await p.page.click('.react-flow__node[data-id="trunk2"]');
      await p.page.waitForTimeout(300);
      await shot(p, `digits-${width}-${look}-selected`);
    }
    for (const [example, look] of [['mmoe-regression', 'light'], ['cross-stitch-regression', 'dark']] as const) {
      if (!want(example)) continue;
      const file = path.resolve(ROOT, 'examples', example, `${example}.mtl.json`);
      const p = await open({ text: fs.readFileSync(file, 'utf8'), look, fileName: `${example}.mtl.json` });
      await shot(p, `${example}-${look}`);
      await p.page.click(`.react-flow__node[data-id="${example === 'mmoe-regression' ? 'experts' : 'stitch1'}"]`);
      await p.page.waitForTimeout(150);
      await shot(p, `${example}-${look}-selected`);
    }
    // "Fit view" after zooming in, in the small editors: the look the framed zoom allows (nodes.tsx cardLook).
    for (const [example, width, height, look] of [['multimnist-cnn', 800, 700, 'light'], ['multimnist-cnn', 1024, 768, 'dark'], ['cross-stitch-regression', 800, 700, 'dark'],
      ['cross-stitch-regression', 1024, 768, 'light'], ['tabular-csv', 800, 700, 'light'], ['mmoe-regression', 800, 700, 'dark'], ['sequence-lstm', 800, 700, 'dark']] as const) {
      const name = `fitview-${example}-${width}-${look}`;
      if (!want(name)) continue;
      const file = path.resolve(ROOT, 'examples', example, `${example}.mtl.json`);
      const p = await open({ text: fs.readFileSync(file, 'utf8'), look, fileName: `${example}.mtl.json`, width, height });
      await p.page.locator('.react-flow__controls-zoomin').click();
      await p.page.locator('.react-flow__controls-zoomin').click();
      await p.page.locator('.toolbar vscode-button:has-text("Fit view")').click();
      await p.page.waitForTimeout(800);
      await shot(p, name);
    }
    if (want('three')) {
      const p = await open({ text: pretty(threeTasks()), look: 'dark', fileName: 'two-digits.mtl.json' });
      await shot(p, 'three-tasks-dark');
      await p.page.click('.problem-item >> nth=0');
      await p.page.waitForTimeout(400);
      await shot(p, 'three-tasks-dark-problem');
      await p.page.click('#tab-tasks');
      await p.page.waitForTimeout(100);
      await shot(p, 'three-tasks-dark-tasks');
      await p.page.click('#tab-training');
      await p.page.waitForTimeout(100);
      await shot(p, 'three-tasks-dark-training');
    }
    if (want('training-light')) {
      const p = await open({ text: pretty(threeTasks()), look: 'light', fileName: 'two-digits.mtl.json' });
      await p.page.click('#tab-training');
      await p.page.waitForTimeout(100);
      await shot(p, 'training-light');
    }
    if (want('weighting')) {
      // The weighting picker with a gradient method chosen: its paper, its parameters and the mode.
      const doc = threeTasks() as unknown as { training: Record<string, unknown> };
      doc.training.weighting = { method: 'mgda', mode: 'representation' };
      const p = await open({ text: pretty(doc as never), look: 'dark', fileName: 'two-digits.mtl.json' });
      await p.page.click('#tab-training');
      await p.page.locator('.variant[data-path="training.weighting"]').scrollIntoViewIfNeeded();
      await p.page.waitForTimeout(100);
      await shot(p, 'weighting-dark');
    }
    if (want('evaluation')) {
      // Repeats and cross-validation, rendered from the schema, as a user turns them on.
      const doc = threeTasks() as unknown as { evaluation?: Record<string, unknown> };
      doc.evaluation = { baselines: 'single-task', repeats: 5, crossValidation: { folds: 5 } };
      const p = await open({ text: pretty(doc as never), look: 'light', fileName: 'two-digits.mtl.json' });
      await p.page.click('#tab-training');
      await p.page.locator('.field[data-path="evaluation.crossValidation.test"]').scrollIntoViewIfNeeded();
      await p.page.waitForTimeout(100);
      await shot(p, 'evaluation-light');
    }
    if (want('data')) {
      // "Preview data" on the examples, computed by the trainer's own summary code.
      const examples = path.resolve(ROOT, 'examples');
      const cases = [['digits-parity', 'light'], ['tabular-csv', 'dark'], ['multimnist-cnn', 'hc']] as const;
      for (const [name, look] of cases) {
        const text = fs.readFileSync(path.join(examples, name, `${name}.mtl.json`), 'utf8');
        const p = await open({ text, look, workspaceDir: path.join(examples, name), height: 1100 });
        await p.page.click('#tab-data');
        await p.page.click('text=Preview data');
        await p.page.waitForSelector('[data-testid="data-summary"]');
        await p.page.locator('[data-testid="data-summary"]').scrollIntoViewIfNeeded();
        await shot(p, `data-${name}-${look}`);
        if (name !== 'tabular-csv') continue;
        // A typo in a target, as typed in the text: the preview is marked stale, then the loader's message.
        await p.setText(text.replace('"target": "length_of_stay"', '"target": "stay_days"'));
        await p.page.waitForSelector('.data-preview-stale');
        await shot(p, `data-${name}-${look}-stale`);
        await p.page.click('text=Refresh preview');
        await p.page.waitForSelector('.data-preview-error');
        await shot(p, `data-${name}-${look}-error`);
      }
    }
    if (want('data-partial')) {
      // Partial labels (test fixture): each task says how many rows of the split have its target.
      const dir = path.resolve(ROOT, 'test/fixtures/partial-labels');
      const text = fs.readFileSync(path.join(dir, 'partial-labels.mtl.json'), 'utf8');
      const p = await open({ text, look: 'light', workspaceDir: dir, height: 1100 });
      await p.page.click('#tab-data');
      await p.page.click('text=Preview data');
      await p.page.waitForSelector('[data-testid="labelled-kind"]');
      await p.page.locator('[data-testid="data-summary"]').scrollIntoViewIfNeeded();
      await shot(p, 'data-partial-labels-light');
      await p.page.click('.split-choice button[title="The test split"]');
      await shot(p, 'data-partial-labels-light-test');
    }
    if (want('data-mixed')) {
      // A column mixing numbers and words (test fixture): the warning with its two readings.
      const dir = path.resolve(ROOT, 'test/fixtures/mixed-column');
      const text = fs.readFileSync(path.join(dir, 'mixed-column.mtl.json'), 'utf8');
      for (const look of ['light', 'dark'] as const) {
        const p = await open({ text, look, workspaceDir: dir, height: 1000 });
        await p.page.click('#tab-data');
        await p.page.click('text=Preview data');
        await p.page.waitForSelector('[data-testid="mixed-age"]');
        await p.page.locator('[data-testid="mixed-age"]').scrollIntoViewIfNeeded();
        await shot(p, `data-mixed-column-${look}`);
        if (look !== 'light') continue;
        // Read as numbers, then refreshed: the warning is gone, the column is one numeric feature.
        await p.page.click('vscode-button:has-text("Read as numbers")');
        await p.page.waitForSelector('.data-preview-stale');
        await p.page.click('text=Refresh preview');
        await p.page.waitForSelector('[data-testid="data-summary"]:not(.stale)');
        await shot(p, `data-mixed-column-${look}-numeric`);
      }
    }
    if (want('invalid')) {
      const p = await open({ text: digitsParityText, look: 'dark' });
      await p.setText(digitsParityText.replace('"units": 64,', '"units": 64,,'));
      await p.page.waitForTimeout(200);
      await shot(p, 'invalid-json-dark');
    }
    if (want('restricted')) {
      const p = await open({ text: digitsParityText, look: 'light', trusted: false });
      await shot(p, 'restricted-light');
      await p.page.click('#tab-data');
      await shot(p, 'restricted-data-light');
    }
    if (want('hc')) {
      const p = await open({ text: pretty(threeTasks()), look: 'hc' });
      await p.page.click('.react-flow__node[data-id="drop"]');
      await p.page.waitForTimeout(100);
      await shot(p, 'three-tasks-hc');
    }
    if (want('large')) {
      const p = await open({ text: pretty(largeModel(100)), look: 'dark', width: 1600, height: 900 });
      await shot(p, 'large-dark');
    }
    if (want('narrow')) {
      // A designer in one half of a split editor.
      const p = await open({ text: digitsParityText, look: 'dark', width: 520, height: 860 });
      await p.page.click('.react-flow__node[data-id="trunk1"]');
      await p.page.waitForTimeout(100);
      await shot(p, 'narrow-dark');
      const q = await open({ text: digitsParityText, look: 'light', width: 900, height: 700 });
      await shot(q, 'medium-light');
    }
    if (want('partial')) {
      // A partial layout naming only trunk1; the rest of the picture follows it.
      const doc = { ...JSON.parse(digitsParityText), layout: { trunk1: { x: 0, y: 120 } } };
      const p = await open({ text: pretty(doc), look: 'light', fileName: 'digits-parity.mtl.json' });
      await shot(p, 'partial-layout-light');
      const q = await open({ text: pretty(doc), look: 'dark', fileName: 'digits-parity.mtl.json' });
      await shot(q, 'partial-layout-dark');
    }
    if (want('auto-layout')) {
      // "Auto-layout": elk, loaded on demand, saves every position; the view frames the result.
      const p = await open({ text: pretty(threeTasks()), look: 'light' });
      await p.page.click('vscode-button:has-text("Auto-layout")');
      const named = (): number => Object.keys((JSON.parse(p.text) as { layout?: object }).layout ?? {}).length;
      for (let i = 0; i < 100 && named() === 0; i++) await p.page.waitForTimeout(50);
      await p.page.waitForTimeout(400);
      await shot(p, 'auto-layout-light');
      console.log(`layout after Auto-layout names ${named()} nodes`);
    }
    if (want('split')) {
      // About 650 px of canvas: a designer beside the text editor.
      const p = await open({ text: pretty(threeTasks()), look: 'dark', width: 1150, height: 760 });
      await shot(p, 'split-three-tasks-dark');
      const q = await open({ text: digitsParityText, look: 'light', width: 1150, height: 760 });
      await shot(q, 'split-digits-light');
    }
    {
      // Issue 15's first view: each bundled example as it opens at 1400x900, the harness' default
      // 1400x820, 1024x768, 1000x700 and 800x700, in the three themes (the whole graph readable, badges and shapes on).
      const examples = path.resolve(ROOT, 'examples');
      for (const name of fs.readdirSync(examples).sort()) {
        const file = path.join(examples, name, `${name}.mtl.json`);
        if (!fs.existsSync(file)) continue;
        for (const [width, height] of [[1400, 900], [1400, 820], [1024, 768], [1000, 700], [800, 700]] as const) {
          for (const look of ['light', 'dark', 'hc'] as const) {
            if (!want(`first-${name}-${width}x${height}-${look}`)) continue;
            const p = await open({ text: fs.readFileSync(file, 'utf8'), look, width, height, fileName: `${name}.mtl.json`, workspaceDir: path.dirname(file) });
            await shot(p, `first-${name}-${width}x${height}-${look}`);
            await p.close();
          }
        }
      }
    }
    if (want('newcomer')) {
      // A newcomer's first look: the bundled example as it opens in a 1280x800 window and in a
      // 900 px wide panel, in the three themes; then the weighting picker opened.
      const text = fs.readFileSync(path.resolve(ROOT, 'examples/digits-parity/digits-parity.mtl.json'), 'utf8');
      for (const [width, height] of [[1280, 800], [900, 800]] as const) {
        for (const look of ['light', 'dark', 'hc'] as const) {
          const p = await open({ text, look, width, height, fileName: 'digits-parity.mtl.json' });
          await shot(p, `newcomer-${width}-${look}`);
          if (look === 'dark' || (look === 'hc' && width === 900)) {
            await p.page.click('#tab-training');
            await p.page.locator('.variant[data-path="training.weighting"]').scrollIntoViewIfNeeded();
            await p.page.locator('.variant[data-path="training.weighting"] vscode-dropdown').first().click();
            await p.page.waitForTimeout(200);
            await shot(p, `newcomer-${width}-${look}-weighting-open`);
            await p.page.keyboard.press('Escape');
            await p.page.click('.weighting-guide > summary');
            await p.page.locator('.weighting-family[data-family="gradient"]').scrollIntoViewIfNeeded();
            await p.page.waitForTimeout(100);
            await shot(p, `newcomer-${width}-${look}-weighting-guide`);
          }
          await p.close();
        }
      }
    }
    if (want('walkthrough')) {
      // The designer as the Getting Started walkthrough's first two steps show it: the example as
      // it opens, then its shared trunk selected. (The pictures in media/walkthrough/ are crops
      // made in a real VS Code by test/e2e/scenarios/readmeScreenshots.mjs.)
      const text = fs.readFileSync(path.resolve(ROOT, 'examples/digits-parity/digits-parity.mtl.json'), 'utf8');
      for (const look of ['light', 'dark'] as const) {
        const p = await open({ text, look, width: 1400, height: 900, fileName: 'digits-parity.mtl.json' });
        await shot(p, `walkthrough-open-${look}`);
        await p.page.click('.react-flow__node[data-id="trunk2"]');
        await p.page.waitForSelector('.node-form h2:text-is("trunk2")');
        await shot(p, `walkthrough-shared-${look}`);
        await p.close();
      }
    }
    if (want('keyboard')) {
      // Keyboard focus in each theme: a card reached with Tab, selected with Enter, then C opens "Connect output to…".
      for (const look of ['light', 'dark', 'hc'] as const) {
        const p = await open({ text: digitsParityText, look, width: 1400, height: 900 });
        for (let i = 0; i < 60 && !(await p.page.evaluate(() => document.activeElement?.getAttribute('data-id') === 'trunk2')); i++) await p.page.keyboard.press('Tab');
        await p.page.keyboard.press('Enter');
        await p.page.keyboard.press('c');
        await p.page.waitForSelector('#connect-to-list');
        await shot(p, `keyboard-connect-${look}`);
        await p.close();
      }
    }
    if (want('edit')) {
      // A round trip: palette click after the selected node, then the text the host holds.
      const p = await open({ text: digitsParityText, look: 'light' });
      await p.page.click('.react-flow__node[data-id="trunk2"]');
      await p.page.click('.palette-item:text-is("dropout")');
      await p.page.waitForSelector('.react-flow__node[data-id="dropout1"]');
      await p.waitForLayout();
      await shot(p, 'edit-added-dropout');
      console.log(p.text.split('\n').filter((l) => l.includes('dropout1')).join('\n'));
    }
  } finally {
    for (const p of pages) if (p.errors.length) console.log(`console errors: ${p.errors.join('\n')}`);
    await browser.close();
  }
}

main().catch((error: unknown) => { console.error(error); process.exitCode = 1; });
