// Interaction checks of the task-weighting guide under the Method dropdown (run by
// interactions.ts): a newcomer compares every method, by family, with its one line and its
// paper, and chooses one with the keyboard.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { DEFAULT_PANELS } from '../../../../src/core/designerProtocol';
import { WEIGHTING_METHODS } from '../../../../src/core/weighting/registry';
import { AUDITED_THEMES } from '../../../harness/themes';
import { lowContrastPaintedTexts } from './paintedContrast';
import type { Check } from './readabilityChecks';

const GUIDE = '.weighting-guide';
/** At 900 px the side panels start collapsed (sidePanels.ts): the inspector as the user opened it there. */
const INSPECTOR_OPEN = { ...DEFAULT_PANELS, narrowInspector: true };

/** The Training tab with the guide opened (its summary clicked). */
async function openGuide(page: Page): Promise<void> {
  await page.click('#tab-training');
  await page.locator(`${GUIDE} > summary`).scrollIntoViewIfNeeded();
  await page.click(`${GUIDE} > summary`);
  await page.waitForSelector(`${GUIDE}[open] .weighting-choice`);
}

/** Texts of the guide cut off: wider than their box, or past the inspector's right side. */
async function clippedTexts(page: Page): Promise<string[]> {
  return page.evaluate((guide) => {
    const right = document.querySelector('.inspector')!.getBoundingClientRect().right;
    return [...document.querySelectorAll(`${guide} summary, ${guide} h4, ${guide} p, ${guide} .weighting-choice > span`)]
      .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > right + 0.5)
      .map((e) => e.textContent ?? '');
  }, GUIDE);
}

const focusedMethod = (page: Page): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-method') ?? null);

export const weightingGuideChecks: Check[] = [
  ['weighting guide: every method under its family with its one line and its paper, nothing clipped at 900 px; Tab reaches the methods with a visible focus and Enter chooses one', async (d) => {
    await openGuide(d.page);
    for (const family of ['loss', 'gradient'] as const) {
      const listed = await d.page.locator(`${GUIDE} [data-family="${family}"] .weighting-choice`).evaluateAll((bs) => bs.map((b) => ({
        id: b.getAttribute('data-method'), summary: b.querySelector('.weighting-summary')?.textContent, paper: b.querySelector('.weighting-paper')?.textContent,
      })));
      assert.deepEqual(listed, WEIGHTING_METHODS.filter((m) => m.description.family === family).map(({ description: m }) => ({ id: m.id, summary: m.summary, paper: m.paper })), `the ${family} family`);
    }
    assert.equal(await d.page.locator(`${GUIDE} > summary`).textContent(), `Compare all ${WEIGHTING_METHODS.length} methods`);
    assert.deepEqual(await clippedTexts(d.page), []);
    // digits-parity weighs its tasks equally: equal is the one marked chosen.
    assert.deepEqual(await d.page.locator(`${GUIDE} .weighting-choice[aria-pressed="true"]`).evaluateAll((bs) => bs.map((b) => b.getAttribute('data-method'))), ['equal']);
    await d.page.locator(`${GUIDE} > summary`).focus();
    await d.page.keyboard.press('Tab');
    assert.equal(await focusedMethod(d.page), 'equal');
    const outline = await d.page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none', 'the focused method shows a focus outline');
    for (let i = 0; i < 30 && (await focusedMethod(d.page)) !== 'mgda'; i++) await d.page.keyboard.press('Tab');
    await d.page.keyboard.press('Enter');
    for (let i = 0; i < 100 && !d.text.includes('"mgda"'); i++) await d.page.waitForTimeout(50);
    assert.deepEqual((JSON.parse(d.text) as { training: { weighting?: unknown } }).training.weighting, { method: 'mgda' });
    await d.page.waitForSelector(`${GUIDE} .weighting-choice[data-method="mgda"][aria-pressed="true"]`);
  }, { width: 900, height: 800, panels: INSPECTOR_OPEN }],
  ['weighting guide: choosing Equal unsets training.weighting, the same edit as the dropdown\'s "Equal (default)" (one meaning, one edit)', async (d) => {
    const weighting = (): unknown => (JSON.parse(d.text) as { training: { weighting?: unknown } }).training.weighting;
    const until = async (ok: () => boolean, what: string): Promise<void> => {
      for (let i = 0; i < 100 && !ok(); i++) await d.page.waitForTimeout(50);
      assert.ok(ok(), what);
    };
    await openGuide(d.page);
    await d.page.click(`${GUIDE} .weighting-choice[data-method="dwa"]`);
    await until(() => JSON.stringify(weighting()) === '{"method":"dwa"}', 'the guide chose DWA');
    await d.page.click(`${GUIDE} .weighting-choice[data-method="equal"]`);
    await until(() => weighting() === undefined, `Equal from the guide unsets the weighting (it is ${JSON.stringify(weighting())})`);
    await d.page.waitForSelector(`${GUIDE} .weighting-choice[data-method="equal"][aria-pressed="true"]`);
    // The dropdown writes the same: DWA, then "Equal (default)".
    const method = d.page.locator('.field[data-path="training.weighting.method"] vscode-dropdown');
    await method.click();
    await method.locator('vscode-option:text-is("DWA")').click();
    await until(() => JSON.stringify(weighting()) === '{"method":"dwa"}', 'the dropdown chose DWA');
    await method.click();
    await method.locator('vscode-option:text-is("Equal (default)")').click();
    await until(() => weighting() === undefined, 'Equal (default) from the dropdown unsets the weighting');
  }, { width: 900, height: 800, panels: INSPECTOR_OPEN }],
  ...AUDITED_THEMES.map(([name, theme]): Check => [
    `weighting guide contrast (${name}): every text at least 4.5:1 against its background, the chosen method marked`, async (d) => {
      await openGuide(d.page);
      assert.deepEqual(await lowContrastPaintedTexts(d.page, `${GUIDE} *`), []);
    }, { theme, width: 1280, height: 800 },
  ]),
];
