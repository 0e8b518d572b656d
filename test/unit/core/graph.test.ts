import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeGraph, isShared, nodeAtPath, taskSubgraph } from '../../../src/core/graph';
import { convTwoDigits, digitsParity, mixedInputs } from './fixtures';

describe('graph analysis', () => {
  it('orders nodes so that each comes after what it reads from', () => {
    const spec = mixedInputs();
    spec.model.layers.reverse(); // document order must not matter
    const g = analyzeGraph(spec);
    assert.equal(g.order.length, g.nodes.size);
    for (const id of g.order) {
      for (const source of g.nodes.get(id)!.from) assert.ok(g.order.indexOf(source) < g.order.indexOf(id), `${source} before ${id}`);
    }
    assert.deepEqual(g.cycles, []);
  });

  it('finds which tasks each node serves: the trunk both, each head its own', () => {
    const g = analyzeGraph(digitsParity());
    assert.deepEqual(g.serves.get('image'), ['digit', 'parity']);
    assert.deepEqual(g.serves.get('trunk2'), ['digit', 'parity']);
    assert.deepEqual(g.serves.get('digitHead'), ['digit']);
    assert.deepEqual(g.serves.get('parityHead'), ['parity']);
    assert.equal(isShared(g, 'trunk1'), true);
    assert.equal(isShared(g, 'digitHead'), false);
  });

  it('sees sharing that happens deep in a branch, and through merges', () => {
    const g = analyzeGraph(mixedInputs());
    assert.equal(isShared(g, 'num'), true);       // feeds soldHead directly and priceHead via add/concatenate
    assert.equal(isShared(g, 'numbers'), true);
    assert.deepEqual(g.serves.get('words'), ['price']);
    assert.deepEqual(g.serves.get('gru'), ['price']);
  });

  it('marks a dangling branch as serving no task', () => {
    const spec = digitsParity();
    spec.model.layers.push({ id: 'orphan', type: 'dense', units: 3, from: ['trunk1'] });
    assert.deepEqual(analyzeGraph(spec).serves.get('orphan'), []);
  });

  it('reports a cycle by its ids in data-flow order and leaves it out of the order', () => {
    const spec = digitsParity();
    spec.model.layers[0]!.from = ['image', 'loopBack'];
    spec.model.layers.push({ id: 'loopBack', type: 'dense', units: 128, from: ['trunk2'] });
    const g = analyzeGraph(spec);
    assert.equal(g.cycles.length, 1);
    const cycle = g.cycles[0]!;
    assert.deepEqual([...cycle].sort(), ['loopBack', 'trunk1', 'trunk2']);
    // each member feeds the next one
    cycle.forEach((id, i) => assert.ok(g.nodes.get(cycle[(i + 1) % cycle.length]!)!.from.includes(id)));
    assert.ok(!g.order.includes('trunk1') && !g.order.includes('digitHead'));
    assert.ok(g.order.includes('image'));
  });

  it('reports a layer reading from itself', () => {
    const spec = digitsParity();
    spec.model.layers[1]!.from = ['trunk2'];
    assert.deepEqual(analyzeGraph(spec).cycles, [['trunk2']]);
  });

  it('gives each task its own path for single-task baselines', () => {
    const spec = convTwoDigits();
    assert.deepEqual(taskSubgraph(spec, 'left'), ['image', 'c1', 'p1', 'bn', 'leftConv', 'leftFlat', 'leftHead']);
    assert.deepEqual(taskSubgraph(spec, 'right'), ['image', 'c1', 'p1', 'bn', 'rightPool', 'rightFlat', 'rightDrop', 'rightHead']);
    assert.deepEqual(taskSubgraph(spec, 'nope'), []);
    assert.deepEqual(taskSubgraph(spec, 'constructor'), []);
  });

  it('keeps the first of duplicate ids and ignores dangling references', () => {
    const spec = digitsParity();
    spec.model.layers.push({ id: 'trunk1', type: 'dense', units: 5, from: ['nowhere'] });
    const g = analyzeGraph(spec);
    const node = g.nodes.get('trunk1')!;
    assert.equal(node.kind === 'layer' && node.layer.type === 'dense' && node.layer.units, 128);
    assert.equal(g.order.length, 5);
  });

  it('maps a problem path to the node the designer should mark', () => {
    const spec = digitsParity();
    assert.equal(nodeAtPath(spec, ['model', 'layers', 2, 'units']), 'digitHead');
    assert.equal(nodeAtPath(spec, ['model', 'inputs', 0, 'shape', 0]), 'image');
    assert.equal(nodeAtPath(spec, ['model', 'outputs', 'parity']), 'parityHead');
    assert.equal(nodeAtPath(spec, ['layout', 'trunk1', 'x']), 'trunk1');
    assert.equal(nodeAtPath(spec, ['training', 'epochs']), undefined);
    assert.equal(nodeAtPath(spec, ['model', 'layers', 99]), undefined);
  });
});
