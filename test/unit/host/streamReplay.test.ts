import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SequencedEvent, SessionEvent } from '../../../src/core/panelProtocol';
import { baselinePhase, phaseKey, SHARED_PHASE_KEY } from '../../../src/core/phase';
import type { MetricPoint } from '../../../src/core/protocol';
import { SessionStream } from '../../../src/host/training/sessionStream';
import { RunView, seriesKey } from '../../../webview/training/runState';
import { experiment } from './fixtures';
import { headerFromSpec } from '../../../src/host/training/startInfo';

const point = (step: number, value: number, extra: Partial<MetricPoint> = {}): MetricPoint =>
  ({ step, epoch: 1, split: 'train', task: 'digit', metric: 'loss', value, ...extra });

function trainingEvents(steps: number): SessionEvent[] {
  const events: SessionEvent[] = [{ kind: 'header', header: headerFromSpec(experiment(), '/ws/x.mtl.json') }];
  events.push({ kind: 'trainer', msg: { type: 'started', runDir: '/ws/runs/x/1', backend: 'cpu', versions: {}, totalEpochs: 2, phase: { kind: 'shared' } } });
  for (let s = 1; s <= steps; s++) events.push({ kind: 'trainer', msg: { type: 'progress', phase: { kind: 'shared' }, points: [point(s, 1 / s)] } });
  events.push({ kind: 'trainer', msg: { type: 'epochEnd', phase: { kind: 'shared' }, epoch: 1, totalEpochs: 2, values: [point(steps, 0.9, { split: 'validation', metric: 'accuracy' })] } });
  return events;
}

