// A study whose trainer child is killed mid-run and then resumed retrains only what was
// unfinished: completed runs are kept as they were, the killed one and those never started train.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import type { StudyResult } from '../../../src/core/study/studyTypes';
import { forkTrainer } from '../../../src/host/trainerProcess';
import { runStudy } from '../../../src/trainer/study/runStudy';
import { readJson, ROOT, tempDir } from '../trainer/helpers';
import { tinyExperiment, tinyStudy } from './fixtures';

const RUNS = ['as-designed-r0', 'branch-1-r0', 'weighting-dwa-r0', 'as-designed-r1', 'branch-1-r1', 'weighting-dwa-r1'];
const statusOf = (studyDir: string, run: string) => {
  const file = path.join(studyDir, run, 'run.json');
  return fs.existsSync(file) ? readJson(file).status as string : 'absent';
};

test('a study killed mid-run and resumed retrains only the unfinished runs', { timeout: 90_000 }, async () => {
  const runsDir = tempDir('study-resume');
  const experiment = tinyExperiment(600, 2);
  const child = forkTrainer({ script: path.join(ROOT, 'dist', 'trainer.js') });
  const messages: FromTrainer[] = [];
  let studyDir = '';
  child.onMessage((m) => {
    messages.push(m);
    if (m.type === 'studyProgress') studyDir = m.studyDir;
    // Kill (SIGKILL: no chance to tidy up) in the first epoch of the third run.
    if (m.type === 'started' && m.phase.kind === 'shared' && path.basename(m.runDir) === 'weighting-dwa-r0') child.kill();
  });
  child.send({ type: 'study', doc: tinyStudy(), studyPath: 'tiny.mtl-study.json', experimentDoc: experiment, experimentPath: 'tiny.mtl.json', workspaceDir: runsDir, runsDir, backend: 'tensorflow' });
  const exit = await child.exited;
  assert.equal(exit.signal, 'SIGKILL');
  const before = Object.fromEntries(RUNS.map((r) => [r, statusOf(studyDir, r)]));
  assert.deepEqual(before, {
    'as-designed-r0': 'completed', 'branch-1-r0': 'completed', 'weighting-dwa-r0': 'running',
    'as-designed-r1': 'absent', 'branch-1-r1': 'absent', 'weighting-dwa-r1': 'absent',
  });
  const keptRecords = ['as-designed-r0', 'branch-1-r0'].map((r) => fs.readFileSync(path.join(studyDir, r, 'run.json'), 'utf8'));

  const resumed: FromTrainer[] = [];
  const outcome = await runStudy({
    doc: tinyStudy(), studyPath: 'tiny.mtl-study.json', experimentDoc: experiment, experimentPath: 'tiny.mtl.json',
    workspaceDir: runsDir, runsDir, resumeDir: studyDir, backend: 'tensorflow', emit: (m) => { resumed.push(m); }, cancelled: () => false,
  });
  assert.equal(outcome, 'completed');
  const trained = resumed.filter((m) => m.type === 'started' && m.phase.kind === 'shared').map((m) => m.type === 'started' ? path.basename(m.runDir) : '');
  assert.deepEqual(trained, ['weighting-dwa-r0', 'as-designed-r1', 'branch-1-r1', 'weighting-dwa-r1'], 'four of six runs retrained');
  assert.ok(resumed.some((m) => m.type === 'log' && m.message.includes('2 of 6 runs completed and kept, 4 to train')));
  assert.deepEqual(['as-designed-r0', 'branch-1-r0'].map((r) => fs.readFileSync(path.join(studyDir, r, 'run.json'), 'utf8')), keptRecords, 'kept runs untouched');
  const result = readJson(path.join(studyDir, 'study.json')) as unknown as StudyResult;
  assert.equal(result.status, 'completed');
  assert.ok(result.variants.every((v) => v.runs.every((r) => r.status === 'completed')));
  assert.equal(result.variants.find((v) => v.variant.id === 'branch-1')!.deltaM?.n, 2, 'the kept run counts in the interval');
});
