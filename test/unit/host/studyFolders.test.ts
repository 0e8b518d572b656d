import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { STUDY_FILES, type StudyResult } from '../../../src/core/study/studyTypes';
import { readRunsFolder } from '../../../src/host/runFolders';
import { readStudyResult, studyExperimentPath, unfinishedStudies } from '../../../src/host/study/studyFolder';
import { studyFixture } from '../core/study/fixtures';
import { record, tempDir, writeRun } from './fixtures';

const alive = () => false;
const STUDY = 'study-20260130-090000-abcd';

/** A study folder as the runner leaves it: study.json and one run folder per variant and repeat. */
/** `result` null: no study.json yet. */
function writeStudy(runs: string, runDirs: string[], result: unknown = studyFixture()): string {
  const dir = path.join(runs, 'digits-parity', STUDY);
  for (const r of runDirs) writeRun(path.join(runs, 'digits-parity'), r, { record: record(`20260102-030401-${r}`, 'completed') }, STUDY);
  fs.mkdirSync(dir, { recursive: true });
  if (result !== null) fs.writeFileSync(path.join(dir, STUDY_FILES.result), JSON.stringify(result));
  fs.mkdirSync(path.join(dir, 'charts'), { recursive: true });
  return dir;
}

describe('study folders in the runs index', () => {
  it('a study folder is one group with its runs in study.json order, apart from the experiment\'s own runs', () => {
    const runs = tempDir();
    writeRun(runs, '20260102-030401-aaaa', { record: record('20260102-030401-aaaa', 'completed') });
    // Written in another order than study.json lists them; charts/ is no run.
    const dir = writeStudy(runs, ['weighting-pcgrad-r0', 'single-task-r0', 'as-designed-r0', 'single-task-r1']);
    const [exp] = readRunsFolder(runs, alive);
    assert.deepEqual(exp!.runs.map((r) => r.id), ['20260102-030401-aaaa'], 'the study\'s runs are not loose runs of the experiment');
    assert.equal(exp!.studies.length, 1);
    const study = exp!.studies[0]!;
    assert.equal(study.dir, dir);
    assert.equal(study.result?.name, 'digits-parity sharing');
    assert.deepEqual(study.runs.map((r) => r.id), ['single-task-r0', 'single-task-r1', 'as-designed-r0', 'weighting-pcgrad-r0']);
  });

  it('a run folder two variants share (the single-task models are the as-designed run\'s baselines) is listed once', () => {
    // As the runner writes study.json: single-task repeat r reads the folder as-designed-r<r>.
    const result = studyFixture();
    for (const v of result.variants) if (v.variant.kind === 'single-task') for (const r of v.runs) r.runDir = `as-designed-r${r.repeat}`;
    const runs = tempDir();
    writeStudy(runs, ['as-designed-r0', 'as-designed-r1', 'weighting-pcgrad-r0'], result);
    const ids = readRunsFolder(runs, alive)[0]!.studies[0]!.runs.map((r) => r.id);
    // Twice would give two Runs view items one id: VS Code refuses the whole group ("already registered").
    assert.deepEqual(ids, ['as-designed-r0', 'as-designed-r1', 'weighting-pcgrad-r0']);
  });

  it('an experiment with only a study is listed; a study without study.json yet still shows its runs', () => {
    const runs = tempDir();
    writeStudy(runs, ['b-r0', 'a-r0'], null);
    const [exp] = readRunsFolder(runs, alive);
    assert.equal(exp?.runs.length, 0);
    assert.equal(exp?.studies[0]?.result, undefined);
    assert.deepEqual(exp?.studies[0]?.runs.map((r) => r.id), ['a-r0', 'b-r0']);
  });
});