describe('session stream and replay', () => {
  it('numbers events in order and gives every subscriber each new one', () => {
    const stream = new SessionStream();
    const seen: number[] = [];
    const off = stream.subscribe((i) => seen.push(i.seq));
    for (const e of trainingEvents(3)) stream.append(e);
    off();
    stream.append({ kind: 'stopping' });
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(stream.snapshot().map((i) => i.seq), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('a webview hidden part of the time ends with the same curves as one that saw everything', () => {
    const stream = new SessionStream();
    const always = new RunView();
    const sometimes = new RunView();
    let visible = true;
    stream.subscribe((item) => {
      always.next(item);
      if (visible) sometimes.next(item); // a hidden webview drops what it is sent
    });
    const events = trainingEvents(200);
    events.forEach((e, i) => {
      if (i === 50) visible = false;
      if (i === 120) { visible = true; sometimes.replay(stream.snapshot()); } // shown again: says ready, gets the replay
      stream.append(e);
    });
    const key = seriesKey(SHARED_PHASE_KEY, 'digit', 'loss', 'train');
    assert.equal(always.series.get(key)?.x.length, 200);
    assert.deepEqual(sometimes.series.get(key), always.series.get(key));
    assert.deepEqual(sometimes.series.get(seriesKey(SHARED_PHASE_KEY, 'digit', 'accuracy', 'validation'))?.y, [0.9]);
  });

  it('ignores events it already has and reports a gap so the panel asks for a replay', () => {
    const stream = new SessionStream();
    const items: SequencedEvent[] = trainingEvents(3).map((e) => stream.append(e));
    const view = new RunView();
    view.replay(items.slice(0, 3));
    assert.equal(view.next(items[1]!), true, 'an old event is ignored');
    assert.equal(view.next(items[4]!), false, 'event 4 is missing');
    assert.equal(view.next(items[3]!), true);
    assert.equal(view.series.get(seriesKey(SHARED_PHASE_KEY, 'digit', 'loss', 'train'))?.x.length, 2);
  });

  it('a replay resets what the panel showed before (a new training in the same panel)', () => {
    const view = new RunView();
    const first = new SessionStream();
    trainingEvents(10).forEach((e) => first.append(e));
    view.replay(first.snapshot());
    const second = new SessionStream();
    trainingEvents(2).forEach((e) => second.append(e));
    view.replay(second.snapshot());
    assert.equal(view.series.get(seriesKey(SHARED_PHASE_KEY, 'digit', 'loss', 'train'))?.x.length, 2);
    assert.equal(view.status, 'running');
  });

  it('follows the phases: epochs per phase, overall progress, how it ended', () => {
    const view = new RunView();
    for (const e of trainingEvents(4)) view.apply(e);
    assert.deepEqual(view.currentEpoch(), { epoch: 1, total: 2 });
    assert.ok(Math.abs(view.fractionDone() - 1 / 6) < 1e-9, 'one of two epochs of the first of three phases');
    view.apply({ kind: 'trainer', msg: { type: 'started', runDir: '/r', backend: 'cpu', versions: {}, totalEpochs: 2, phase: { kind: 'baseline', task: 'digit' } } });
    assert.ok(Math.abs(view.fractionDone() - 1 / 3) < 1e-9, 'a phase that ended (even early) counts as done');
    view.apply({ kind: 'stopping' });
    assert.equal(view.status, 'stopping');
    view.apply({ kind: 'ended', status: 'cancelled' });
    assert.equal(view.status, 'cancelled');
  });

  it('a repeated run: progress counts every repeat, and the curves stay the first repeat\'s (the run folder\'s)', () => {
    const view = new RunView();
    for (const e of trainingEvents(4)) view.apply(e);
    const started = (index: number, phase: { kind: 'shared' } | { kind: 'baseline'; task: string }): SessionEvent =>
      ({ kind: 'trainer', msg: { type: 'started', runDir: '/r', backend: 'cpu', versions: {}, totalEpochs: 2, phase, repeat: { index, of: 2, seed: 42 + index } } });
    view.apply(started(0, { kind: 'shared' }));
    view.apply({ kind: 'trainer', msg: { type: 'progress', phase: { kind: 'shared' }, points: [point(5, 0.5)] } });
    // Three phases per repeat, two repeats: the second repeat's shared model starts at 3 of 6 phases.
    view.apply(started(1, { kind: 'shared' }));
    assert.ok(Math.abs(view.fractionDone() - 3 / 6) < 1e-9, `${view.fractionDone()}`);
    view.apply({ kind: 'trainer', msg: { type: 'epochEnd', phase: { kind: 'shared' }, epoch: 1, totalEpochs: 2, values: [point(1, 9)] } });
    assert.ok(Math.abs(view.fractionDone() - 3.5 / 6) < 1e-9, 'half of the second repeat\'s first phase');
    view.apply({ kind: 'trainer', msg: { type: 'progress', phase: { kind: 'shared' }, points: [point(2, 8)] } });
    assert.deepEqual(view.series.get(seriesKey(SHARED_PHASE_KEY, 'digit', 'loss', 'train'))?.y, [1, 1 / 2, 1 / 3, 1 / 4, 0.5], 'no point of the second repeat drawn over the first');
    assert.equal(view.repeat?.index, 1);
  });

  it('keeps baselines apart from the shared model and notes learned task weights', () => {
    const view = new RunView();
    view.apply({ kind: 'trainer', msg: { type: 'progress', phase: { kind: 'baseline', task: 'digit' }, points: [point(5, 2)] } });
    view.apply({ kind: 'trainer', msg: { type: 'epochEnd', phase: { kind: 'shared' }, epoch: 1, totalEpochs: 1, values: [point(5, 0.7, { metric: 'weight' }), point(5, 3, { split: 'test' })] } });
    assert.deepEqual(view.series.get(seriesKey(phaseKey(baselinePhase('digit')), 'digit', 'loss', 'train'))?.y, [2]);
    assert.equal(view.hasWeights, true);
    assert.equal(view.series.has(seriesKey(SHARED_PHASE_KEY, 'digit', 'loss', 'test')), false, 'test values go to the results, not the curves');
  });
});
