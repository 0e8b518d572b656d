// The audit every theme check of the study view, the training panel and the diagram makes
// (designer's: a11yChecks.ts): every text at least 4.5:1 on what is painted behind it, every
// control named, the given Tab stop reached, every stop with a focus ring, no trap; run in
// each of the four kinds of theme (themeAudits), and shown able to fail (lowContrastWith).
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { AUDITED_THEMES } from '../../../harness/themes';
import { tabWalk, unnamedControls, type TabWalk } from './a11yAudit';
import { lowContrastPaintedTexts } from './paintedContrast';
import type { WebviewCheck } from './webviewPage';

/** Fails on the first finding; returns the Tab walk for the caller's own checks of it. */
export async function auditWebview(page: Page, o: { tabStop: string }): Promise<TabWalk> {
  await page.waitForTimeout(300); // the toolkit's controls upgrade (their names and rings are in their shadow roots)
  assert.deepEqual(await lowContrastPaintedTexts(page), [], 'text under 4.5:1');
  assert.deepEqual(await unnamedControls(page), [], 'controls without a name');
  const walk = await tabWalk(page);
  assert.ok(walk.stops.some((s) => s.includes(`|${o.tabStop}|`)), `"${o.tabStop}" is a Tab stop`);
  assert.deepEqual(walk.noRing, [], 'Tab stops without a focus ring');
  assert.equal(walk.trapped, undefined, 'a keyboard trap');
  return walk;
}

/** One check per kind of theme, named `<theme>: <what>`; `run` gets the theme's name (for a screenshot's file). */
export function themeAudits<P>(what: string, run: (p: P, themeName: string) => Promise<void>): WebviewCheck<P>[] {
  return AUDITED_THEMES.map(([name, theme]): WebviewCheck<P> => [`${name}: ${what}`, theme, (p) => run(p, name)]);
}

/** What the contrast audit reports once `css` is added to the page: a negative check's findings. */
export async function lowContrastWith(page: Page, css: string): Promise<string[]> {
  await page.addStyleTag({ content: css });
  return lowContrastPaintedTexts(page);
}
