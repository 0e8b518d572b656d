// The trainer's IPC channel with real child processes: messages outside the protocol are said
// in the log and dropped, and the session still ends with what the trainer's exit tells; bytes
// that are not a message at all end the run with one line (they threw in the host's channel
// parser); every message a real training sends passes the same check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { RUN_FILES, type RunRecord } from '../../../src/core/runLayout';
import type { ExperimentSpec } from '../../../src/core/spec';
import { fromTrainerProblem } from '../../../src/core/trainerMessages';
import { endRunOfDeadTrainer } from '../../../src/host/training/endRun';
import { TrainingSession } from '../../../src/host/training/session';
import { headerFromSpec } from '../../../src/host/training/startInfo';
import { forkTrainer } from '../../../src/host/trainerProcess';
import { ROOT } from '../../repoRoot';
import { tempDir as tempFolder } from '../../tempFolders';

const tempDir = () => tempFolder('channel');

function experiment(): ExperimentSpec {
  const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', 'correlated-regression', 'correlated-regression.mtl.json'), 'utf8')) as ExperimentSpec;
  (doc.data.source as { samples?: number }).samples = 300;
  return doc;
}

/** A session over a forked script; its log and the lines the trainer process reported. */
function sessionOf(script: string, doc: ExperimentSpec, dir: string, epochs = 2) {
  const log: string[] = [];
  const session: TrainingSession = new TrainingSession({
    header: headerFromSpec(doc, path.join(dir, 'exp.mtl.json')),
    start: { type: 'start', doc, specPath: path.join(dir, 'exp.mtl.json'), workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'auto', epochs },
    fork: () => forkTrainer({ script, onStderr: (line) => session.stderr(line) }),
    log: (line) => log.push(line),
    readRunStatus: (runDir) => (JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.run), 'utf8')) as RunRecord).status,
    endRun: (runDir, pid, status, message) => { endRunOfDeadTrainer(runDir, pid, status, message); },
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

  it('bytes that are not a message end the session with one line; the messages after them are dropped, never half read', async () => {
    const dir = tempDir();
    const script = path.join(dir, 'noise-trainer.js');
    // In one write, so that the host reads them in one chunk: a message, bytes that are no JSON (a
    // native library printing to fd 3, invalid UTF-8 among them) and a message; then it waits to be
    // ended. The message before the bytes is parsed in the same read as them (it was dropped when
    // the fault was told before it: a flaky failure when the two writes came in one read).
    fs.writeFileSync(script, `
      process.on('message', () => {
        require('fs').writeSync(3, Buffer.concat([Buffer.from('{"type":"log","level":"info","message":"before the noise"}\\nW0000 native noise '), Buffer.from([0xff, 0xfe]), Buffer.from('\\n{"type":"log","level":"info","message":"after the noise"}\\n')]));
        setTimeout(() => process.exit(0), 60_000);
      });
    `);
    const { session, log } = sessionOf(script, experiment(), dir);
    session.start();
    assert.equal(await session.ended, 'failed');
    assert.ok(log.some((l) => l.endsWith('before the noise')));
    assert.ok(!log.some((l) => l.endsWith('after the noise')), log.join('\n'));
    const last = session.stream.snapshot().at(-1)!.event;
    assert.equal(last.kind, 'ended');
    const message = last.kind === 'ended' ? last.message ?? '' : '';
    assert.match(message, /^the trainer sent bytes that are not a message on its channel \(.*W0000 nati.*\); the run was stopped/);
    assert.ok(!message.includes('\n'), 'one line');
  });

  it('a message cut short in a real training ends the run failed with that line; what it wrote before is kept', async () => {
    const dir = tempDir();
    const snapshot = path.join(dir, 'written-before.json');
    const script = path.join(dir, 'cut-trainer.js');
    // The real trainer, except that after its second epoch's message it writes half a message on
    // the channel, notes what its run folder holds, and hangs (the host must end it).
    fs.writeFileSync(script, `
      const fs = require('fs');
      const path = require('path');
      const send = process.send.bind(process);
      let epochs = 0, runDir;
      process.send = (m, ...rest) => {
        const sent = send(m, ...rest);
        if (m && m.type === 'started') runDir = m.runDir;
        if (m && m.type === 'epochEnd' && ++epochs === 2) {
          const files = {};
          for (const f of fs.readdirSync(runDir)) if (fs.statSync(path.join(runDir, f)).isFile()) files[f] = fs.readFileSync(path.join(runDir, f), 'utf8');
          fs.writeFileSync(${JSON.stringify(snapshot)}, JSON.stringify(files));
          fs.writeSync(3, '{"type":"log","level":"info","mess\\n');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
        }
        return sent;
      };
      require(${JSON.stringify(path.join(ROOT, 'dist', 'trainer.js'))});
    `);
    const { session } = sessionOf(script, experiment(), dir, 4);
    session.start();
    assert.equal(await session.ended, 'failed');
    const last = session.stream.snapshot().at(-1)!.event;
    assert.match(last.kind === 'ended' ? last.message ?? '' : '', /^the trainer sent bytes that are not a message on its channel/);
    const runDir = session.runDir!;
    const record = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.run), 'utf8')) as RunRecord;
    assert.equal(record.status, 'failed');
    assert.match(record.error?.message ?? '', /^the trainer sent bytes that are not a message on its channel/);
    const before = JSON.parse(fs.readFileSync(snapshot, 'utf8')) as Record<string, string>;
    assert.ok(before[RUN_FILES.experiment], 'experiment.json was written before');
    for (const [file, text] of Object.entries(before)) {
      if (file === RUN_FILES.run) continue; // rewritten: failed, with the reason
      assert.ok(fs.readFileSync(path.join(runDir, file), 'utf8').startsWith(text), `${file} kept`);
    }
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
