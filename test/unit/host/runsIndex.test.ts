import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { completionText, describeRun, formatMetric, formatPercent, formatRunTime, headlineMetrics, missingReportText, tasksOf } from '../../../src/core/runsIndex';
import { runData } from '../../../src/host/diagram/diagramData';
import { writeGroupingFile } from '../../../src/host/diagram/groupingFile';
import { isRunFolderOf, readRun, readRunExperiment, readRunsFolder } from '../../../src/host/runFolders';
import { experiment, record, summary, tempDir, writeRun } from './fixtures';

const alive = (live: number[]) => (pid: number) => live.includes(pid);

describe('runs index', () => {
  it('lists experiments and their runs newest first, skipping folders that are not runs', () => {
    const runs = tempDir();
    writeRun(runs, '20260102-030401-aaaa', { record: record('20260102-030401-aaaa', 'completed'), summary: true });
    writeRun(runs, '20260102-030409-bbbb', { record: record('20260102-030409-bbbb', 'cancelled') });
    writeRun(runs, '20260102-030405-cccc', { record: record('20260102-030405-cccc', 'failed') });
    fs.mkdirSync(path.join(runs, 'digits-parity', 'notes'));
    writeRun(runs, '20260102-030403-dddd', { record: record('20260102-030403-dddd', 'completed') }, 'other');
    const index = readRunsFolder(runs, alive([]));
    assert.deepEqual(index.map((e) => e.name), ['digits-parity', 'other']);
    assert.deepEqual(index[0]!.runs.map((r) => r.id), ['20260102-030409-bbbb', '20260102-030405-cccc', '20260102-030401-aaaa']);
    assert.equal(readRunsFolder(path.join(runs, 'missing')).length, 0, 'no runs folder yet: empty, no error');
  });

  it('a run still marked running reads as failed once its trainer process is gone', () => {
    const runs = tempDir();
    const dir = writeRun(runs, '20260102-030401-aaaa', { record: record('20260102-030401-aaaa', 'running', 4321) });
    assert.equal(readRun(dir, alive([4321]))?.status, 'running');
    const dead = readRun(dir, alive([]))!;
    assert.equal(dead.status, 'failed');
    assert.equal(describeRun(dead), 'failed: the trainer stopped without finishing (killed or crashed)');
  });

  it('"Open report" on a run without report.md says how the run ended, from run.json, not "no report yet"', () => {
    const runs = tempDir();
    const write = (id: string, status: 'running' | 'cancelled' | 'failed' | 'completed', pid?: number) => {
      const r = record(id, status, pid);
      if (status === 'failed') r.error = { message: 'out of memory' };
      return writeRun(runs, id, { record: r });
    };
    const said = (dir: string, live: number[] = []) => missingReportText(readRun(dir, alive(live))!);
    assert.equal(said(write('20260102-030401-aaaa', 'cancelled')),
      '20260102-030401-aaaa was cancelled before its report was written: there is no report.md.');
    assert.equal(said(write('20260102-030402-bbbb', 'failed')),
      '20260102-030402-bbbb failed before its report was written: out of memory. There is no report.md.');
    // Killed between run.json and report.md: run.json still says running, its trainer is gone.
    const killed = write('20260102-030403-cccc', 'running', 4321);
    assert.equal(said(killed),
      '20260102-030403-cccc failed before its report was written: the trainer stopped without finishing (killed or crashed). There is no report.md.');
    assert.equal(said(killed, [4321]), '20260102-030403-cccc is still training: its report.md is written when the training completes.');
    // Killed between run.json "completed" and report.md's rename (runWriter.complete's order).
    const completed = writeRun(runs, '20260102-030404-dddd', { record: record('20260102-030404-dddd', 'completed'), summary: true });
    assert.equal(said(completed), '20260102-030404-dddd completed, but its report.md was never put in place (the trainer stopped right after run.json, '
      + 'or the file was deleted since): its summary, metrics and model are in the folder.');
  });

  it('a run folder without a readable experiment.json: its diagram and "Try this grouping" say so, in the same words', () => {
    const runs = tempDir();
    const dir = writeRun(runs, '20260102-030401-aaaa', { record: record('20260102-030401-aaaa', 'completed') });
    assert.equal((readRunExperiment(dir) as { doc: { name: string } }).doc.name, 'digits-parity');
    fs.writeFileSync(path.join(dir, 'experiment.json'), '{"name": "digits-');
    const problem = 'This run folder has no readable experiment.json.';
    assert.deepEqual(readRunExperiment(dir), { problem });
    assert.deepEqual(runData(dir), { problem });
    assert.deepEqual(writeGroupingFile(dir, path.join(runs, 'digits-parity.mtl.json'), [['digit'], ['parity']]), { problem });
    assert.deepEqual(fs.readdirSync(runs), ['digits-parity'], 'nothing written');
  });

  it('survives half-written files (the trainer is writing while the view reads)', () => {
    const runs = tempDir();
    const dir = writeRun(runs, '20260102-030401-aaaa', {});
    fs.writeFileSync(path.join(dir, 'run.json'), '{"formatVersion":1,"id":"2026');
    fs.writeFileSync(path.join(dir, 'summary.json'), '{');
    const run = readRun(dir)!;
    assert.equal(run.status, 'unknown');
    assert.equal(run.summary, undefined);
    assert.equal(run.startedAt?.getFullYear(), 2026, 'time from the folder name');
  });

  it('says each task\'s main metric and Δm, as the Runs view shows them', () => {
    const tasks = tasksOf(experiment());
    assert.deepEqual(tasks.map((t) => t.metrics[0]), ['accuracy', 'accuracy']);
    assert.equal(headlineMetrics(summary('/r'), tasks), 'digit acc 0.912 · parity acc 0.951 · Δm +0.40%');
    assert.equal(headlineMetrics(summary('/r', -0.0123), tasks), 'digit acc 0.912 · parity acc 0.951 · Δm −1.2%');
    const regression = tasksOf({ tasks: [{ id: 'age', kind: 'regression', target: 'age' }] });
    assert.equal(headlineMetrics({ test: { age: { loss: 3, mae: 4.25, rmse: 5 } } }, regression), 'age mae 4.25');
  });

  it('says Δm once in the completion notification: in the sentence on sharing', () => {
    const tasks = tasksOf(experiment());
    assert.equal(completionText('digits-parity', summary('/r'), tasks),
      'digits-parity: training completed (digit acc 0.912 · parity acc 0.951). Δm +0.40 %, one run: repeat it (evaluation.repeats) to know whether the difference is more than noise.');
    assert.equal(completionText('x', undefined, tasks), 'x: training completed.');
  });

  it('formats numbers for a glance', () => {
    assert.equal(formatMetric(0.91234), '0.912');
    assert.equal(formatMetric(0.9), '0.9');
    assert.equal(formatMetric(1234.5), '1234.5');
    assert.equal(formatMetric(0.00001234), '1.23e-5');
    assert.equal(formatPercent(0.0007), '+0.07%');
    assert.equal(formatPercent(0), '0%');
    assert.equal(formatPercent(Number.NaN), '–');
  });

  it('only a run folder two levels below the runs folder may be deleted', () => {
    const runs = tempDir();
    const dir = writeRun(runs, '20260102-030401-aaaa', { record: record('20260102-030401-aaaa', 'completed') });
    assert.equal(isRunFolderOf(runs, dir), true);
    assert.equal(isRunFolderOf(runs, path.dirname(dir)), false, 'an experiment folder');
    assert.equal(isRunFolderOf(runs, runs), false);
    assert.equal(isRunFolderOf(runs, path.join(dir, '..', '..', '..')), false);
    fs.mkdirSync(path.join(runs, 'x', 'notes'), { recursive: true });
    assert.equal(isRunFolderOf(runs, path.join(runs, 'x', 'notes')), false, 'neither run.json nor a run folder name');
  });
});

describe('run labels', () => {
  it('are short: month, day and time, the year only when it is another one', () => {
    assert.equal(formatRunTime(new Date(2026, 10, 28, 13, 4, 5), new Date(2026, 11, 1)), 'Nov 28 13:04:05');
    assert.equal(formatRunTime(new Date(2025, 0, 2, 3, 4, 5), new Date(2026, 0, 1)), 'Jan 2 2025 03:04:05');
  });
});
