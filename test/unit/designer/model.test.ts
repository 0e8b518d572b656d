import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeEstimate } from '../../../src/core/budget';
import { problemRange } from '../../../src/host/designer/problemRange';
import { snapshotOf } from '../../../src/host/designer/snapshot';
import { validate } from '../../../src/core/validate';
import { taskNodeId } from '../../../src/core/nodeIds';
import { buildModel as build } from '../../../webview/designer/model';
import { digitsParityText, threeTasks } from './fixtures';

/** As the designer gets it: the document with the problems the host found in it. */
const buildModel = (doc: unknown) => build(doc, validate(doc).problems);

describe('what the designer shows', () => {
  it('gives each node its settings, output shape, parameters and the tasks it serves', () => {
    const m = buildModel(JSON.parse(digitsParityText));
    const trunk1 = m.nodeById.get('trunk1')!;
    assert.equal(trunk1.settings, '128 units · relu');
    assert.deepEqual(trunk1.shape, [128]);
    assert.equal(trunk1.params, 784 * 128 + 128);
    assert.deepEqual(trunk1.serves, ['digit', 'parity']);
    assert.equal(trunk1.shared, true);
    assert.equal(m.nodeById.get('parityHead')!.settings, '1 unit · sigmoid');
    assert.deepEqual(m.nodeById.get('digitHead')!.headOf, ['digit']);
    assert.equal(m.params.total, 109_451);
    assert.notEqual(m.taskById.get('digit')!.color, m.taskById.get('parity')!.color);
  });

  it('puts each problem on the node it is about: a layer, an unused layer, a task', () => {
    const m = buildModel(threeTasks());
    assert.match(m.problemsByNode.get('sumHead')?.[0]?.message ?? '', /regression/);
    assert.equal(m.problemsByNode.get('orphan')?.[0]?.severity, 'warning');
    const spec = threeTasks();
    delete (spec.model.outputs as Record<string, string>).sum;
    spec.model.outputs.right = 'nowhere';
    const broken = buildModel(spec);
    assert.match(broken.problemsByNode.get(taskNodeId('sum'))?.[0]?.message ?? '', /has no output/);
    assert.match(broken.problemsByNode.get(taskNodeId('right'))?.[0]?.message ?? '', /does not exist/);
  });

  it('keeps showing a half-edited document: malformed entries keep their place', () => {
    const doc = JSON.parse(digitsParityText) as { model: { layers: unknown[] } };
    doc.model.layers[1] = { type: 'dense', units: 'many', from: 'trunk1' };
    const m = buildModel(doc);
    assert.equal(m.nodes.find((n) => n.kind === 'layer' && n.index === 1)?.id, 'layer #2');
    assert.equal(m.nodeById.get('digitHead')?.index, 2);
    assert.ok(m.problems.some((p) => p.path.join('.') === 'model.layers.1.units'));
    assert.equal(buildModel('not an object').nodes.length, 0);
  });
});

describe('the memory estimate of the summary bar', () => {
  it('estimates the document as it is, and the budget refusal reaches the designer\'s problems at the layer', () => {
    const doc = JSON.parse(digitsParityText) as Record<string, any>;
    assert.equal(describeEstimate(buildModel(doc).memory!), '~ 13 MB at batch 32 (data not counted)');
    doc.model.layers[0].units = 1_000_000;
    const budget = { bytes: 8 * 1024 ** 3, source: 'half this machine\'s 16 GB', raise: 'multiTaskStudio.maxMemory' };
    const snapshot = snapshotOf(JSON.stringify(doc, null, 2), 2, { budget });
    assert.ok(snapshot.ok);
    const m = build(doc, snapshot.problems);
    assert.match(describeEstimate(m.memory!), /^~ 3\d GB at batch 32/);
    const [problem] = m.problemsByNode.get('trunk1') ?? [];
    assert.match(problem?.message ?? '', /Training needs about 3\d GB .*Lower units of layer "trunk1"/);
    assert.deepEqual(problem?.path, ['model', 'layers', 0, 'units']);
  });

  it('has no estimate without a usable batch size', () => {
    const doc = JSON.parse(digitsParityText) as Record<string, any>;
    doc.training.batchSize = 0;
    assert.equal(buildModel(doc).memory, undefined);
  });
});

describe('host helpers', () => {
  it('underlines the value of a problem, or the name of a multi-line object, or the id of an item', () => {
    const text = JSON.stringify(threeTasks(), null, 2);
    const slice = (path: (string | number)[]): string => { const r = problemRange(text, path); return text.slice(r.start, r.end); };
    assert.equal(slice(['model', 'layers', 9, 'units']), '3');
    assert.equal(slice(['data', 'split']), '"split"');
    assert.equal(slice(['model', 'layers', 10]), '"orphan"');
    assert.equal(slice(['tasks', 2, 'classes']), '"sum"', 'a missing property: the item\'s id');
  });

  it('says what a select hands on, by the block it reads: a gate\'s mix of the experts or a task column, not "column 0"', () => {
    const layers = [
      { id: 'experts', type: 'mmoe', experts: 4, units: 16, tasks: 2, from: ['x'] },
      { id: 'm1', type: 'select', index: 1, from: ['experts'] },
      { id: 'levels', type: 'ple', sharedExperts: 2, taskExperts: 1, units: 16, tasks: 2, from: ['x'] },
      { id: 'p0', type: 'select', index: 0, from: ['levels'] },
      { id: 'cols', type: 'parallelDense', columns: 2, units: 8, from: ['x'] },
      { id: 'stitch', type: 'crossStitch', from: ['cols'] },
      { id: 's1', type: 'select', index: 1, from: ['stitch'] },
      { id: 'c0', type: 'select', index: 0, from: ['cols'] },
      { id: 'loose', type: 'select', index: 0, from: ['x'] },
    ];
    const m = buildModel({ model: { inputs: [{ id: 'x', shape: [4] }], layers, outputs: {} } });
    assert.equal(m.nodeById.get('m1')!.settings, 'gate 1\'s mix of experts');
    assert.equal(m.nodeById.get('p0')!.settings, 'gate 0\'s mix of experts');
    assert.equal(m.nodeById.get('s1')!.settings, 'task column 1');
    assert.equal(m.nodeById.get('c0')!.settings, 'task column 0');
    assert.equal(m.nodeById.get('loose')!.settings, 'column 0', 'reading no block: the plain index');
  });
});
