import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { blockFooter } from '../../../src/core/blockFooter';
import { sharingDiagram } from '../../../src/core/sharingBlocks';
import type { ExperimentSpec } from '../../../src/core/spec';
import { INPUT_COLOR, SHARED_COLOR, sharedWeightDiagramSvg, taskColor } from '../../../src/trainer/artifacts/weightDiagram';
import { ROOT } from '../../repoRoot';
import { digitsParitySpec } from './fixtures';

/** Three tasks: a trunk shared by all, a layer shared by two, a second input feeding one task, a layer feeding none. */
function threeTaskSpec(ids: [string, string, string] = ['age', 'sex', 'mood']): ExperimentSpec {
  const base = digitsParitySpec('three-task');
  const [a, b, c] = ids;
  return {
    ...base,
    tasks: [
      { id: a, kind: 'regression', target: 'age' },
      { id: b, kind: 'binary', target: 'sex' },
      { id: c, kind: 'multiclass', target: 'mood', classes: 5 },
    ],
    model: {
      inputs: [{ id: 'face', shape: [64] }, { id: 'meta', shape: [4] }],
      layers: [
        { id: 'trunk1', type: 'dense', units: 128, activation: 'relu', from: ['face'] },
        { id: 'trunk2', type: 'dense', units: 64, activation: 'relu', from: ['trunk1'] },
        { id: 'metaEmb', type: 'dense', units: 8, activation: 'relu', from: ['meta'] },
        { id: 'ab', type: 'dense', units: 32, activation: 'relu', from: ['trunk2'] },
        { id: 'aHead', type: 'dense', units: 1, from: ['ab'] },
        { id: 'bHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['ab'] },
        { id: 'cCat', type: 'concatenate', from: ['trunk2', 'metaEmb'] },
        { id: 'cHead', type: 'dense', units: 5, activation: 'softmax', from: ['cCat'] },
        { id: 'probe', type: 'dense', units: 3, from: ['trunk1'] },
      ],
      outputs: { [a]: 'aHead', [b]: 'bHead', [c]: 'cHead' },
    },
  };
}

/** The <g class="block …"> groups of the SVG: class, data-tasks, fill and text contents (XML entities left as they are). */
function blocks(svg: string): Array<{ cls: string; tasks: string; fill: string; texts: string[] }> {
  return [...svg.matchAll(/<g class="block ([^"]*)" data-tasks="([^"]*)">([\s\S]*?)<\/g>/g)].map((m) => ({
    cls: m[1] as string, tasks: m[2] as string,
    fill: /<rect [^>]*fill="([^"]*)"/.exec(m[3] as string)?.[1] ?? '',
    texts: [...(m[3] as string).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1] as string),
  }));
}

