// The weighting table drives the spec, the schema, the picker and the trainer: each entry
// must be complete (the picker shows its summary and paper, validation its bounds), and the
// schema must offer exactly the table's methods.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPERIMENT_SCHEMA } from '../../../../src/core/experimentSchema';
import { WEIGHTING_METHODS, weightingLabel } from '../../../../src/core/weighting/registry';

test('every method is complete: unique id, title, summary, paper, a default for each parameter, a rule unless on tensors', () => {
  const ids = WEIGHTING_METHODS.map((m) => m.description.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.length >= 17, `${ids.length} methods`);
  for (const { description: d, create } of WEIGHTING_METHODS) {
    assert.ok(d.title && d.summary.length > 20 && /\d{4}/.test(d.paper), `${d.id}: title, summary and a dated paper`);
    assert.deepEqual(Object.keys(d.defaults).sort(), Object.keys(d.params).sort(), `${d.id}: a default per parameter`);
    assert.equal(typeof create === 'function', d.engine === 'rule', `${d.id}: a rule exactly when its engine is 'rule'`);
  }
});

test('the schema offers exactly the table\'s methods, gradient methods with their mode', () => {
  const training = EXPERIMENT_SCHEMA.properties.training;
  assert.equal(training?.kind, 'object');
  const weighting = training.kind === 'object' ? training.properties.weighting : undefined;
  assert.equal(weighting?.kind, 'union');
  if (weighting?.kind !== 'union') return;
  assert.deepEqual(Object.keys(weighting.variants), WEIGHTING_METHODS.map((m) => m.description.id));
  for (const { description: d } of WEIGHTING_METHODS) {
    assert.equal('mode' in weighting.variants[d.id]!.properties, d.family === 'gradient', d.id);
  }
});

test('a header names a gradient method with where its gradients were taken', () => {
  assert.equal(weightingLabel(undefined), 'equal');
  assert.equal(weightingLabel({ method: 'dwa', mode: 'representation' }), 'dwa');
  assert.equal(weightingLabel({ method: 'pcgrad' }), 'pcgrad (shared parameters)');
  assert.equal(weightingLabel({ method: 'upgrad', mode: 'representation' }), 'upgrad (shared representation)');
});
