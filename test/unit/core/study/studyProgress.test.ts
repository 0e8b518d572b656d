import assert from 'node:assert/strict';
import { test } from 'node:test';
import { studyPosition, studyProgressText } from '../../../../src/core/study/studyProgress';
import { studyFileName, studyFileOf } from '../../../../src/core/study/studyFileOf';
import { studyFixture } from './fixtures';

test('the position of a running study: variant and repeat of the run in progress', () => {
  const result = studyFixture();
  result.status = 'running';
  // Variant 1 done (3 runs), variant 2: repeat 1 done, repeat 2 running, repeat 3 pending; variant 3 pending.
  result.variants[1]!.runs[1]!.status = 'running';
  result.variants[1]!.runs[2]!.status = 'pending';
  for (const r of result.variants[2]!.runs) r.status = 'pending';
  assert.deepEqual(studyPosition(result), { variant: 2, variants: 3, repeat: 2, repeats: 3, finished: 4, total: 9 });
  assert.equal(studyProgressText(result), 'variant 2 of 3, repeat 2 of 3');
  // Between runs (one ended, the next not started yet): the next pending run.
  result.variants[1]!.runs[1]!.status = 'failed';
  assert.equal(studyProgressText(result), 'variant 2 of 3, repeat 3 of 3');
  assert.equal(studyProgressText(studyFixture()), 'all 9 runs finished');
});

test('the study file the compare command writes names the experiment beside it and the choices', () => {
  assert.equal(studyFileName('digits-parity.mtl.json'), 'digits-parity.mtl-study.json');
  const spec = studyFileOf('digits-parity', 'digits-parity.mtl.json', {
    singleTask: true, asDesigned: true, branchDepths: true, weighting: ['uncertainty', 'pcgrad'], architectures: ['mmoe'], repeats: 3,
  });
  assert.deepEqual(spec, {
    name: 'digits-parity: sharing strategies', experiment: './digits-parity.mtl.json', repeats: 3,
    variants: { singleTask: true, asDesigned: true, branchDepths: true, weighting: [{ method: 'uncertainty' }, { method: 'pcgrad' }], architectures: ['mmoe'] },
  });
});

test('with cross-validation the position names the fold and the seed\'s repeat, not the run\'s place among the variant\'s runs', () => {
  const result = studyFixture();
  result.status = 'running';
  result.repeats = 1;
  result.crossValidation = { folds: 3 };
  for (const v of result.variants) v.runs.forEach((r, i) => Object.assign(r, { repeat: 0, fold: { index: i, of: 3 } }));
  result.variants[1]!.runs[1]!.status = 'running';
  for (const r of [result.variants[1]!.runs[2]!, ...result.variants[2]!.runs]) r.status = 'pending';
  assert.deepEqual(studyPosition(result), { variant: 2, variants: 3, repeat: 1, repeats: 1, fold: 2, folds: 3, finished: 4, total: 9 });
  assert.equal(studyProgressText(result), 'variant 2 of 3, fold 2 of 3, repeat 1 of 1');
});