describe('shared-weight diagram (SVG of report.md)', () => {
  it('draws the blocks of sharingDiagram: same layers, parameter totals and arrows', () => {
    const spec = threeTaskSpec();
    const d = sharingDiagram(spec);
    const svg = sharedWeightDiagramSvg(spec);
    const drawn = blocks(svg);
    assert.equal(drawn.length, d.blocks.length);
    for (const b of d.blocks.filter((x) => x.kind !== 'input')) {
      const g = drawn.find((x) => x.tasks === b.tasks.join(',') && x.texts[1]?.startsWith(`${b.layers[0]?.id} · `));
      assert.ok(g, `block ${b.key} drawn`);
      assert.deepEqual(g.texts.filter((t) => t.includes(' → ')).map((t) => t.split(' · ')[0]), b.layers.map((l) => l.id));
      assert.equal(g.texts.at(-1), blockFooter(b, d));
      assert.ok(g.texts.at(-1)!.startsWith(`${b.params.toLocaleString('en-US')} params · `));
    }
    assert.equal((svg.match(/marker-end="url\(#arrow\)"/g) ?? []).length, d.edges.length);
  });

  it('cross-stitch: the shared block says what of it is shared (the alphas), as the summary does', () => {
    const spec = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'cross-stitch-regression', 'cross-stitch-regression.mtl.json'), 'utf8')) as ExperimentSpec;
    const shared = blocks(sharedWeightDiagramSvg(spec)).find((b) => b.cls === 'shared')!;
    // Alphas 2 x (2x2) = 8 of 7,562 (0.1%); the columns 2 x 3,232 + 2 x 528 = 7,520 are each task's own.
    assert.equal(shared.texts.at(-1), '8 shared · 0.1% + 7,520 per task');
  });

  it('labels and colours blocks by kind and task, in spec.tasks order', () => {
    const drawn = blocks(sharedWeightDiagramSvg(threeTaskSpec()));
    const find = (cls: string, tasks: string) => drawn.find((b) => b.cls === cls && b.tasks === tasks);
    assert.equal(find('shared', 'age,sex,mood')?.texts[0], 'shared by all tasks');
    assert.equal(find('shared', 'age,sex,mood')?.fill, SHARED_COLOR.fill);
    assert.equal(find('shared', 'age,sex')?.texts[0], 'shared by age, sex');
    assert.equal(find('task-specific', 'mood')?.fill, taskColor(2).fill);
    assert.deepEqual(find('task-specific', 'mood')?.texts.filter((t) => t.includes(' → ')), ['metaEmb · dense → [8]', 'cCat · concatenate → [72]', 'cHead · dense → [5]']);
    assert.equal(find('unused', '')?.texts[0], 'feeds no task output');
    assert.equal(find('unused', '')?.fill, INPUT_COLOR.fill);
    const inputs = drawn.filter((b) => b.cls === 'input');
    assert.deepEqual(inputs.map((b) => b.texts), [['input face', 'face · input → [64]'], ['input meta', 'meta · input → [4]']]);
    assert.equal(inputs[1]?.tasks, 'mood');
  });

  it('keeps blocks of different task sets apart even when task ids contain commas', () => {
    const base = threeTaskSpec();
    const task = base.tasks[0]!;
    const ids = ['a,b', 'c', 'a', 'b,c'];
    // p serves ["a,b", "c"], q serves ["a", "b,c"]: both "a,b,c" when joined with commas.
    const spec: ExperimentSpec = {
      ...base,
      tasks: ids.map((id) => ({ ...task, id })),
      model: {
        inputs: [{ id: 'x', shape: [16] }],
        layers: [
          { id: 'trunk', type: 'dense', units: 8, from: ['x'] },
          { id: 'p', type: 'dense', units: 4, from: ['trunk'] },
          { id: 'q', type: 'dense', units: 4, from: ['trunk'] },
          ...ids.map((_, i) => ({ id: `head${i}`, type: 'dense' as const, units: 1, from: [i % 2 === 0 ? 'p' : 'q'] })),
        ],
        outputs: { 'a,b': 'head0', c: 'head2', a: 'head1', 'b,c': 'head3' },
      },
    };
    const d = sharingDiagram(spec);
    const shared = d.blocks.filter((b) => b.kind === 'shared');
    assert.deepEqual(shared.map((b) => b.layers.map((l) => l.id)), [['trunk'], ['p'], ['q']]);
    assert.deepEqual(shared.map((b) => b.tasks), [['a,b', 'c', 'a', 'b,c'], ['a,b', 'c'], ['a', 'b,c']]);
    assert.equal(new Set(d.blocks.map((b) => b.key)).size, d.blocks.length, 'block keys are unique');
    const drawn = blocks(sharedWeightDiagramSvg(spec)).filter((b) => b.cls === 'shared');
    assert.deepEqual(drawn.map((b) => b.texts[0]), ['shared by all tasks', 'shared by a,b, c', 'shared by a, b,c']);
  });

  it('shows unknown shapes and parameter counts as "?"', () => {
    const spec = digitsParitySpec();
    spec.model.inputs = [{ id: 'image', shape: [] as unknown as number[] }];
    const svg = sharedWeightDiagramSvg(spec);
    assert.match(svg, /trunk1 · dense → \[\?\]/);
    assert.match(svg, />\?<\/text>/);
  });
});
