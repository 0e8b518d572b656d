import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyOpsToText } from '../../../../src/core/edits';
import { useVariantOps } from '../../../../src/core/study/useVariant';
import { specWith } from './fixtures';

const documentText = (): string => {
  const doc = specWith('digits-parity', 128) as unknown as Record<string, unknown>;
  const model = doc.model as { layers: Array<Record<string, unknown>> };
  // The user's design has a second trunk layer the variant (split after depth 1) does not.
  model.layers.splice(1, 0, { id: 'trunk2', type: 'dense', units: 64, activation: 'relu', from: ['trunk1'] });
  for (const l of model.layers.slice(2)) l.from = ['trunk2'];
  doc.layout = { image: { x: 0, y: 0 }, trunk1: { x: 0, y: 120 }, trunk2: { x: 0, y: 240 }, 'task:digit': { x: -80, y: 480 }, 'task:gone': { x: 80, y: 480 } };
  return `${JSON.stringify(doc, null, 2)}\n`;
};

test('using a variant replaces model, training and evaluation and keeps the layout of the nodes it still has', () => {
  const text = documentText();
  const variant = specWith('digits-parity', 64, 'pcgrad');
  const after = JSON.parse(applyOpsToText(text, useVariantOps(JSON.parse(text), variant))) as Record<string, unknown>;
  assert.deepEqual(after.model, variant.model);
  assert.deepEqual(after.training, variant.training);
  assert.deepEqual(after.evaluation, variant.evaluation);
  assert.deepEqual(after.data, JSON.parse(text).data);
  assert.equal(after.name, 'digits-parity');
  // trunk2 is not in the variant; "gone" is not one of its tasks.
  assert.deepEqual(after.layout, { image: { x: 0, y: 0 }, trunk1: { x: 0, y: 120 }, 'task:digit': { x: -80, y: 480 } });
});

test('using the variant the document already is changes nothing', () => {
  const variant = specWith('digits-parity', 64);
  assert.deepEqual(useVariantOps(JSON.parse(JSON.stringify(variant)), variant), []);
});

test('a variant without evaluation settings removes the document\'s', () => {
  const variant = specWith('digits-parity', 64);
  delete (variant as { evaluation?: unknown }).evaluation;
  assert.deepEqual(useVariantOps(specWith('digits-parity', 64), variant), [{ op: 'remove', path: ['evaluation'] }]);
});
