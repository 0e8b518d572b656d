// The trainer's IPC channel with real child processes: messages outside the protocol are said
// in the log and dropped, and the session still ends with what the trainer's exit tells; every
// message a real training sends passes the same check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RUN_FILES, type RunRecord } from '../../../src/core/runLayout';
import type { ExperimentSpec } from '../../../src/core/spec';
import { fromTrainerProblem } from '../../../src/core/trainerMessages';
import { TrainingSession } from '../../../src/host/training/session';
import { headerFromSpec } from '../../../src/host/training/startInfo';
import { forkTrainer } from '../../../src/host/trainerProcess';

const ROOT = [process.cwd(), path.resolve(__dirname, '../../../..')].find((d) => fs.existsSync(path.join(d, 'examples')))!;
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mts-channel-'));

function experiment(): ExperimentSpec {
  const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'correlated-regression', 'correlated-regression.mtl.json'), 'utf8')) as ExperimentSpec;
  (doc.data.source as { samples?: number }).samples = 300;
  return doc;
}

/** A session over a forked script; its log and the lines the trainer process reported. */
function sessionOf(script: string, doc: ExperimentSpec, dir: string) {
  const log: string[] = [];
  const session: TrainingSession = new TrainingSession({
    header: headerFromSpec(doc, path.join(dir, 'exp.mtl.json')),
    start: { type: 'start', doc, specPath: path.join(dir, 'exp.mtl.json'), workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'auto', epochs: 2 },
    fork: () => forkTrainer({ script, onStderr: (line) => session.stderr(line) }),
    log: (line) => log.push(line),
    readRunStatus: (runDir) => (JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.run), 'utf8')) as RunRecord).status,
  });
  return { session, log };
}

describe('trainer channel', { timeout: 120_000 }, () => {
  it('garbage from the trainer is said in the log and dropped; the session ends with the exit (it threw in the host, or hung "running")', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'garbage-trainer.js');
    // Each value below is one message on the real channel; then a message of the protocol, then exit 3.
    fs.writeFileSync(script, `
      const garbage = [null, 42, 'text', [1], {}, { type: 'nope' },
        { type: 'started', runDir: 5, backend: 'cpu', versions: {}, totalEpochs: 2, phase: { kind: 'shared' } },
        { type: 'epochEnd', phase: null, epoch: 1, totalEpochs: 2, values: [] },
        { type: 'progress', phase: { kind: 'shared' }, points: [{ step: 'x' }] }];
      process.on('message', () => {
        for (const m of garbage) process.send(m);
        process.send({ type: 'log', level: 'info', message: 'still speaking the protocol' }, () => process.exit(3));
      });
    `);
    const { session, log } = sessionOf(script, experiment(), dir);
    session.start();
    assert.equal(await session.ended, 'failed');
    const ignored = log.filter((l) => /^\[[^\]]+\] ignored a message of the trainer outside the protocol/.test(l));
    assert.equal(ignored.length, 9, log.join('\n'));
    assert.match(ignored[0]!, /\(null, not a message\): null$/);
    assert.match(ignored[5]!, /\(unknown message type "nope"\)/);
    assert.match(ignored[6]!, /\(started: runDir is not a string\)/);
    assert.match(ignored[8]!, /\(progress: points\[0\] is not a metric point\)/);
    assert.ok(log.some((l) => l.endsWith('still speaking the protocol')));
    assert.equal(session.runDir, undefined, 'a runDir that is no string is never taken');
    const last = session.stream.snapshot().at(-1)!.event;
    assert.equal(last.kind, 'ended');
    assert.match(last.kind === 'ended' ? last.message ?? '' : '', /^The trainer stopped unexpectedly \(exit code 3\)/);
  });

  it('every message of a real training (shared model and baselines) passes the check', async () => {
    const dir = tempDir();
    const { session, log } = sessionOf(path.join(ROOT, 'dist', 'trainer.js'), experiment(), dir);
    const seen = new Set<string>();
    session.stream.subscribe((i) => {
      if (i.event.kind !== 'trainer') return;
      seen.add(i.event.msg.type);
      assert.equal(fromTrainerProblem(i.event.msg), undefined);
    });
    session.start();
    assert.equal(await session.ended, 'completed', log.join('\n'));
    assert.deepEqual(log.filter((l) => l.includes('outside the protocol')), []);
    for (const type of ['started', 'progress', 'epochEnd', 'log', 'done']) assert.ok(seen.has(type), `${type} seen`);
  });

  it('a diverged value (NaN crosses JSON as null) is still a metric point', () => {
    const point = { step: 1, epoch: 1, split: 'train', task: 'a', metric: 'loss', value: null };
    assert.equal(fromTrainerProblem({ type: 'progress', phase: { kind: 'baseline', task: 'a' }, points: [point] }), undefined);
    assert.equal(fromTrainerProblem({ type: 'progress', phase: { kind: 'baseline' }, points: [point] }), 'progress: phase is neither the shared model nor a task\'s baseline');
  });
});
