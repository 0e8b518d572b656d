// Interaction checks of the canvas for a keyboard and screen-reader user (run by interactions.ts).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { largeModel } from '../fixtures';
import type { Check } from './readabilityChecks';

/** The focused element: a canvas card's id, or its accessible name. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) { if (check()) return; await new Promise((r) => setTimeout(r, 50)); }
  assert.fail(`timed out waiting for: ${what}`);
}

const focusedId = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.getAttribute('data-id') ?? document.activeElement?.getAttribute('aria-label') ?? '');

/** Focuses the canvas itself (as a click on its empty background does) and presses Tab `n` times: the ids reached. */
async function tabsFromCanvas(page: Page, n: number): Promise<string[]> {
  await page.locator('.canvas').focus();
  const reached: string[] = [];
  for (let i = 0; i < n; i++) { await page.keyboard.press('Tab'); reached.push(await focusedId(page)); }
  return reached;
}

export const keyboardChecks: Check[] = [
  ['keyboard: the first Tab into the canvas reaches the input card, then the layers in order; connections are named but no Tab stop', async (d) => {
    assert.deepEqual(await tabsFromCanvas(d.page, 3), ['image', 'trunk1', 'trunk2']);
    // A screen reader still finds every connection, and each card says what it reads.
    assert.equal(await d.page.locator('.react-flow__edge[aria-label="trunk1 feeds trunk2"]').count(), 1);
    assert.match(await d.page.locator('.react-flow__node[data-id="trunk2"]').getAttribute('aria-label') ?? '', /^dense trunk2, 64 units · relu, reads trunk1, output \[64\]/);
  }],
  ['keyboard: Delete on a focused card hands the focus to the card it read, so Tab carries on in the graph (not from the toolbar)', async (d) => {
    assert.deepEqual(await tabsFromCanvas(d.page, 2), ['image', 'trunk1']);
    await d.page.keyboard.press('Enter');
    await d.page.keyboard.press('Delete');
    await until(() => !d.text.includes('"id": "trunk1"'), 'trunk1 deleted');
    await d.page.waitForSelector('.react-flow__node[data-id="trunk1"]', { state: 'detached' });
    assert.equal(await focusedId(d.page), 'image');
    // The deletion bridged trunk2 to image: the next card in order.
    await d.page.keyboard.press('Tab');
    assert.equal(await focusedId(d.page), 'trunk2');
  }],
  ['keyboard: the inspector\'s Delete hands the focus to the card the deleted layer read', async (d) => {
    await d.page.click('.react-flow__node[data-id="parityHead"]');
    await d.page.locator('.node-form vscode-button:has-text("Delete")').click();
    await until(() => !d.text.includes('"id": "parityHead"'), 'parityHead deleted');
    await d.page.waitForSelector('.react-flow__node[data-id="parityHead"]', { state: 'detached' });
    assert.equal(await focusedId(d.page), 'trunk2');
  }],
  ['keyboard: the palette is one Tab stop between the toolbar and the graph; the arrow keys, Home and End go through its entries and Tab leaves it where it was', async (d) => {
    await d.page.locator('.palette-item').first().focus();
    const name = (): Promise<string> => d.page.evaluate(() => document.activeElement?.textContent ?? '');
    await d.page.keyboard.press('ArrowDown');
    assert.equal(await name(), 'dense');
    await d.page.keyboard.press('ArrowDown');
    await d.page.keyboard.press('ArrowUp');
    await d.page.keyboard.press('ArrowDown');
    assert.equal(await name(), 'dropout');
    await d.page.keyboard.press('End');
    assert.equal(await name(), 'select');
    await d.page.keyboard.press('ArrowDown');
    assert.equal(await name(), 'input', 'past the last entry, the first');
    await d.page.keyboard.press('ArrowUp');
    assert.equal(await name(), 'select');
    // Tab leaves the palette at once: the next stop is past it (no other palette entry).
    await d.page.keyboard.press('Tab');
    assert.equal(await d.page.evaluate(() => document.activeElement?.classList.contains('palette-item')), false, 'Tab leaves the palette');
    // Shift+Tab comes back to the entry it left, not to the first.
    await d.page.keyboard.press('Shift+Tab');
    assert.equal(await name(), 'select');
    // From the toolbar's last button, one Tab into the palette and one more past it.
    await d.page.locator('.toolbar vscode-button', { hasText: 'Train' }).focus();
    const stops: string[] = [];
    for (let i = 0; i < 2; i++) { await d.page.keyboard.press('Tab'); stops.push(await d.page.evaluate(() => document.activeElement?.className ?? '')); }
    assert.equal(stops.filter((c) => c.includes('palette-item')).length, 1, `one palette stop in ${JSON.stringify(stops)}`);
  }],
  ['keyboard: in a 100-layer graph the first Tab into the canvas reaches its input (not the first of 104 connections)', async (d) => {
    assert.deepEqual(await tabsFromCanvas(d.page, 1), ['x']);
  }, { text: `${JSON.stringify(largeModel(100), null, 2)}\n`, width: 1600, height: 900 }],
];