describe('study.json and the experiment of a study', () => {
  it('says why a folder cannot be shown: no study.json yet, half written, not a study', () => {
    const dir = tempDir();
    assert.match((readStudyResult(dir) as { problem: string }).problem, /study\.json is not in .* yet/);
    fs.writeFileSync(path.join(dir, STUDY_FILES.result), '{"name": "x", "vari');
    assert.match((readStudyResult(dir) as { problem: string }).problem, /is not valid JSON/);
    fs.writeFileSync(path.join(dir, STUDY_FILES.result), '{"name": "x"}');
    assert.match((readStudyResult(dir) as { problem: string }).problem, /is not a study result/);
    fs.writeFileSync(path.join(dir, STUDY_FILES.result), JSON.stringify(studyFixture()));
    assert.equal((readStudyResult(dir) as { result: { name: string } }).result.name, 'digits-parity sharing');
  });

  it('finds the experiment beside the study file, or under a workspace folder, and nothing that is not there', () => {
    const ws = tempDir();
    fs.mkdirSync(path.join(ws, 'exp'));
    fs.writeFileSync(path.join(ws, 'exp', 'digits-parity.mtl.json'), '{}');
    const expected = path.join(ws, 'exp', 'digits-parity.mtl.json');
    assert.equal(studyExperimentPath({ studyFile: path.join(ws, 'exp', 'd.mtl-study.json'), experiment: './digits-parity.mtl.json' }, []), expected);
    assert.equal(studyExperimentPath({ studyFile: 'exp/d.mtl-study.json', experiment: './digits-parity.mtl.json' }, [ws]), expected);
    assert.equal(studyExperimentPath({ studyFile: 'd.mtl-study.json', experiment: expected }, []), expected);
    assert.equal(studyExperimentPath({ studyFile: 'd.mtl-study.json', experiment: './gone.mtl.json' }, [ws]), undefined);
  });
});

describe('resume', () => {
  it('offers the newest unfinished study of the same study file, not a completed one nor another file\'s', () => {
    const runs = tempDir();
    const exp = path.join(runs, 'digits-parity');
    const write = (name: string, status: string, studyFile: string) => {
      fs.mkdirSync(path.join(exp, name), { recursive: true });
      fs.writeFileSync(path.join(exp, name, STUDY_FILES.result), JSON.stringify({ ...studyFixture(), status, studyFile }));
    };
    write('study-20261130-080000-aaaa', 'cancelled', '/ws/digits.mtl-study.json');
    write('study-20261130-090000-bbbb', 'running', '/ws/digits.mtl-study.json');
    write('study-20261130-100000-cccc', 'completed', '/ws/digits.mtl-study.json');
    write('study-20261130-110000-dddd', 'running', '/ws/other.mtl-study.json');
    fs.mkdirSync(path.join(exp, '20261130-120000-eeee'));
    assert.deepEqual(unfinishedStudies(exp, '/ws/digits.mtl-study.json').map((u) => path.basename(u.dir)), ['study-20261130-090000-bbbb', 'study-20261130-080000-aaaa']);
    assert.deepEqual(unfinishedStudies(path.join(runs, 'missing'), '/ws/digits.mtl-study.json'), []);
  });

  it('finds its study file after the workspace moved: study.json names it relative to the study folder (absolute in older folders)', () => {
    // The workspace moves inside a temporary folder, removed with it.
    const top = tempDir();
    const ws = path.join(top, 'ws');
    fs.mkdirSync(ws);
    const study = path.join(ws, 'digits.mtl-study.json');
    fs.writeFileSync(study, '{}');
    fs.writeFileSync(path.join(ws, 'digits-parity.mtl.json'), '{}');
    const exp = path.join(ws, 'runs', 'digits-parity');
    const write = (name: string, studyFile: string) => {
      fs.mkdirSync(path.join(exp, name), { recursive: true });
      fs.writeFileSync(path.join(exp, name, STUDY_FILES.result), JSON.stringify({ ...studyFixture(), status: 'cancelled', studyFile, experiment: './digits-parity.mtl.json' }));
    };
    write('study-20261130-080000-aaaa', '../../../digits.mtl-study.json');
    write('study-20261130-090000-bbbb', '../../../other.mtl-study.json');
    write('study-20261130-100000-cccc', study);
    const moved = path.join(top, 'ws-moved');
    fs.renameSync(ws, moved);
    const movedExp = path.join(moved, 'runs', 'digits-parity');
    const found = unfinishedStudies(movedExp, path.join(moved, 'digits.mtl-study.json')).map((u) => path.basename(u.dir));
    // The relative one by its path; the old absolute one, whose path is gone, by its name; never another study file's.
    assert.deepEqual(found, ['study-20261130-100000-cccc', 'study-20261130-080000-aaaa']);
    const dir = path.join(movedExp, 'study-20261130-080000-aaaa');
    const result = (readStudyResult(dir) as { result: StudyResult }).result;
    assert.equal(studyExperimentPath(result, [], dir), path.join(moved, 'digits-parity.mtl.json'), '"Use this variant" finds the experiment beside the study file');
  });
});
