// The audit every theme check of the study view, the training panel and the diagram makes
// (designer's: a11yChecks.ts): every text at least 4.5:1 on what is painted behind it, every
// control named, the given Tab stop reached, every stop with a focus ring, no trap.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { tabWalk, unnamedControls, type TabWalk } from './a11yAudit';
import { lowContrastPaintedTexts } from './paintedContrast';

/** Fails on the first finding; returns the Tab walk for the caller's own checks of it. */
export async function auditWebview(page: Page, o: { tabStop: string }): Promise<TabWalk> {
  assert.deepEqual(await lowContrastPaintedTexts(page), [], 'text under 4.5:1');
  assert.deepEqual(await unnamedControls(page), [], 'controls without a name');
  const walk = await tabWalk(page);
  assert.ok(walk.stops.some((s) => s.includes(`|${o.tabStop}|`)), `"${o.tabStop}" is a Tab stop`);
  assert.deepEqual(walk.noRing, [], 'Tab stops without a focus ring');
  assert.equal(walk.trapped, undefined, 'a keyboard trap');
  return walk;
}
