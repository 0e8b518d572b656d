// Interaction checks of the designer for a keyboard or screen-reader user in every kind of theme
// (run by interactions.ts): names, focus rings and traps read from Chromium (a11yAudit.ts), and
// the view's moves without motion when the user reduces it.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { digitsParityText } from '../fixtures';
import { tabWalk, unnamedControls } from './a11yAudit';
import type { Check } from './readabilityChecks';
import { AUDITED_THEMES } from '../../../harness/themes';


const focusChecks = AUDITED_THEMES.map(([name, theme]): Check => [
  `a11y (${name}): every control has a name, every Tab stop paints a focus ring (the canvas's own too), and Tab leaves each of them; trunk2 selected`, async (d) => {
    await d.page.click('.react-flow__node[data-id="trunk2"]');
    await d.page.waitForSelector('.node-form h2:text-is("trunk2")');
    await d.page.waitForTimeout(300); // the toolkit's controls upgrade
    assert.deepEqual(await unnamedControls(d.page), []);
    const walk = await tabWalk(d.page);
    // The toolbar, the palette, the canvas, its seven cards and the inspector's fields are all reached.
    assert.ok(walk.stops.length >= 20, `${walk.stops.length} Tab stops`);
    assert.ok(walk.stops.some((s) => s.includes('|Model graph.')), 'the canvas is a Tab stop');
    assert.deepEqual(walk.noRing, []);
    assert.equal(walk.trapped, undefined);
  }, { text: digitsParityText, theme, width: 1400, height: 900 },
]);

/** The viewport's transform on each of the next `frames` animation frames. */
const transforms = (page: Page, frames: number): Promise<string[]> => page.evaluate((n) => new Promise<string[]>((resolve) => {
  const seen: string[] = [];
  const take = (): void => {
    seen.push(getComputedStyle(document.querySelector('.react-flow__viewport')!).transform);
    if (seen.length < n) requestAnimationFrame(take); else resolve(seen);
  };
  take();
}), frames);

/**
 * Zooms in (the zoom controls' +), then presses "Fit view" inside the page: the viewport's transform
 * just before, at once after the click (its handlers and their microtasks done: a jump has landed
 * there, a glide has not begun, as it moves on animation frames), and on each of the next 12 frames.
 */
async function fitAfterZoom(page: Page): Promise<{ before: string; atOnce: string; after: string[] }> {
  await page.locator('.react-flow__controls-zoomin').click();
  await page.locator('.react-flow__controls-zoomin').click();
  await page.waitForTimeout(400);
  const { before, atOnce } = await page.evaluate(async () => {
    const transform = (): string => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform;
    const button = [...document.querySelectorAll<HTMLElement>('vscode-button')].find((b) => b.textContent?.includes('Fit view'))!;
    const was = transform();
    button.click();
    await Promise.resolve();
    return { before: was, atOnce: transform() };
  });
  return { before, atOnce, after: await transforms(page, 12) };
}

const motionChecks: Check[] = [
  ['reduced motion (the system\'s): "Fit view" jumps to the whole graph, no frame in between (it glides otherwise)', async (d) => {
    await d.page.emulateMedia({ reducedMotion: 'reduce' });
    const { before, atOnce, after } = await fitAfterZoom(d.page);
    assert.notEqual(atOnce, before, 'the view moved at once');
    assert.equal(after[0], atOnce, 'and stayed');
    assert.deepEqual(new Set(after).size, 1, `frames after the click: ${after.join(' | ')}`);
  }],
  ['reduced motion (VS Code\'s setting, the body class vscode-reduce-motion): "Fit view" jumps; a field\'s flash and other CSS animations are off', async (d) => {
    await d.page.evaluate(() => document.body.classList.add('vscode-reduce-motion'));
    const { before, atOnce, after } = await fitAfterZoom(d.page);
    assert.notEqual(atOnce, before, 'the view moved at once');
    assert.equal(after[0], atOnce, 'and stayed');
    assert.deepEqual(new Set(after).size, 1, `frames after the click: ${after.join(' | ')}`);
    const flash = await d.page.evaluate(() => {
      const e = document.createElement('div');
      e.className = 'field flash';
      document.body.append(e);
      const name = getComputedStyle(e).animationName;
      e.remove();
      return name;
    });
    assert.equal(flash, 'none');
  }],
  ['without reduced motion "Fit view" still glides (the two checks above can fail)', async (d) => {
    // Not counted in frames: on a loaded machine the 200 ms glide can end between two frames.
    const { before, atOnce } = await fitAfterZoom(d.page);
    assert.equal(atOnce, before, 'no jump at the click');
    await d.page.waitForFunction((was) => getComputedStyle(document.querySelector('.react-flow__viewport')!).transform !== was, before, { timeout: 5000 });
  }],
];

export const a11yChecks: Check[] = [...focusChecks, ...motionChecks];
