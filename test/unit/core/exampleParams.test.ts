// Parameter counts of three bundled examples, worked out by hand: what the multi-task model
// holds, what is shared, what is each task's own, and what each task's single-task baseline
// (core/baseline.ts) trains, which is what "single-task models" means on every screen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { singleTaskModel } from '../../../src/core/baseline';
import { countParams } from '../../../src/core/params';
import type { ExperimentSpec } from '../../../src/core/spec';
import { ROOT } from '../../repoRoot';

const example = (name: string): ExperimentSpec =>
  JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', name, `${name}.mtl.json`), 'utf8')) as ExperimentSpec;

describe('parameter counts of the examples', () => {
  it('cross-stitch-regression: the columns are the tasks\' own, the alphas the only shared weights', () => {
    const p = countParams(example('cross-stitch-regression'));
    // columns1: 2 columns of a dense 100 -> 32: 100*32 + 32 = 3,232 each.
    // stitch1: alpha 2x2 = 4. columns2: 2 columns of 32 -> 16: 32*16 + 16 = 528 each. stitch2: 4.
    // out1, out2: dense 16 -> 1: 17 each.
    const column1 = 100 * 32 + 32, column2 = 32 * 16 + 16, head = 16 + 1, alphas = 2 * 2;
    assert.equal(column1, 3232);
    assert.equal(column2, 528);
    assert.equal(p.perNode.get('columns1'), 2 * column1);
    assert.equal(p.perNode.get('stitch1'), alphas);
    assert.equal(p.total, 2 * column1 + alphas + 2 * column2 + alphas + 2 * head);
    assert.equal(p.total, 7562);
    assert.equal(p.shared, 2 * alphas);
    assert.deepEqual(p.perTask, { task1: column1 + column2 + head, task2: column1 + column2 + head });
    assert.equal(p.perTask.task1, 3777);
    assert.equal(p.sharedPerNode.get('columns1'), 0);
    assert.equal(p.sharedPerNode.get('stitch2'), alphas);
    // A single-task model of task1 is its own column of each layer and its head, no alphas: 3,777.
    // Two of them: 7,554, 8 fewer than the cross-stitch model (its alphas).
    assert.equal(p.singleTaskTotal, 2 * (column1 + column2 + head));
    assert.equal(p.singleTaskTotal, 7554);
    assert.equal(p.saving, -8);
    assert.ok(Math.abs(p.savingFraction - -8 / 7554) < 1e-5);
    assert.equal(p.shared + p.perTask.task1! + p.perTask.task2!, p.total);
  });

  it('cross-stitch-regression: a baseline trains its own column of each layer and no cross-stitch unit', () => {
    const model = singleTaskModel(example('cross-stitch-regression'), 'task2');
    assert.deepEqual(model.layers.map((l) => [l.id, l.from]), [
      ['columns1', ['x']], ['columns2', ['columns1']], ['column2', ['columns2']], ['out2', ['column2']],
    ]);
    assert.deepEqual(model.layers.map((l) => (l.type === 'parallelDense' ? l.columns : l.type === 'select' ? l.index : undefined)), [1, 1, 0, undefined]);
    assert.deepEqual(model.outputs, { task2: 'out2' });
    // 100*32 + 32 + 32*16 + 16 + 16 + 1
    assert.equal(countParams({ model }).total, 3232 + 528 + 17);
  });

  it('mmoe-regression: experts shared, a gate and a tower per task; a baseline keeps the experts and its gate', () => {
    const spec = example('mmoe-regression');
    const p = countParams(spec);
    // experts: 4 experts of a dense 100 -> 16: 4 * (100*16 + 16) = 6,464.
    // gates: one per task, 100 -> 4 experts with a bias: (100 + 1) * 4 = 404 each.
    // tower: 16*8 + 8 = 136; out: 8 + 1 = 9, per task.
    const experts = 4 * (100 * 16 + 16), gate = (100 + 1) * 4, tower = 16 * 8 + 8, head = 8 + 1;
    assert.equal(experts, 6464);
    assert.equal(p.perNode.get('experts'), experts + 2 * gate);
    assert.equal(p.total, experts + 2 * gate + 2 * (tower + head));
    assert.equal(p.total, 7562);
    assert.equal(p.shared, experts);
    assert.equal(p.sharedPerNode.get('experts'), experts);
    assert.deepEqual(p.perTask, { task1: gate + tower + head, task2: gate + tower + head });
    assert.equal(p.perTask.task1, 549);
    // Single-task model of a task: the experts, its one gate, its tower and head: 6,464 + 404 + 145 = 7,013.
    assert.equal(p.singleTaskTotal, 2 * (experts + gate + tower + head));
    assert.equal(p.singleTaskTotal, 14026);
    assert.equal(p.saving, experts);
    assert.ok(Math.abs(p.savingFraction - 6464 / 14026) < 1e-5);
    const model = singleTaskModel(spec, 'task2');
    const moe = model.layers.find((l) => l.id === 'experts');
    assert.equal(moe?.type === 'mmoe' ? moe.tasks : undefined, 1);
    const pick = model.layers.find((l) => l.id === 'mixture2');
    assert.equal(pick?.type === 'select' ? pick.index : undefined, 0);
  });

  it('digits-parity: hard sharing, the trunk shared, a baseline is the task\'s whole path', () => {
    const spec = example('digits-parity');
    const p = countParams(spec);
    // trunk1 784 -> 128: 100,480; trunk2 128 -> 64: 8,256; digitHead 64 -> 10: 650; parityHead 64 -> 1: 65.
    const trunk = (784 * 128 + 128) + (128 * 64 + 64), digit = 64 * 10 + 10, parity = 64 + 1;
    assert.equal(trunk, 108_736);
    assert.equal(p.shared, trunk);
    assert.equal(p.sharedPerNode.get('trunk1'), 784 * 128 + 128);
    assert.deepEqual(p.perTask, { digit, parity });
    const heads = digit + parity;
    assert.equal(p.total, trunk + heads);
    assert.equal(p.singleTaskTotal, 2 * trunk + heads);
    assert.equal(p.saving, trunk);
    assert.deepEqual(singleTaskModel(spec, 'parity').layers.map((l) => l.id), spec.model.layers.filter((l) => l.id !== 'digitHead').map((l) => l.id));
  });
});
