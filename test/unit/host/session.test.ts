import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FromTrainer, ToTrainer } from '../../../src/core/protocol';
import { TrainingSession } from '../../../src/host/training/session';
import { headerFromSpec } from '../../../src/host/training/startInfo';
import type { TrainerProcess } from '../../../src/host/trainerProcess';
import { experiment } from './fixtures';

/** A trainer process the test drives: what the host sent, and buttons for what the child does. */
function fakeTrainer() {
  const sent: ToTrainer[] = [];
  let listener: (m: FromTrainer) => void = () => undefined;
  let exit!: (r: { code: number | null; signal: NodeJS.Signals | null }) => void;
  let killed = false;
  const proc: TrainerProcess = {
    pid: 4242,
    send: (m) => { sent.push(m); },
    onMessage: (l) => { listener = l; },
    exited: new Promise((r) => { exit = r; }),
    kill: () => { killed = true; exit({ code: null, signal: 'SIGKILL' }); },
  };
  return { proc, sent, emit: (m: FromTrainer) => listener(m), exit: (code: number | null, signal: NodeJS.Signals | null = null) => exit({ code, signal }), killed: () => killed };
}

function session(t: ReturnType<typeof fakeTrainer>, runStatus?: string, stopTimeoutMs = 1000) {
  const lines: string[] = [];
  const ends: Array<{ runDir: string; pid: number; status: string; message: string }> = [];
  const s = new TrainingSession({
    header: headerFromSpec(experiment(), '/ws/digits.mtl.json'),
    start: { type: 'start', doc: experiment(), specPath: '/ws/digits.mtl.json', workspaceDir: '/ws', runsDir: '/ws/runs', backend: 'auto' },
    fork: () => t.proc,
    log: (l) => lines.push(l),
    readRunStatus: () => runStatus as never,
    endRun: (runDir, pid, status, message) => { ends.push({ runDir, pid, status, message }); },
    stopTimeoutMs,
  });
  return { s, lines, ends };
}

const started: FromTrainer = { type: 'started', runDir: '/ws/runs/digits-parity/r1', backend: 'cpu', versions: {}, totalEpochs: 2, phase: { kind: 'shared' } };

describe('training session', () => {
  it('sends start, follows phase and epoch, and ends completed on done', async () => {
    const t = fakeTrainer();
    const { s } = session(t);
    s.start();
    assert.equal(t.sent[0]?.type, 'start');
    t.emit(started);
    t.emit({ type: 'epochEnd', phase: { kind: 'shared' }, epoch: 1, totalEpochs: 2, values: [] });
    assert.equal(s.runDir, '/ws/runs/digits-parity/r1');
    assert.deepEqual({ ...s.progress }, { phase: { kind: 'shared' }, phaseIndex: 1, epoch: 1, totalEpochs: 2 });
    t.emit({ ...started, phase: { kind: 'baseline', task: 'parity' } } as FromTrainer);
    assert.equal(s.progress.phaseIndex, 3, 'phases come from the header: shared, digit, parity');
    t.emit({ type: 'done', summary: { runDir: '/r' } as never });
    t.exit(0);
    assert.equal(await s.ended, 'completed');
    const last = s.stream.snapshot().at(-1)!.event;
    assert.deepEqual(last, { kind: 'ended', status: 'completed' });
  });

  it('stop sends cancel once, marks the stream, and the exit reads as cancelled', async () => {
    const t = fakeTrainer();
    const { s } = session(t, 'cancelled');
    s.start();
    t.emit(started);
    s.stop();
    s.stop();
    assert.deepEqual(t.sent.map((m) => m.type), ['start', 'cancel']);
    assert.ok(s.stream.snapshot().some((i) => i.event.kind === 'stopping'));
    t.exit(0);
    assert.equal(await s.ended, 'cancelled');
  });

  it('kills a trainer that does not stop in time, and still says cancelled', async () => {
    const t = fakeTrainer();
    const { s, lines, ends } = session(t, 'running', 20);
    s.start();
    t.emit(started);
    s.stop();
    assert.equal(await s.ended, 'cancelled');
    assert.equal(t.killed(), true);
    assert.ok(lines.some((l) => l.includes('killing')));
    assert.deepEqual(ends.map((e) => [e.runDir, e.pid, e.status]), [['/ws/runs/digits-parity/r1', 4242, 'cancelled']], 'run.json no longer says running');
  });

  it('a trainer that dies says so with its last stderr lines', async () => {
    const t = fakeTrainer();
    const { s, ends } = session(t, 'running');
    s.start();
    t.emit(started);
    s.stderr('Segmentation fault in libtensorflow');
    t.exit(null, 'SIGSEGV');
    assert.equal(await s.ended, 'failed');
    assert.equal(ends.length, 1);
    assert.match(ends[0]!.message, /^the trainer crashed in native code \(SIGSEGV\).*too large for memory/);
    const end = s.stream.snapshot().at(-1)!.event;
    assert.equal(end.kind, 'ended');
    assert.match((end as { message: string }).message, /SIGSEGV.*Segmentation fault/);
  });

  it('an error message or refused document decide the end status', async () => {
    const a = fakeTrainer();
    const one = session(a).s;
    one.start();
    a.emit({ type: 'error', message: 'Data file missing' });
    a.exit(1);
    assert.equal(await one.ended, 'failed');
    assert.deepEqual(one.stream.snapshot().at(-1)!.event, { kind: 'ended', status: 'failed', message: 'Data file missing' });

    const b = fakeTrainer();
    const two = session(b).s;
    two.start();
    b.emit({ type: 'problems', problems: [{ path: ['tasks'], message: 'bad', severity: 'error' }] });
    b.exit(1);
    assert.equal(await two.ended, 'invalid');
  });
});
