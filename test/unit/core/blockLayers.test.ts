// Sharing blocks in core: output shapes, parameter counts worked out by hand, what each task
// owns of a block, and the problems a misplaced block gets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { singleTaskModel } from '../../../src/core/baseline';
import { blockFooter } from '../../../src/core/blockFooter';
import { columnOwners } from '../../../src/core/blockLayers';
import { analyzeGraph } from '../../../src/core/graph';
import { countParams } from '../../../src/core/params';
import { inferShapes } from '../../../src/core/shapes';
import { sharingDiagram } from '../../../src/core/sharingBlocks';
import { sharingBlocks } from './fixtures';
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';

describe('sharing blocks', () => {
  it('infers stacked column shapes and the column a select hands on', () => {
    const { shapes, problems } = inferShapes(sharingBlocks());
    assert.deepEqual(problems, []);
    assert.deepEqual(shapes.get('moe'), [2, 4]);
    assert.deepEqual(shapes.get('ple'), [2, 5]);
    assert.deepEqual(shapes.get('cols'), [2, 3]);
    assert.deepEqual(shapes.get('stitch'), [2, 3]);
    assert.deepEqual(shapes.get('cols2'), [2, 2]);
    assert.deepEqual(shapes.get('moe1'), [4]);
    assert.deepEqual(shapes.get('col0'), [2]);
    assert.deepEqual(shapes.get('in1'), [9]);
  });

  it('counts each block by hand (input width 6)', () => {
    const p = countParams(sharingBlocks());
    // mmoe: 3 experts 6x4 + 4, two gates 6x3 + 3.
    assert.equal(p.perNode.get('moe'), 3 * (6 * 4 + 4) + 2 * (6 * 3 + 3));
    // ple, level 1 (width 6): 2 shared experts 6x5+5, shared gate 6x(2x1+2)+4, per task 1 expert 6x5+5 and a gate 6x3+3;
    // level 2 (width 5, top): 2 shared experts 5x5+5, per task 1 expert 5x5+5 and a gate 5x3+3.
    assert.equal(p.perNode.get('ple'), (70 + 28 + 2 * (35 + 21)) + (60 + 2 * (30 + 18)));
    assert.equal(p.perNode.get('ple'), 366);
    assert.equal(p.perNode.get('cols'), 2 * (6 * 3 + 3));
    assert.equal(p.perNode.get('stitch'), 2 * 2);
    assert.equal(p.perNode.get('cols2'), 2 * 3 * 2);
    assert.equal(p.perNode.get('col1'), 0);
    assert.equal(p.total, 126 + 366 + 42 + 4 + 12 + 7 + 10 + 8);
  });

  it('gives each task its gate, its own experts and its column; experts, shared gates and alphas are shared', () => {
    const p = countParams(sharingBlocks());
    // mmoe experts; ple shared experts (70 + 60) and level-1 shared gate (28); the cross-stitch alphas 2x2
    assert.equal(p.shared, 84 + 158 + 4);
    assert.deepEqual(p.perTask, {
      y0: 21 + 21 + 6 + 7, // mmoe gate 0, column 0 of cols, column 0 of cols2, head
      y1: 21 + 104 + 10, // mmoe gate 1, ple task 0 (experts and gates of both levels: 35 + 21 + 30 + 18), head
      y2: 104 + 21 + 6 + 8,
    });
    assert.equal(p.shared + Object.values(p.perTask).reduce((a, b) => a + b, 0), p.total);
  });

  it("counts each task's single-task model as its baseline trains it: its own columns, gates and experts", () => {
    const spec = sharingBlocks();
    const y2 = singleTaskModel(spec, 'y2');
    // ple cut to y2's column, cols and cols2 to column 1 (now 0), the cross-stitch unit gone.
    assert.deepEqual(y2.layers.map((l) => l.id), ['ple', 'ple1', 'cols', 'cols2', 'col1', 'in2', 'head2']);
    const ple = y2.layers[0]!, ple1 = y2.layers[1]!, cols2 = y2.layers[3]!, col1 = y2.layers[4]!;
    assert.equal(ple.type === 'ple' && ple.tasks, 1);
    assert.equal(ple1.type === 'select' && ple1.index, 0);
    assert.deepEqual(cols2.type === 'parallelDense' && [cols2.columns, cols2.from], [1, ['cols']]);
    assert.equal(col1.type === 'select' && col1.index, 0);
    // ple with one task, level 1 (width 6): 2 shared experts 6x5+5 = 70, shared gate (6+1)x(1+2) = 21,
    // own expert 35, own gate (6+1)x3 = 21; level 2 (width 5): shared experts 60, own expert 30,
    // gate (5+1)x3 = 18: 255. cols one column 6x3+3 = 21, cols2 one column 3x2 = 6, head2 7+1 = 8.
    assert.equal(countParams({ model: y2 }).total, 255 + 21 + 6 + 8);
    // y0: mmoe with one gate 3x(6x4+4) + (6+1)x3 = 105, cols 21, cols2 6, head0 (4+2)+1 = 7: 139.
    // y1: mmoe 105, ple 255, head1 (4+5)+1 = 10: 370.
    const p = countParams(spec);
    assert.equal(p.singleTaskTotal, 139 + 370 + 290);
    assert.equal(p.saving, 799 - 575);
  });

  it('follows a column through cross-stitch and parallel columns to the task that selects it', () => {
    const owners = columnOwners(analyzeGraph(sharingBlocks()));
    assert.deepEqual(owners.get('cols'), [['y0'], ['y2']]);
    assert.deepEqual(owners.get('stitch'), [['y0'], ['y2']]);
    assert.deepEqual(owners.get('moe'), [['y0'], ['y1']]);
    assert.deepEqual(owners.get('ple'), [['y1'], ['y2']]);
  });

  it('counts a column no select picks as unused, not shared, unless a layer reads the columns whole (a cross-stitch unit mixes them all)', () => {
    // x [4] -> cols: 3 columns of 2 units; select 0 -> head a, select 1 -> head b; column 2 read by no one.
    const spec = (stitched: boolean): Pick<ExperimentSpec, 'name' | 'model'> => ({ name: 'unused-column', model: {
      inputs: [{ id: 'x', shape: [4] }],
      layers: [
        { id: 'cols', type: 'parallelDense', columns: 3, units: 2, from: ['x'] },
        ...(stitched ? [{ id: 'stitch', type: 'crossStitch', from: ['cols'] } as LayerSpec] : []),
        { id: 'pick0', type: 'select', index: 0, from: [stitched ? 'stitch' : 'cols'] },
        { id: 'pick1', type: 'select', index: 1, from: [stitched ? 'stitch' : 'cols'] },
        { id: 'headA', type: 'dense', units: 1, from: ['pick0'] },
        { id: 'headB', type: 'dense', units: 1, from: ['pick1'] },
      ],
      outputs: { a: 'headA', b: 'headB' },
    } });
    // Each column: 4 x 2 kernel + 2 bias = 10. Each head: 2 x 1 + 1 = 3.
    const column = 4 * 2 + 2, head = 2 * 1 + 1;
    const p = countParams(spec(false));
    assert.equal(p.total, 3 * column + 2 * head); // 36: the model holds all three columns
    assert.equal(p.unused, column); // 10: column 2
    assert.equal(p.shared, 0);
    assert.deepEqual(p.perTask, { a: column + head, b: column + head }); // 13 each
    assert.equal(p.shared + p.unused + Object.values(p.perTask).reduce((a, b) => a + b, 0), p.total);
    // The baselines hold each task's own column and head: 2 x 13 = 26; sharing costs 36 - 26 = 10.
    assert.equal(p.singleTaskTotal, 2 * (column + head));
    assert.equal(p.saving, -column);
    const cols = sharingDiagram(spec(false)).blocks.flatMap((b) => b.layers).find((l) => l.id === 'cols')!;
    assert.deepEqual(cols.parts?.map((part) => part.tasks), [['a'], ['b'], []]);
    // The diagram's line for the block: 0 shared, 20 per task, 10 unused (36 - 6 in the heads = 30 in cols).
    const d = sharingDiagram(spec(false));
    assert.equal(blockFooter(d.blocks.find((b) => b.kind === 'shared')!, d), '0 shared · 0.0% + 20 per task + 10 unused');
    // A cross-stitch unit after the columns: column 2 flows into both tasks' columns through alpha (3 x 3 = 9), so it is shared.
    const stitched = countParams(spec(true));
    assert.equal(stitched.unused, 0);
    assert.equal(stitched.shared, column + 3 * 3); // 19
  });

  it('lists what each task gets of a block in the sharing diagram', () => {
    const d = sharingDiagram(sharingBlocks());
    const moe = d.blocks.flatMap((b) => b.layers).find((l) => l.id === 'moe')!;
    assert.deepEqual(moe.parts, [
      { label: '3 experts', params: 84, tasks: ['y0', 'y1'] },
      { label: 'gate 0', params: 21, tasks: ['y0'] },
      { label: 'gate 1', params: 21, tasks: ['y1'] },
    ]);
  });

  it('says where a block does not fit, at the offending field', () => {
    const spec = sharingBlocks();
    const layer = (id: string) => spec.model.layers.find((l) => l.id === id)! as unknown as Record<string, unknown>;
    layer('moe1').index = 2;
    layer('cols2').columns = 3;
    spec.model.layers.push({ id: 'flatStitch', type: 'crossStitch', from: ['x'] }, { id: 'deep', type: 'mmoe', experts: 2, units: 2, tasks: 2, from: ['cols'] });
    const problems = inferShapes(spec).problems.map((p) => [p.path.join('.'), p.message]).sort((a, b) => a[0]!.localeCompare(b[0]!, 'en', { numeric: true }));
    assert.deepEqual(problems, [
      ['model.layers.2.index', 'Layer "moe1" (select): index 2 is past the 2 columns of [2, 4]: use 0 to 1.'],
      ['model.layers.8.columns', 'Layer "cols2" (parallelDense): parallelDense has 3 columns but receives [2, 3] from "stitch", 2 columns: make them equal.'],
      ['model.layers.17', 'Layer "flatStitch" (crossStitch): crossStitch mixes parallel task columns [columns, features] but receives [6] from "x": put a parallelDense (one column per task) before it.'],
      ['model.layers.18', 'Layer "deep" (mmoe): mmoe needs a flat vector but receives [2, 3] from "cols": add a flatten layer before it.'],
    ]);
  });
});

describe('sharing blocks while the user types', () => {
  it('leaves a block uncounted, not hanging, when a count is half-typed or out of range', () => {
    const spec = sharingBlocks();
    const layer = (id: string) => spec.model.layers.find((l) => l.id === id)! as unknown as Record<string, unknown>;
    layer('cols').columns = 1e12;
    layer('ple').levels = 1e12;
    layer('moe').experts = '4';
    layer('moe0').index = 1e12;
    const p = countParams(spec);
    assert.equal(p.perNode.get('cols'), undefined);
    assert.equal(p.perNode.get('ple'), undefined);
    assert.equal(p.perNode.get('moe'), undefined);
    assert.equal(p.complete, false);
    assert.deepEqual(columnOwners(analyzeGraph(spec)).get('moe'), [[], ['y1']]);
  });
});
