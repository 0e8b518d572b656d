import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sharingDiagram } from '../../../src/core/sharingBlocks';
import { parseDocument } from '../../../src/host/parseDocument';
import { headerFromSpec } from '../../../src/host/training/startInfo';
import { joinSeries } from '../../../webview/training/seriesJoin';
import { experiment } from './fixtures';

describe('starting a training and drawing it', () => {
  it('says where the JSON is broken as the editor counts lines', () => {
    const r = parseDocument('{\n  "name": "x",\n  "tasks": [,]\n}');
    assert.ok('error' in r);
    assert.equal(r.error, 'expected a value at line 3, column 13');
    assert.deepEqual(parseDocument('{"a":1}'), { doc: { a: 1 } });
    const comma = parseDocument('{"a": 1,}');
    assert.ok('error' in comma && comma.error === 'expected a property name in double quotes at line 1, column 9');
    const tail = parseDocument('{"a": 1} x');
    assert.ok('error' in tail && /the end of the document at line 1, column 10/.test(tail.error));
    const open = parseDocument('{"a": "x');
    assert.ok('error' in open && /closing quote/.test(open.error));
  });

  it('accepts a UTF-8 byte-order mark before the document, and still places errors as the editor counts', () => {
    assert.deepEqual(parseDocument('\uFEFF{"a":1}'), { doc: { a: 1 } });
    const r = parseDocument('\uFEFF{\n  "tasks": [,]\n}');
    assert.ok('error' in r && r.error === 'expected a value at line 2, column 13', JSON.stringify(r));
  });

  it('plans the phases the trainer will run: shared model, then one baseline per task unless turned off', () => {
    const h = headerFromSpec(experiment(), '/ws/x.mtl.json');
    assert.deepEqual(h.phases, [{ kind: 'shared' }, { kind: 'baseline', task: 'digit' }, { kind: 'baseline', task: 'parity' }]);
    assert.deepEqual(h.tasks.map((t) => t.metrics), [['accuracy', 'macroF1'], ['accuracy', 'rocAuc']]);
    assert.deepEqual(headerFromSpec({ ...experiment(), evaluation: { baselines: 'none' } }, '/x').phases, [{ kind: 'shared' }]);
    assert.equal(headerFromSpec(experiment(), '/x', 3).totalEpochs, 3);
  });

  it('groups layers into input, shared and per-task blocks with their parameters', () => {
    const spec = experiment();
    spec.model.layers.push({ id: 'orphan', type: 'dense', units: 2, from: ['trunk1'] });
    const d = sharingDiagram(spec);
    const byKey = Object.fromEntries(d.blocks.map((b) => [b.key, b]));
    assert.deepEqual(byKey['shared:digit,parity']?.layers.map((l) => l.id), ['trunk1', 'trunk2']);
    assert.equal(byKey['shared:digit,parity']?.params, 100480 + 8256);
    assert.equal(byKey['task:digit']?.params, 650);
    assert.equal(byKey['unused:']?.layers[0]?.id, 'orphan');
    assert.deepEqual([byKey['input:image']?.depth, byKey['shared:digit,parity']?.depth, byKey['task:parity']?.depth], [0, 1, 2]);
    assert.equal(d.params.total, 109451);
    assert.equal(d.params.singleTaskTotal, 218187);
    assert.ok(d.edges.some(([a, b]) => a === 'shared:digit,parity' && b === 'task:digit'));
  });

  it('aligns curves logged at different steps for the chart, gaps as null', () => {
    const [x, train, val] = joinSeries([{ x: [10, 20, 30], y: [3, 2, 1] }, { x: [20, 40], y: [0.5, Number.NaN] }]);
    assert.deepEqual(x, [10, 20, 30, 40]);
    assert.deepEqual(train, [3, 2, 1, null]);
    assert.deepEqual(val, [null, 0.5, null, null]);
  });
});
