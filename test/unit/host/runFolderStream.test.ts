import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readRunFolderFiles, runFolderEvents } from '../../../src/host/training/runFolderStream';
import { baselinePhase, phaseKey, SHARED_PHASE, SHARED_PHASE_KEY } from '../../../src/core/phase';
import { WHOLE_MODEL, type MetricPoint } from '../../../src/core/protocol';
import { RunView, seriesKey } from '../../../webview/training/runState';
import { record, tempDir, writeRun } from './fixtures';

const p = (step: number, epoch: number, split: MetricPoint['split'], task: string, metric: string, value: number, baseline?: string) =>
  ({ step, epoch, split, task, metric, value, ...(baseline ? { baseline } : {}) });

const POINTS = [
  // Flush order, as the trainer's writer appends: validation before the train points of the same epoch.
  p(250, 1, 'validation', 'digit', 'accuracy', 0.75),
  p(125, 1, 'train', 'digit', 'loss', 1.5),
  p(250, 1, 'train', 'digit', 'loss', 1.0),
  p(250, 1, 'test', 'digit', 'accuracy', 0.8),
  p(125, 1, 'train', 'digit', 'loss', 1.6, 'digit'),
  p(250, 1, 'validation', 'digit', 'accuracy', 0.74, 'digit'),
];

describe('panel rebuilt from a run folder (window reload, Runs view)', () => {
  it('gives the same curves and results a live session showed', () => {
    const dir = writeRun(tempDir(), '20260102-030401-aaaa', { record: record('20260102-030401-aaaa', 'completed'), summary: true, points: POINTS });
    const view = new RunView();
    for (const e of runFolderEvents(readRunFolderFiles(dir))) view.apply(e);
    assert.equal(view.header?.live, false);
    assert.equal(view.header?.experiment, 'digits-parity');
    assert.deepEqual(view.series.get(seriesKey(SHARED_PHASE_KEY, 'digit', 'loss', 'train')), { x: [125, 250], y: [1.5, 1.0], version: 2 });
    assert.deepEqual(view.series.get(seriesKey(phaseKey(baselinePhase('digit')), 'digit', 'accuracy', 'validation'))?.y, [0.74]);
    assert.equal(view.series.has(seriesKey(SHARED_PHASE_KEY, 'digit', 'accuracy', 'test')), false);
    assert.equal(view.status, 'completed');
    assert.equal(view.summary?.baselines?.deltaM, 0.004);
    assert.equal(view.runDir, dir);
  });

  it('a run whose trainer died shows as failed, with what it had logged; a torn last line is skipped', () => {
    const dir = writeRun(tempDir(), '20260102-030401-aaaa', { record: record('20260102-030401-aaaa', 'running', 999999), points: POINTS.slice(0, 3), metricsTail: '{"step":300,"epo' });
    const events = runFolderEvents(readRunFolderFiles(dir), () => false);
    const view = new RunView();
    for (const e of events) view.apply(e);
    assert.equal(view.status, 'failed');
    assert.equal(view.endMessage, 'the trainer stopped without finishing (killed or crashed)');
    assert.deepEqual(view.logs, [{ level: 'warning', message: 'metrics.jsonl: its last line was cut off (the trainer stopped while writing it) and is skipped' }]);
    assert.equal(view.series.get(seriesKey(SHARED_PHASE_KEY, 'digit', 'loss', 'train'))?.x.length, 2);
  });

  it('a run another process is still training stays open (no end yet)', () => {
    const dir = writeRun(tempDir(), '20260102-030401-aaaa', { record: record('20260102-030401-aaaa', 'running', 1), points: POINTS.slice(0, 2) });
    const events = runFolderEvents(readRunFolderFiles(dir), () => true);
    assert.equal(events.some((e) => e.kind === 'ended'), false);
  });

  it('reads back the baseline of a task called "*" as its own phase, not into the shared model\'s curves', () => {
    const point = (step: number, baseline?: string) => ({ step, epoch: 1, split: 'train', task: WHOLE_MODEL, metric: 'loss', value: step, ...(baseline ? { baseline } : {}) });
    const experiment = { name: 'x', tasks: [{ id: '*', kind: 'binary', target: 'a' }, { id: 'b', kind: 'binary', target: 'b' }], training: { epochs: 1 } };
    const metricsText = [point(1), point(2), point(3, '*')].map((p) => JSON.stringify(p)).join('\n') + '\n';
    const events = runFolderEvents({ runDir: '/r', experiment, metricsText }, () => false);
    const header = events[0]?.kind === 'header' ? events[0].header : undefined;
    assert.deepEqual(header?.phases, [SHARED_PHASE, baselinePhase('*')]);
    const view = new RunView();
    events.forEach((event) => view.apply(event));
    assert.deepEqual(view.series.get(seriesKey(SHARED_PHASE_KEY, WHOLE_MODEL, 'loss', 'train'))?.y, [1, 2]);
    assert.deepEqual(view.series.get(seriesKey(phaseKey(baselinePhase('*')), WHOLE_MODEL, 'loss', 'train'))?.y, [3]);
  });
});
