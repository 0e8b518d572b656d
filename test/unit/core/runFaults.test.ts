import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isWriteFault, parseProcStat, trainerSignalMessage, writeFaultMessage } from '../../../src/core/runFaults';
import { endedByParent, type RunRecord } from '../../../src/core/runLayout';

const running: RunRecord = {
  formatVersion: 1, id: '20260102-030405-abcd', experiment: 'x', status: 'running', backend: 'cpu', versions: {}, seed: 1,
  pid: 4242, hostname: 'h', startedAt: '2026-01-02T03:04:05.000Z',
};

describe('run faults', () => {
  it('reads state and start time from /proc/PID/stat, whatever the command name holds', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3)); // field 3 onwards
    fields[0] = 'Z';
    fields[19] = '987654'; // field 22
    assert.deepEqual(parseProcStat(`77 (we ird) (name) ${fields.join(' ')}\n`), { state: 'Z', startTime: '987654' });
    assert.equal(parseProcStat('garbage'), undefined);
  });

  it('says what a signal death usually means', () => {
    assert.match(trainerSignalMessage('SIGSEGV'), /native code \(SIGSEGV\).*too large for memory/);
    assert.match(trainerSignalMessage('SIGABRT'), /ran out of memory/);
    assert.match(trainerSignalMessage('SIGKILL'), /ran out of memory/);
    assert.equal(trainerSignalMessage('SIGUSR2'), 'the trainer stopped by signal SIGUSR2');
  });

  it('names the folder and the reason of a write fault; other errors are not write faults', () => {
    assert.equal(writeFaultMessage('runs/x/20260101-000000-abcd', 'ENOSPC'), 'cannot write runs/x/20260101-000000-abcd: the disk is full (ENOSPC)');
    assert.equal(writeFaultMessage('/ro', 'EROFS'), 'cannot write /ro: the file system is read-only (EROFS)');
    assert.equal(isWriteFault('EACCES'), true);
    assert.equal(isWriteFault('ENOENT'), false);
    assert.equal(isWriteFault(undefined), false);
  });

  it('a parent ends only a run that is still running and names its own child', () => {
    const now = new Date('2026-01-02T03:05:05.000Z');
    const ended = endedByParent(running, 4242, 'failed', 'crashed', now)!;
    assert.equal(ended.status, 'failed');
    assert.deepEqual(ended.error, { message: 'crashed' });
    assert.equal(ended.timings?.total, 60);
    assert.equal(endedByParent(running, 4243, 'failed', 'crashed', now), undefined, 'another trainer\'s run');
    assert.equal(endedByParent({ ...running, status: 'completed' }, 4242, 'failed', 'crashed', now), undefined, 'an ended run');
    assert.equal(endedByParent(running, 4242, 'cancelled', 'stopped', now)!.error, undefined);
  });
});
