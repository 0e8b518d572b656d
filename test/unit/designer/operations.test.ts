import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyOpsToText, applyOpsToValue } from '../../../src/core/edits';
import type { ExperimentSpec } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import {
  addInput, addLayer, addTask, changeLayerType, changeVariant, connect, deleteElements, duplicateNodes, idProblem,
  arrangeAll, moveNodes, removeTask, renameNode, renameTask, setColumnType, type Edit,
} from '../../../webview/designer/operations';
import { digitsParityText, threeTasks } from './fixtures';

const digits = (): Record<string, unknown> => JSON.parse(digitsParityText) as Record<string, unknown>;
/** The document after an edit, through the text (as the host applies it). */
function after(doc: Record<string, unknown>, e: Edit | undefined): ExperimentSpec {
  assert.ok(e, 'an edit');
  const text = applyOpsToText(JSON.stringify(doc, null, 2), e.ops);
  const viaText = JSON.parse(text) as ExperimentSpec;
  assert.deepEqual(viaText, applyOpsToValue(doc, e.ops));
  return viaText;
}
const layer = (spec: ExperimentSpec, id: string) => spec.model.layers.find((l) => l.id === id);

describe('designer operations as document edits', () => {
  it('adds a layer with its type\'s starting settings, a fresh id and the selected node as input', () => {
    const e = addLayer(digits(), 'dense', ['trunk2'], { x: 10.4, y: 20.6 });
    const spec = after(digits(), e);
    assert.equal(e.id, 'dense1');
    assert.deepEqual(layer(spec, 'dense1'), { id: 'dense1', type: 'dense', units: 64, activation: 'relu', from: ['trunk2'] });
    assert.deepEqual(spec.layout, { dense1: { x: 10, y: 21 } });
    assert.deepEqual(layer(after(digits(), addLayer(digits(), 'conv2d', [])), 'conv2d1'), { id: 'conv2d1', type: 'conv2d', filters: 16, kernelSize: 3, activation: 'relu', from: [] });
    assert.equal(addInput(digits()).id, 'input');
    assert.equal(addLayer(after(digits(), e) as unknown as Record<string, unknown>, 'dense', []).id, 'dense2');
  });

  it('connects: a plain layer gets the source as its only input, a merge layer gains one, a task gets a head', () => {
    assert.deepEqual(layer(after(digits(), connect(digits(), 'trunk1', { layer: 'digitHead' })), 'digitHead')?.from, ['trunk1']);
    const withConcat = after(digits(), addLayer(digits(), 'concatenate', ['trunk1'])) as unknown as Record<string, unknown>;
    assert.deepEqual(layer(after(withConcat, connect(withConcat, 'trunk2', { layer: 'concatenate1' })), 'concatenate1')?.from, ['trunk1', 'trunk2']);
    assert.equal(after(digits(), connect(digits(), 'trunk2', { task: 'parity' })).model.outputs.parity, 'trunk2');
    assert.equal(connect(digits(), 'trunk2', { layer: 'trunk2' }), undefined, 'no self loop');
    assert.equal(connect(digits(), 'trunk1', { layer: 'trunk2' }), undefined, 'already connected');
  });

  it('deletes a layer from a stack and bridges its reader to its input; heads and positions go with it', () => {
    const doc = { ...digits(), layout: { trunk2: { x: 1, y: 2 }, image: { x: 0, y: 0 } } };
    const spec = after(doc, deleteElements(doc, ['trunk2']));
    assert.deepEqual(layer(spec, 'digitHead')?.from, ['trunk1']);
    assert.deepEqual(layer(spec, 'parityHead')?.from, ['trunk1']);
    assert.deepEqual(spec.layout, { image: { x: 0, y: 0 } });
    assert.equal(validate(spec).problems.filter((p) => p.severity === 'error').length, 0);
    const noHead = after(doc, deleteElements(doc, ['digitHead', 'trunk1']));
    assert.deepEqual(noHead.model.outputs, { parity: 'parityHead' });
    assert.deepEqual(layer(noHead, 'trunk2')?.from, ['image'], 'bridged through a deleted chain');
  });

  it('deletes connections: an input of a layer, or a task\'s head', () => {
    const spec = after(digits(), deleteElements(digits(), [], [{ kind: 'from', source: 'trunk2', target: 'digitHead' }, { kind: 'output', task: 'parity' }]));
    assert.deepEqual(layer(spec, 'digitHead')?.from, []);
    assert.deepEqual(spec.model.outputs, { digit: 'digitHead' });
  });

  it('duplicates a branch as a parallel branch: copies read from copies inside the selection', () => {
    const doc = { ...digits(), layout: { trunk2: { x: 100, y: 0 } } };
    const e = duplicateNodes(doc, ['trunk2', 'digitHead']);
    const spec = after(doc, e);
    assert.deepEqual(e.ids, ['trunk2Copy', 'digitHeadCopy']);
    assert.deepEqual(layer(spec, 'trunk2Copy')?.from, ['trunk1']);
    assert.deepEqual(layer(spec, 'digitHeadCopy')?.from, ['trunk2Copy']);
    assert.deepEqual(spec.layout?.trunk2Copy, { x: 140, y: 40 });
    assert.equal(spec.layout?.digitHeadCopy, undefined, 'auto-placed originals give auto-placed copies');
  });

  it('renames a node and every reference to it', () => {
    const doc = { ...digits(), layout: { trunk2: { x: 1, y: 2 } } };
    const spec = after(doc, renameNode(doc, 'trunk2', 'features'));
    assert.equal(layer(spec, 'features')?.type, 'dense');
    assert.deepEqual(layer(spec, 'digitHead')?.from, ['features']);
    assert.deepEqual(Object.keys(spec.layout ?? {}), ['features']);
    const heads = after(digits(), renameNode(digits(), 'digitHead', 'd'));
    assert.deepEqual(heads.model.outputs, { digit: 'd', parity: 'parityHead' });
    assert.equal(idProblem(digits(), 'trunk1', 'trunk2'), '"trunk1" is already used.');
    assert.equal(idProblem(digits(), 'trunk2', 'trunk2'), undefined);
    assert.match(idProblem(digits(), ' ', 'trunk2') ?? '', /empty/);
  });

  it('changes a layer\'s type keeping id, inputs and the settings both types have', () => {
    const spec = after(digits(), changeLayerType(digits(), 1, 'lstm'));
    assert.deepEqual(spec.model.layers[1], { id: 'trunk2', type: 'lstm', units: 64, activation: 'relu', from: ['trunk1'] });
    const flat = after(digits(), changeLayerType(digits(), 1, 'flatten'));
    assert.deepEqual(flat.model.layers[1], { id: 'trunk2', type: 'flatten', from: ['trunk1'] });
    // A stray "constructor" or "toString" property is no setting of any type (not Object.prototype's).
    const doc = digits() as any;
    Object.assign(doc.model.layers[1], JSON.parse('{"constructor": 1, "toString": 2}'));
    assert.deepEqual(after(doc, changeLayerType(doc, 1, 'flatten')).model.layers[1], { id: 'trunk2', type: 'flatten', from: ['trunk1'] });
  });

  it('switches a tagged setting, keeping what the new kind shares and starting its required settings', () => {
    const doc = digits();
    const spec = after(doc, changeVariant(doc, ['training', 'optimizer'], 'type', 'adam', ['learningRate', 'beta1', 'beta2', 'epsilon']));
    assert.deepEqual(spec.training.optimizer, { type: 'adam', learningRate: 0.01 });
    const sgdr = after(doc, changeVariant(doc, ['training', 'schedule'], 'type', 'sgdr', ['t0', 'tMult', 'minLearningRate', 'warmupEpochs'], { t0: 5 }));
    assert.deepEqual(sgdr.training.schedule, { type: 'sgdr', t0: 5 });
  });

  it('adds, renames (in place in model.outputs) and removes tasks', () => {
    const added = after(digits(), addTask(digits()));
    assert.deepEqual(added.tasks[2], { id: 'task1', kind: 'binary', target: 'task1' });
    const renamed = after(digits(), renameTask(digits(), 0, 'number'));
    assert.equal(renamed.tasks[0]?.id, 'number');
    assert.deepEqual(Object.entries(renamed.model.outputs), [['number', 'digitHead'], ['parity', 'parityHead']]);
    const removed = after(digits(), removeTask(digits(), 1));
    assert.deepEqual(removed.tasks.map((t) => t.id), ['digit']);
    assert.deepEqual(removed.model.outputs, { digit: 'digitHead' });
  });

  it('saves moved positions, creating "layout" when needed; auto-layout replaces the whole layout', () => {
    const moved = after(digits(), moveNodes(digits(), { trunk1: { x: 1.2, y: 3.7 } }));
    assert.deepEqual(moved.layout, { trunk1: { x: 1, y: 4 } });
    const again = after(moved as unknown as Record<string, unknown>, moveNodes(moved as unknown as Record<string, unknown>, { image: { x: 5, y: 6 } }));
    assert.deepEqual(again.layout, { trunk1: { x: 1, y: 4 }, image: { x: 5, y: 6 } });
    const arranged = after(again as unknown as Record<string, unknown>, arrangeAll(new Map([['image', { x: 0, y: 0.4 }], ['trunk1', { x: 280.2, y: 0 }]])));
    assert.deepEqual(arranged.layout, { image: { x: 0, y: 0 }, trunk1: { x: 280, y: 0 } });
  });

  it('the first placement by the user saves every node where it is on screen, later ones only what moved', () => {
    const onScreen = new Map([['image', { x: 0, y: 0 }], ['trunk1', { x: 280, y: 0 }], ['trunk2', { x: 560, y: 0 }]]);
    const first = moveNodes(digits(), { trunk1: { x: 300, y: 90 } }, onScreen);
    assert.equal(first.ops.length, 1, 'one edit of the whole layout');
    const moved = after(digits(), first);
    assert.deepEqual(moved.layout, { image: { x: 0, y: 0 }, trunk1: { x: 300, y: 90 }, trunk2: { x: 560, y: 0 } });
    const doc = moved as unknown as Record<string, unknown>;
    const second = moveNodes(doc, { image: { x: 10, y: 10 } }, new Map([...onScreen, ['trunk1', { x: 300, y: 90 }]]));
    assert.deepEqual(second.ops, [{ op: 'set', path: ['layout', 'image'], value: { x: 10, y: 10 } }]);
    // A hand-written layout naming only some nodes is completed the same way, keeping what it said.
    const partial = { ...digits(), layout: { trunk1: { x: 0, y: 120 } } };
    const dropped = after(partial, addLayer(partial, 'dense', [], { x: 900, y: 400 }, new Map([['image', { x: -280, y: 120 }], ['trunk1', { x: 0, y: 120 }]])));
    assert.deepEqual(dropped.layout, { image: { x: -280, y: 120 }, trunk1: { x: 0, y: 120 }, dense1: { x: 900, y: 400 } });
  });

  it('task renames and removals carry the task node\'s saved position along', () => {
    const doc = { ...digits(), layout: { 'task:digit': { x: 1, y: 2 }, 'task:parity': { x: 3, y: 4 } } };
    assert.deepEqual(after(doc, renameTask(doc, 0, 'number')).layout, { 'task:number': { x: 1, y: 2 }, 'task:parity': { x: 3, y: 4 } });
    assert.deepEqual(after(doc, removeTask(doc, 1)).layout, { 'task:digit': { x: 1, y: 2 } });
  });

  it('a column type is set in data.source.columnTypes, the map created with it when absent', () => {
    const csv = { ...digits(), data: { source: { type: 'csv', path: 'd.csv' }, split: { validation: 0.1, test: 0.1, seed: 1 } } };
    const first = setColumnType(csv, 'age', 'numeric');
    assert.equal(first.label, 'Read column age as numbers');
    const once = after(csv, first) as unknown as typeof csv & { data: { source: Record<string, unknown> } };
    assert.deepEqual(once.data.source.columnTypes, { age: 'numeric' });
    const twice = after(once, setColumnType(once, 'kind', 'categorical')) as unknown as typeof once;
    assert.deepEqual(twice.data.source.columnTypes, { age: 'numeric', kind: 'categorical' });
  });

  it('keeps a bigger document valid through a sequence of edits', () => {
    let doc = threeTasks() as unknown as Record<string, unknown>;
    const steps = [
      (d: Record<string, unknown>) => addLayer(d, 'batchNormalization', ['conv1']),
      (d: Record<string, unknown>) => connect(d, 'batchNormalization1', { layer: 'pool1' }),
      (d: Record<string, unknown>) => setUnits(d),
      (d: Record<string, unknown>) => deleteElements(d, ['orphan']),
    ];
    for (const step of steps) doc = after(doc, step(doc)) as unknown as Record<string, unknown>;
    assert.deepEqual(validate(doc).problems, []);
  });
});

function setUnits(doc: Record<string, unknown>): Edit {
  const layers = (doc.model as { layers: Array<{ id: string }> }).layers;
  return { label: 'units', ops: [{ op: 'set', path: ['model', 'layers', layers.findIndex((l) => l.id === 'sumHead'), 'units'], value: 1 }] };
}
