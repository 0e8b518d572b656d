import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromEdgeId, outputEdgeId, parseNodeId, taskNodeId } from '../../../src/core/nodeIds';
import { buildModel, onCanvas } from '../../../webview/designer/model';
import { digitsParityText } from '../designer/fixtures';

describe('canvas ids', () => {
  it('keeps the "task:" layout keys of existing documents', () => {
    assert.equal(taskNodeId('digit'), 'task:digit');
    assert.equal(outputEdgeId('digit'), 'output:digit');
    assert.equal(fromEdgeId('trunk1', 'trunk2', 0), 'from:trunk1->trunk2#0');
  });

  it('reads a task node id back to its task, whatever the task id holds', () => {
    for (const task of ['digit', 'a:b', 'task:x', '']) assert.deepEqual(parseNodeId(taskNodeId(task)), { kind: 'task', task });
    assert.deepEqual(parseNodeId('trunk1'), { kind: 'graph', id: 'trunk1' });
    assert.deepEqual(parseNodeId('tasks'), { kind: 'graph', id: 'tasks' });
  });

  it('knows which ids are on a design\'s canvas, and does not take any id ending in a task id for its node', () => {
    const model = buildModel(JSON.parse(digitsParityText), []);
    assert.ok(onCanvas(model, 'trunk1'));
    assert.ok(onCanvas(model, taskNodeId('digit')));
    assert.ok(!onCanvas(model, taskNodeId('trunk1')));
    assert.ok(!onCanvas(model, 'gone!digit'), 'only a "task:" id is a task node');
  });
});
