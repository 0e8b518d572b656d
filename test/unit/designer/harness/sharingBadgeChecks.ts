// First view of the sharing examples: each card's badge says how its weights are shared in the
// summary bar's terms (core/params). Cross-stitch columns said "Shared · 2 tasks" while the
// summary said "Shared 0" and counted every task's columns into each single-task model.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../../repoRoot';
import type { Check } from './readabilityChecks';

interface Expected {
  /** Card id -> its badge text. */
  badges: Record<string, string>;
  shared: string;
  saving: string;
}

const sharingCheck = (name: string, expected: Expected): Check => [`first view of ${name}: the card badges and the summary bar agree on what is shared`, async (d) => {
  const cards = await d.page.locator('.react-flow__node').evaluateAll((els) => els.map((e) => {
    const badge = e.querySelector<HTMLElement>('.shared-badge');
    const params = e.querySelector('.node-params')?.textContent ?? '';
    return { id: e.getAttribute('data-id') ?? '', badge: badge?.textContent ?? '', full: badge?.classList.contains('shared') ?? false, params: Number(params.replace(/[^0-9]/g, '')) || 0 };
  }));
  const badges = Object.fromEntries(cards.filter((c) => c.id in expected.badges).map((c) => [c.id, c.badge]));
  assert.deepEqual(badges, expected.badges);
  const stats = await d.page.locator('footer.summary .stat').allTextContents();
  const shared = stats.find((s) => s.startsWith('Shared'))!;
  assert.equal(shared.replace(/\s+/g, ' ').trim(), expected.shared);
  assert.equal(stats.find((s) => /^(Saves|Costs)/.test(s))?.replace(/\s+/g, ' ').trim(), expected.saving);
  // Every weight of a card badged "Shared" is in the summary's Shared figure (a part-shared card adds its experts).
  const whole = cards.filter((c) => c.full).reduce((sum, c) => sum + c.params, 0);
  const summaryShared = Number(/Shared ([\d,]+)/.exec(shared)![1]!.replace(/,/g, ''));
  assert.ok(whole <= summaryShared, `cards badged Shared hold ${whole}, the summary says ${summaryShared}`);
  if (!cards.some((c) => c.badge.startsWith('Part shared'))) assert.equal(whole, summaryShared);
}, { text: fs.readFileSync(path.resolve(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8'), width: 1400, height: 900, fileName: `${name}.mtl.json` }];

/** The cross-stitch example cut to one parallelDense of 3 columns, of which the selects pick 0 and 1. */
function unusedColumnText(): string {
  const doc = JSON.parse(fs.readFileSync(path.resolve(ROOT, 'examples', 'cross-stitch-regression', 'cross-stitch-regression.mtl.json'), 'utf8')) as { model: { layers: Array<Record<string, unknown>> } };
  doc.model.layers = doc.model.layers.filter((l) => l.type !== 'crossStitch' && l.id !== 'columns2');
  doc.model.layers[0]!.columns = 3;
  for (const l of doc.model.layers) if (l.type === 'select') l.from = ['columns1'];
  return JSON.stringify(doc, null, 2);
}

export const sharingBadgeChecks: Check[] = [
  ['a parallelDense column that no select picks is badged and counted as unused, not shared', async (d) => {
    // Each column 100 x 32 + 32 = 3,232: columns 0 and 1 are task1's and task2's, column 2 no task's.
    assert.equal((await d.page.locator('.react-flow__node[data-id="columns1"] .shared-badge').textContent())?.trim(), '2 task columns · 1 unused');
    const stats = (await d.page.locator('footer.summary .stat').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.ok(stats.includes('Shared 0 (0% of the model)'), stats.join(' | '));
    assert.ok(stats.includes('Unused 3,232'), stats.join(' | '));
  }, { text: unusedColumnText(), width: 1400, height: 900, fileName: 'unused-column.mtl.json' }],
  // Columns 2 x 3,232 and 2 x 528 are each task's own; the alphas (2 x 4) are the shared weights. A
  // single-task model of a task is its own columns and head (3,777): 2 x 3,777 = 7,554, 8 fewer.
  sharingCheck('cross-stitch-regression', {
    badges: { columns1: '2 task columns', stitch1: 'Shared · 2 tasks', columns2: '2 task columns', stitch2: 'Shared · 2 tasks' },
    shared: 'Shared 8 (0.1% of the model)',
    saving: 'Costs 8 more (0.1%) than 2 single-task models (7,554)',
  }),
  // Experts 4 x 1,616 = 6,464 shared, a gate of 404 per task; a single-task model keeps the experts and its gate.
  sharingCheck('mmoe-regression', {
    badges: { experts: 'Part shared · 2 tasks' },
    shared: 'Shared 6,464 (85.5% of the model)',
    saving: 'Saves 6,464 (46.1%) vs 2 single-task models (14,026)',
  }),
  sharingCheck('digits-parity', {
    badges: { trunk1: 'Shared · 2 tasks', trunk2: 'Shared · 2 tasks' },
    shared: 'Shared 108,736 (99.3% of the model)',
    saving: 'Saves 108,736 (49.8%) vs 2 single-task models (218,187)',
  }),
];
