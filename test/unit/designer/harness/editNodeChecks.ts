// Interaction checks of editing a card in a narrow designer (run by interactions.ts): between 761
// and 960 px the inspector starts collapsed (sidePanels.ts), and a click on a card selected it and
// nothing else happened. The selected card offers "Edit <id>" beside it; Enter on the selected card
// and a double-click do the same; each shows the inspector with the focus on the card's first field.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { digitsParityText } from '../fixtures';
import { lowContrastPaintedTexts } from './paintedContrast';
import type { Check } from './readabilityChecks';
import { AUDITED_THEMES } from '../../../harness/themes';

const NARROW = { text: digitsParityText, width: 800, height: 700, fileName: 'digits-parity.mtl.json' };
const card = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const inspectorShown = (page: Page): Promise<string | null> => page.locator('.panel-toggle:has-text("Inspector")').getAttribute('aria-pressed');

/** The inspector shows `id`'s form and the focus is in one of its fields. */
async function editing(page: Page, id: string): Promise<void> {
  await page.waitForSelector(`.inspector .node-form h2:text-is("${id}")`);
  assert.equal(await inspectorShown(page), 'true', 'the inspector shown');
  await page.waitForFunction(() => document.activeElement?.closest('.inspector .field') !== null, undefined, { timeout: 5000 });
}

const boxOf = async (page: Page, selector: string) => (await page.locator(selector).boundingBox())!;

export const editNodeChecks: Check[] = [
  ['narrow designer (800x700, inspector collapsed): a clicked card offers "Edit trunk1" beside it, inside the canvas and not over the card; it shows trunk1\'s settings, the focus in its first field', async (d) => {
    assert.equal(await inspectorShown(d.page), 'false');
    await card(d.page, 'trunk1').click();
    const edit = d.page.getByRole('button', { name: 'Edit trunk1', exact: true });
    await edit.waitFor();
    const [button, trunk1, canvas] = [await edit.boundingBox(), await boxOf(d.page, '.react-flow__node[data-id="trunk1"]'), await boxOf(d.page, '.canvas')];
    assert.ok(button, 'the button is drawn');
    const apart = button.x >= trunk1.x + trunk1.width || button.x + button.width <= trunk1.x || button.y >= trunk1.y + trunk1.height || button.y + button.height <= trunk1.y;
    assert.ok(apart, `the button ${JSON.stringify(button)} covers the card ${JSON.stringify(trunk1)}`);
    assert.ok(button.x >= canvas.x && button.y >= canvas.y && button.x + button.width <= canvas.x + canvas.width && button.y + button.height <= canvas.y + canvas.height, 'the button inside the canvas');
    await edit.click();
    await editing(d.page, 'trunk1');
    // Shown, the inspector is where the settings are: no button any more.
    assert.equal(await d.page.locator('.edit-node').count(), 0);
  }, NARROW],
  ['narrow designer (800x700): Enter on a card selects it, Enter again shows its settings; a double-click on another card shows its settings', async (d) => {
    await d.page.locator('.canvas').focus();
    for (let i = 0; i < 3 && await d.page.evaluate(() => document.activeElement?.getAttribute('data-id')) !== 'trunk2'; i++) await d.page.keyboard.press('Tab');
    assert.equal(await d.page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'trunk2');
    await d.page.keyboard.press('Enter');
    await d.page.getByRole('button', { name: 'Edit trunk2', exact: true }).waitFor();
    assert.equal(await inspectorShown(d.page), 'false', 'the first Enter only selects');
    await d.page.keyboard.press('Enter');
    await editing(d.page, 'trunk2');
    // Collapsed again, a double-click on another card.
    await d.page.locator('.panel-toggle:has-text("Inspector")').click();
    assert.equal(await inspectorShown(d.page), 'false');
    await card(d.page, 'digitHead').dblclick();
    await editing(d.page, 'digitHead');
  }, NARROW],
  ...AUDITED_THEMES.map(([name, theme]): Check => [
    `narrow designer (${name}): "Edit trunk1" has its name, readable colours, and Tab reaches it from the card with a focus ring`, async (d) => {
      await d.page.locator('.canvas').focus();
      for (let i = 0; i < 2; i++) await d.page.keyboard.press('Tab');
      assert.equal(await d.page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'trunk1');
      await d.page.keyboard.press('Enter');
      await d.page.locator('.edit-node').waitFor();
      assert.deepEqual(await lowContrastPaintedTexts(d.page, '.edit-node'), []);
      let reached = false;
      for (let i = 0; i < 12 && !reached; i++) {
        await d.page.keyboard.press('Tab');
        reached = await d.page.evaluate(() => document.activeElement?.classList.contains('edit-node') ?? false);
      }
      assert.ok(reached, 'Tab reaches "Edit trunk1"');
      const ring = await d.page.evaluate(() => { const s = getComputedStyle(document.activeElement!); return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor }; });
      assert.ok(ring.style !== 'none' && ring.width >= 1 && !/rgba\(.*, 0\)$|transparent/.test(ring.color), `focus ring ${JSON.stringify(ring)}`);
      await d.page.keyboard.press('Enter');
      await editing(d.page, 'trunk1');
    }, { ...NARROW, theme },
  ]),
];
