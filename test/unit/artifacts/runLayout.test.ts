import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  effectiveStatus, formatRunTimestamp, joinPath, parseMetricsJsonl, parseRunFolderName,
  runDirPath, runFolderName, sanitizePathSegment,
} from '../../../src/core/runLayout';

describe('run folder layout', () => {
  it('names a run folder <YYYYMMDD-HHMMSS>-<short id> in local time, under the sanitised experiment name', () => {
    const date = new Date(2024, 0, 2, 3, 4, 5);
    assert.equal(formatRunTimestamp(date), '20240102-030405');
    assert.equal(runDirPath('/ws/runs', 'digits parity', date, 'a1b2c3'), '/ws/runs/digits-parity/20240102-030405-a1b2c3');
    assert.equal(runDirPath('C:\\ws\\runs\\', 'x', date, 'abcd'), 'C:\\ws\\runs\\x\\20240102-030405-abcd');
  });

  it('parses its own folder names back and rejects others', () => {
    const date = new Date(2025, 11, 31, 23, 59, 58);
    const parsed = parseRunFolderName(runFolderName(date, 'ff00aa'));
    assert.equal(parsed?.shortId, 'ff00aa');
    assert.equal(parsed?.startedAt.getTime(), date.getTime());
    assert.equal(parseRunFolderName('20241399-000000-abcd'), undefined);
    assert.equal(parseRunFolderName('notes'), undefined);
    assert.throws(() => runFolderName(date, '../x'));
  });

  it('keeps experiment names from escaping the runs folder or breaking on any OS', () => {
    assert.equal(sanitizePathSegment('../../etc/passwd'), 'etc-passwd');
    assert.equal(sanitizePathSegment('..'), 'experiment');
    assert.equal(sanitizePathSegment('a/b\\c:d*e?f"g<h>i|j'), 'a-b-c-d-e-f-g-h-i-j');
    assert.equal(sanitizePathSegment('CON'), '_CON');
    assert.equal(sanitizePathSegment('nul.txt'), '_nul.txt');
    assert.equal(sanitizePathSegment('Ziffern – Größe'), 'Ziffern-Größe');
    assert.equal(sanitizePathSegment('   '), 'experiment');
    assert.equal(sanitizePathSegment('x'.repeat(200)).length, 64);
    assert.equal(joinPath('/a/', 'b'), '/a/b');
  });
});

describe('effectiveStatus', () => {
  it('reads a running record whose trainer process is gone as failed', () => {
    const alive = new Set([1234]);
    const isAlive = (pid: number): boolean => alive.has(pid);
    assert.equal(effectiveStatus({ status: 'running', pid: 1234 }, isAlive), 'running');
    assert.equal(effectiveStatus({ status: 'running', pid: 999999 }, isAlive), 'failed');
    assert.equal(effectiveStatus({ status: 'completed', pid: 999999 }, isAlive), 'completed');
    assert.equal(effectiveStatus({ status: 'cancelled', pid: 999999 }, isAlive), 'cancelled');
  });
});

describe('parseMetricsJsonl', () => {
  const line = (epoch: number, value: number | null): string =>
    JSON.stringify({ step: epoch * 10, epoch, split: 'train', task: 'digit', metric: 'loss', value });

  it('skips a torn last line and reports it', () => {
    const text = `${line(1, 0.9)}\n${line(2, 0.5)}\n${line(3, 0.4).slice(0, 30)}`;
    const r = parseMetricsJsonl(text);
    assert.deepEqual(r.records.map((x) => x.value), [0.9, 0.5]);
    assert.equal(r.tornLastLine, true);
    assert.equal(r.skippedLines, 0);
  });

  it('reads a complete file, null values as NaN, and counts malformed middle lines', () => {
    const r = parseMetricsJsonl(`${line(1, 0.9)}\ngarbage\n${line(2, null)}\n`);
    assert.equal(r.records.length, 2);
    assert.ok(Number.isNaN(r.records[1]?.value));
    assert.equal(r.tornLastLine, false);
    assert.equal(r.skippedLines, 1);
  });
});
