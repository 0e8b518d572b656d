// A study variant for a grouping of the tasks (variants.groupings, core/taskGrouping.ts), as
// "Try this grouping" writes it: made and validated like every variant, located when it cannot be.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeGraph } from '../../../src/core/graph';
import { groupingStudyOf } from '../../../src/core/study/studyFileOf';
import { checkStudy } from '../../../src/core/study/studySchema';
import { studyVariants } from '../../../src/core/study/variants';
import { validate } from '../../../src/core/validate';
import { threeDigitTasks } from '../core/fixtures';

describe('grouping variants', () => {
  it('the study "Try this grouping" writes checks and makes single-task, as designed and the grouping (same runs folder name)', () => {
    const study = groupingStudyOf('three', 'three.mtl.json', [['digit', 'parity'], ['big']]);
    assert.deepEqual(checkStudy(study).problems, []);
    const plan = studyVariants(threeDigitTasks(), checkStudy(study).spec!);
    assert.deepEqual(plan.problems, []);
    assert.deepEqual(plan.variants.map((v) => [v.id, v.label, v.kind]), [
      ['single-task', 'Single-task models', 'single-task'], ['as-designed', 'As designed', 'as-designed'],
      ['grouping-digit-parity_big', 'Groups {digit, parity} {big}', 'grouping'],
    ]);
    const grouped = plan.variants[2]!.spec!;
    assert.deepEqual(validate(grouped).problems.filter((p) => p.severity === 'error'), []);
    assert.equal(grouped.name, 'three');
    assert.deepEqual(analyzeGraph(grouped).serves.get('trunk1_big'), ['big']);
  });

  it('a grouping that is not a partition of the tasks is the study\'s problem, at its path', () => {
    const plan = studyVariants(threeDigitTasks(), { name: 's', experiment: 'x.mtl.json', variants: { groupings: [[['digit', 'parity'], ['big']], [['digit'], ['parity']]] } });
    assert.deepEqual(plan.variants.map((v) => v.id), ['single-task', 'as-designed', 'grouping-digit-parity_big']);
    assert.deepEqual(plan.problems.map((p) => [p.path, p.severity]), [[['variants', 'groupings', 1], 'error']]);
    assert.match(plan.problems[0]!.message, /"big" is in no group/);
  });

  it('the schema takes groupings alone as the variants to train, and refuses one group', () => {
    assert.equal(checkStudy({ name: 's', experiment: 'x.mtl.json', variants: { singleTask: false, asDesigned: false, groupings: [[['a'], ['b']]] } }).problems.length, 0);
    const one = checkStudy({ name: 's', experiment: 'x.mtl.json', variants: { groupings: [[['a', 'b']]] } });
    assert.deepEqual(one.problems.map((p) => p.path), [['variants', 'groupings', 0]]);
  });
});
