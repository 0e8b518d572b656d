import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baselinePhase, baselineTasks, phaseKey, phaseLabel, phasesOf, samePhase, SHARED_PHASE, SHARED_PHASE_KEY } from '../../../src/core/phase';
import { WHOLE_MODEL } from '../../../src/core/protocol';

const tasks = [{ id: 'digit' }, { id: 'parity' }];

describe('training phases', () => {
  it('lists the shared model, then one single-task baseline per task unless baselines are off or there is one task', () => {
    assert.deepEqual(phasesOf({ tasks }), [{ kind: 'shared' }, { kind: 'baseline', task: 'digit' }, { kind: 'baseline', task: 'parity' }]);
    assert.deepEqual(phasesOf({ tasks, evaluation: { baselines: 'single-task' } }).length, 3);
    assert.deepEqual(phasesOf({ tasks, evaluation: { baselines: 'none' } }), [{ kind: 'shared' }]);
    assert.deepEqual(phasesOf({ tasks: [{ id: 'digit' }] }), [{ kind: 'shared' }]);
    assert.deepEqual(baselineTasks(phasesOf({ tasks })), ['digit', 'parity']);
  });

  it('names a phase one way everywhere, with the wording of evaluation.baselines', () => {
    assert.equal(phaseLabel(SHARED_PHASE), 'shared model');
    assert.equal(phaseLabel(baselinePhase('digit')), 'single-task digit');
  });

  it('keys the shared model apart from the baseline of a task called "shared" or "*"', () => {
    const keys = [SHARED_PHASE, baselinePhase('shared'), baselinePhase('*'), baselinePhase('digit')].map(phaseKey);
    assert.equal(new Set(keys).size, 4, keys.join(', '));
    assert.equal(phaseKey(SHARED_PHASE), SHARED_PHASE_KEY);
    assert.ok(samePhase(baselinePhase('digit'), { kind: 'baseline', task: 'digit' }));
    assert.ok(!samePhase(baselinePhase('shared'), SHARED_PHASE));
    assert.ok(!samePhase(undefined, SHARED_PHASE));
  });

  it('keeps the whole model\'s series name of metrics.jsonl, which older run folders hold', () => {
    assert.equal(WHOLE_MODEL, '*');
  });

});
