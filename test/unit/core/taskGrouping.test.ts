// "Try this grouping" (core/taskGrouping.ts): a 3-task experiment regrouped as {digit, parity}
// {big}: the result validates, every layer has the shape and parameter count worked out by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import { countParams } from '../../../src/core/params';
import { inferShapes } from '../../../src/core/shapes';
import type { ExperimentSpec } from '../../../src/core/spec';
import { freshFileName, groupedSpec, groupingFileName, groupingProblem } from '../../../src/core/taskGrouping';
import { validate } from '../../../src/core/validate';
import { sharingBlocks, threeDigitTasks } from './fixtures';

const made = (spec: ExperimentSpec, groups: string[][]): ExperimentSpec => {
  const r = groupedSpec(spec, groups);
  assert.ok('spec' in r, 'error' in r ? r.error : '');
  return r.spec;
};

describe('groupedSpec', () => {
  it('{digit, parity} {big}: one trunk per group, the heads on their group\'s trunk; it validates', () => {
    const g = made(threeDigitTasks(), [['digit', 'parity'], ['big']]);
    assert.deepEqual(validate(g).problems.filter((p) => p.severity === 'error'), []);
    assert.deepEqual(g.model.layers.map((l) => [l.id, l.from.join()]), [
      ['trunk1_digit_parity', 'image'], ['trunk1_big', 'image'],
      ['trunk2_digit_parity', 'trunk1_digit_parity'], ['trunk2_big', 'trunk1_big'],
      ['digitHead', 'trunk2_digit_parity'], ['parityHead', 'trunk2_digit_parity'], ['bigHead', 'trunk2_big'],
    ]);
    assert.deepEqual(g.model.outputs, { digit: 'digitHead', parity: 'parityHead', big: 'bigHead' });
    const graph = analyzeGraph(g);
    assert.deepEqual(graph.serves.get('trunk2_digit_parity'), ['digit', 'parity']);
    assert.deepEqual(graph.serves.get('trunk2_big'), ['big']);
    const shapes = inferShapes(g, graph).shapes;
    assert.deepEqual(['trunk1_digit_parity', 'trunk1_big', 'trunk2_digit_parity', 'trunk2_big', 'digitHead', 'bigHead'].map((id) => shapes.get(id)),
      [[32], [32], [16], [16], [10], [1]]);
    // By hand: trunk1 784·32 + 32 = 25,120; trunk2 32·16 + 16 = 528; heads 16·10 + 10 = 170, 16 + 1 = 17, 17.
    const p = countParams(g, graph, shapes);
    assert.equal(p.shared, 25_120 + 528); // the {digit, parity} trunk
    assert.deepEqual(p.perTask, { digit: 170, parity: 17, big: 25_120 + 528 + 17 });
    assert.equal(p.total, 2 * (25_120 + 528) + 170 + 17 + 17);
    assert.equal(countParams(threeDigitTasks()).total, 25_120 + 528 + 170 + 17 + 17);
  });

  it('keeps data, tasks, training and evaluation; drops the designer positions; the name and description say the grouping', () => {
    const original = threeDigitTasks();
    const g = made(original, [['big'], ['parity', 'digit']]);
    assert.deepEqual([g.data, g.tasks, g.training, g.evaluation], [original.data, original.tasks, original.training, original.evaluation]);
    assert.equal(g.layout, undefined);
    assert.equal(g.name, 'three grouped {big} {parity, digit}');
    assert.match(g.description ?? '', /\{big\} \{parity, digit\}/);
    // The copy of a group names its tasks as the grouping lists them.
    assert.ok(g.model.layers.some((l) => l.id === 'trunk1_parity_digit'));
  });

  it('a branch that already serves one group only is kept, reading its group\'s trunk', () => {
    const spec = threeDigitTasks();
    spec.model.layers.splice(2, 0, { id: 'pairDense', type: 'dense', units: 8, activation: 'relu', from: ['trunk2'] });
    spec.model.layers.find((l) => l.id === 'digitHead')!.from = ['pairDense'];
    spec.model.layers.find((l) => l.id === 'parityHead')!.from = ['pairDense'];
    const g = made(spec, [['digit', 'parity'], ['big']]);
    assert.equal(g.model.layers.find((l) => l.id === 'pairDense')!.from.join(), 'trunk2_digit_parity');
    assert.equal(g.model.layers.filter((l) => l.id.startsWith('pairDense')).length, 1);
    assert.deepEqual(validate(g).problems.filter((p) => p.severity === 'error'), []);
  });

  it('a copy\'s id never takes an id the experiment uses', () => {
    const spec = threeDigitTasks();
    spec.model.layers.push({ id: 'trunk1_big', type: 'dense', units: 2, from: ['image'] });
    const g = made(spec, [['digit', 'parity'], ['big']]);
    const ids = g.model.layers.map((l) => l.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(ids.includes('trunk1_big_2'));
  });

  it('says why a grouping cannot be made', () => {
    const tasks = ['digit', 'parity', 'big'];
    assert.equal(groupingProblem(tasks, [['digit', 'parity'], ['big']]), undefined);
    assert.match(groupingProblem(tasks, [['digit', 'parity']])!, /"big" is in no group/);
    assert.match(groupingProblem(tasks, [['digit', 'parity'], ['parity', 'big']])!, /"parity" is in two groups/);
    assert.match(groupingProblem(tasks, [['digit', 'parity'], ['size']])!, /"size" is not a task/);
    assert.match(groupingProblem(tasks, [['digit', 'parity', 'big']])!, /two groups or more/);
    const r = groupedSpec(threeDigitTasks(), [['digit'], ['parity']]);
    assert.ok('error' in r && /\{digit\} \{parity\} cannot be made: "big" is in no group/.test(r.error));
    // A sharing block is built for a number of tasks: it is not copied.
    const blocks = groupedSpec(sharingBlocks(), [['y0'], ['y1'], ['y2']]);
    assert.ok('error' in blocks && /"moe" is a mmoe layer/.test(blocks.error), JSON.stringify(blocks));
  });
});

describe('the grouping\'s file', () => {
  it('is named for the experiment and the groups, and never an existing file', () => {
    const name = groupingFileName('digits.mtl.json', [['digit', 'parity'], ['big']]);
    assert.equal(name, 'digits.groups-digit-parity_big.mtl.json');
    const existing = new Set([name, 'digits.groups-digit-parity_big-2.mtl.json']);
    assert.equal(freshFileName(name, (f) => existing.has(f)), 'digits.groups-digit-parity_big-3.mtl.json');
    assert.equal(freshFileName(name, () => false), name);
  });
});
