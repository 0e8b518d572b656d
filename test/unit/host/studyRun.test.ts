import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FromTrainer, ToTrainer } from '../../../src/core/protocol';
import type { TrainerProcess } from '../../../src/host/trainerProcess';
import { StudyRun, type StudyRequest } from '../../../src/host/study/studyRun';
import { studyFixture } from '../core/study/fixtures';

function fakeTrainer() {
  const sent: ToTrainer[] = [];
  let listener: (m: FromTrainer) => void = () => undefined;
  let exit!: (r: { code: number | null; signal: NodeJS.Signals | null }) => void;
  const proc: TrainerProcess = {
    pid: 4243,
    send: (m) => { sent.push(m); },
    onMessage: (l) => { listener = l; },
    exited: new Promise((r) => { exit = r; }),
    kill: () => exit({ code: null, signal: 'SIGKILL' }),
  };
  return { proc, sent, emit: (m: FromTrainer) => listener(m), exit: (code: number | null, signal: NodeJS.Signals | null = null) => exit({ code, signal }) };
}

const request: StudyRequest = {
  type: 'study', doc: {}, studyPath: '/ws/d.mtl-study.json', experimentDoc: {}, experimentPath: '/ws/d.mtl.json', workspaceDir: '/ws', runsDir: '/ws/runs', backend: 'auto',
};

describe('study run', () => {
  it('sends the study request, follows studyProgress, and ends completed when study.json says so', async () => {
    const t = fakeTrainer();
    const run = new StudyRun({ request, fork: () => t.proc, log: () => undefined });
    let changes = 0;
    run.onChange(() => { changes += 1; });
    assert.equal(run.label, 'd.mtl-study.json', 'no name anywhere yet: the file');
    run.start();
    assert.deepEqual(t.sent, [request]);
    const result = studyFixture();
    result.status = 'running';
    t.emit({ type: 'studyProgress', studyDir: '/ws/runs/d/study-1', result });
    assert.equal(run.studyDir, '/ws/runs/d/study-1');
    assert.equal(run.label, 'digits-parity sharing');
    t.emit({ type: 'studyProgress', studyDir: '/ws/runs/d/study-1', result: studyFixture() });
    t.exit(0);
    assert.equal(await run.ended, 'completed');
    assert.equal(changes, 3, 'two reports and the end');
  });

  it('stop sends cancel and ends cancelled; finished runs stay for a resume', async () => {
    const t = fakeTrainer();
    const run = new StudyRun({ request: { ...request, doc: { name: 'digits: sharing strategies' } }, fork: () => t.proc, log: () => undefined, stopTimeoutMs: 5000 });
    assert.equal(run.label, 'digits: sharing strategies', 'the study file\'s name before the first report');
    run.start();
    run.stop();
    assert.deepEqual(t.sent.at(-1), { type: 'cancel' });
    t.exit(0);
    assert.equal(await run.ended, 'cancelled');
  });

  it('a trainer that dies, or refuses the study file, ends failed with the reason', async () => {
    const dead = fakeTrainer();
    const a = new StudyRun({ request, fork: () => dead.proc, log: () => undefined });
    a.start();
    dead.exit(null, 'SIGKILL');
    assert.equal(await a.ended, 'failed');
    assert.match(a.endMessage ?? '', /SIGKILL/);
    const refused = fakeTrainer();
    const b = new StudyRun({ request, fork: () => refused.proc, log: () => undefined });
    b.start();
    refused.emit({ type: 'problems', problems: [{ path: ['repeats'], message: 'must be a whole number from 1 to 30', severity: 'error' }] } as FromTrainer);
    refused.exit(1);
    assert.equal(await b.ended, 'failed');
    assert.equal(b.endMessage, 'repeats: must be a whole number from 1 to 30');
  });
});
