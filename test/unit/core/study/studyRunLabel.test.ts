// The Runs view's name of a study's run folder: the variant and repeat, and both variants where
// one folder holds two (the as-designed run and, as its baselines, the single-task models).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { studyRunLabel } from '../../../../src/core/study/studyRunLabel';
import { studyFixture } from './fixtures';

describe('studyRunLabel', () => {
  it('names the variant and the repeat (from 1)', () => {
    assert.equal(studyRunLabel(studyFixture(), 'weighting-pcgrad-r1'), 'PCGrad (parameters) · repeat 2');
    assert.equal(studyRunLabel(studyFixture(), 'not-in-the-study'), undefined);
    assert.equal(studyRunLabel(undefined, 'as-designed-r0'), undefined);
  });

  it('names both variants of a folder they share, as the runner writes study.json', () => {
    const result = studyFixture();
    for (const v of result.variants) if (v.variant.kind === 'single-task') for (const r of v.runs) r.runDir = `as-designed-r${r.repeat}`;
    assert.equal(studyRunLabel(result, 'as-designed-r0'), 'Single-task models + As designed · repeat 1');
  });
});
