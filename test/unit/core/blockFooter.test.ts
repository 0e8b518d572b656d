// The shared-weight diagram's parameter line per block agrees with the summary above it:
// an MMoE layer sits in the shared block but its gates are one task's each (the block said
// "7,272 params · 96.2%" under "6,464 shared by the tasks (85.5%)" before).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sharingDiagram } from '../../../src/core/sharingBlocks';
import type { ExperimentSpec } from '../../../src/core/spec';
import { blockFooter } from '../../../src/core/blockFooter';
import { ROOT } from '../../repoRoot';

const example = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8')) as ExperimentSpec;

test('MMoE: the shared block counts the experts, each task block its own gate', () => {
  const d = sharingDiagram(example('mmoe-regression'));
  // Hand count: experts 4 × (100·16 + 16) = 6,464; a gate 100·4 + 4 = 404; a tower and head 8·16 + 8 + 8 + 1 = 145.
  assert.equal(d.params.total, 7562);
  const footer = (kind: string, task?: string) => blockFooter(d.blocks.find((b) => b.kind === kind && (task === undefined || b.tasks[0] === task))!, d);
  assert.equal(footer('shared'), '6,464 shared · 85.5% + 808 per task');
  assert.equal(footer('task', 'task1'), '549 params · 7.3% (404 in experts)');
  assert.equal(footer('task', 'task2'), '549 params · 7.3% (404 in experts)');
});

test('hard sharing: the block lines are the blocks\' own counts', () => {
  const d = sharingDiagram(example('digits-parity'));
  const shared = d.blocks.find((b) => b.kind === 'shared')!;
  assert.match(blockFooter(shared, d), /^[\d,]+ params · [\d.]+%$/);
  assert.equal(blockFooter(shared, d), `${shared.params.toLocaleString('en-US')} params · ${((100 * shared.params) / d.params.total).toFixed(1)}%`);
});
