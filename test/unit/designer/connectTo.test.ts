import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectChoices } from '../../../webview/designer/ConnectTo';
import { buildModel } from '../../../webview/designer/model';
import { digitsParityText } from './fixtures';

describe('"Connect output to…" choices', () => {
  const model = buildModel(JSON.parse(digitsParityText), []);
  const choices = (id: string): string[] => connectChoices(model, model.nodeById.get(id)!).map((c) => `${c.label} (${c.detail})`);

  it('every layer that would not make a cycle and does not read it yet, then the tasks it does not head', () => {
    assert.deepEqual(choices('trunk1'), [
      'digitHead (dense, instead of trunk2)', 'parityHead (dense, instead of trunk2)',
      'head of task digit (instead of digitHead)', 'head of task parity (instead of parityHead)',
    ]);
    assert.deepEqual(choices('digitHead'), ['parityHead (dense, instead of trunk2)', 'head of task parity (instead of parityHead)'], 'trunk1 and trunk2 feed it: no cycle');
  });

  it('an input feeds layers only (a task\'s head is a layer)', () => {
    assert.deepEqual(choices('image'), ['trunk2 (dense, instead of trunk1)', 'digitHead (dense, instead of trunk2)', 'parityHead (dense, instead of trunk2)']);
  });
});
