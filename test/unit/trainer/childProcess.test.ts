// The trainer child process, forked the way the extension forks it, trains the reference
// network of digits-parity on the bundled MNIST digits on native TensorFlow.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FromTrainer } from '../../../src/core/protocol';
import { effectiveStatus, type RunRecord } from '../../../src/core/runLayout';
import { forkTrainer } from '../../../src/host/trainerProcess';
import { exampleDoc, exampleFile, onlyRun, readJson, ROOT, tempDir } from './helpers';

const TRAINER = path.join(ROOT, 'dist', 'trainer.js');

function start(doc: unknown, runsDir: string, epochs: number) {
  const messages: FromTrainer[] = [];
  const trainer = forkTrainer({ script: TRAINER });
  trainer.onMessage((m) => messages.push(m));
  trainer.send({ type: 'start', doc, specPath: exampleFile('digits-parity'), workspaceDir: path.dirname(exampleFile('digits-parity')),
    runsDir, backend: 'auto', epochs });
  return { trainer, messages };
}

test('forked trainer trains digits-parity for one epoch on native TensorFlow and writes the run', { timeout: 180_000 }, async () => {
  const runsDir = tempDir('child');
  const doc = { ...exampleDoc('digits-parity'), evaluation: { baselines: 'none' } };
  const { trainer, messages } = start(doc, runsDir, 1);
  const { code } = await trainer.exited;
  const errors = messages.filter((m) => m.type === 'error');
  assert.deepEqual(errors, []);
  assert.equal(code, 0);

  const started = messages.find((m) => m.type === 'started');
  assert.ok(started && started.type === 'started');
  // The native backend is required: a silent fall-back to wasm is a failure.
  assert.equal(started.backend, 'tensorflow');
  assert.match(started.versions.tensorflow ?? '', /^2\./);

  const progress = messages.filter((m) => m.type === 'progress');
  assert.ok(progress.length >= 5, `progress is streamed during the epoch (got ${progress.length} messages)`);
  assert.ok(progress.length < 100, 'progress is batched, not one message per step');
  assert.ok(messages.some((m) => m.type === 'epochEnd' && m.epoch === 1));

  const done = messages.find((m) => m.type === 'done');
  assert.ok(done && done.type === 'done');
  assert.equal(done.summary.backend, 'tensorflow');
  assert.ok(done.summary.test.digit!.accuracy! > 0.6, `one epoch learns digits (accuracy ${done.summary.test.digit!.accuracy})`);
  assert.ok(done.summary.test.parity!.accuracy! > 0.6);

  const runDir = onlyRun(runsDir, 'digits-parity');
  for (const f of ['experiment.json', 'run.json', 'metrics.jsonl', 'metrics.csv', 'summary.json', 'report.md', 'model/model.json', 'model/weights.bin']) {
    assert.ok(fs.existsSync(path.join(runDir, f)), `${f} is written`);
  }
  assert.ok(fs.readdirSync(path.join(runDir, 'tensorboard', 'shared')).some((f) => f.startsWith('events.out.tfevents.')));
  const run = readJson(path.join(runDir, 'run.json'));
  assert.equal(run.status, 'completed');
  assert.equal(run.backend, 'tensorflow');
});

test('cancel stops after the current step, leaves status cancelled and the process exits', { timeout: 120_000 }, async () => {
  const runsDir = tempDir('cancel');
  const { trainer, messages } = start(exampleDoc('digits-parity'), runsDir, 50);
  await new Promise<void>((resolve) => trainer.onMessage((m) => { if (m.type === 'progress') resolve(); }));
  trainer.send({ type: 'cancel' });
  const { code } = await trainer.exited;
  assert.equal(code, 0);
  assert.ok(!messages.some((m) => m.type === 'done'));
  const run = readJson(path.join(onlyRun(runsDir, 'digits-parity'), 'run.json'));
  assert.equal(run.status, 'cancelled');
});

test('a killed trainer leaves a run that reads as failed, and the next run is unaffected', { timeout: 180_000 }, async () => {
  const runsDir = tempDir('killed');
  const first = start(exampleDoc('digits-parity'), runsDir, 50);
  await new Promise<void>((resolve) => first.trainer.onMessage((m) => { if (m.type === 'progress') resolve(); }));
  first.trainer.kill();
  await first.trainer.exited;
  const killedDir = onlyRun(runsDir, 'digits-parity');
  const record = readJson(path.join(killedDir, 'run.json')) as unknown as RunRecord;
  const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
  assert.equal(effectiveStatus(record, alive), 'failed');

  const second = start({ ...exampleDoc('digits-parity'), evaluation: { baselines: 'none' } }, runsDir, 1);
  assert.equal((await second.trainer.exited).code, 0);
  const runs = fs.readdirSync(path.join(runsDir, 'digits-parity')).map((r) => path.join(runsDir, 'digits-parity', r));
  assert.equal(runs.length, 2);
  const newRun = runs.find((r) => r !== killedDir)!;
  assert.equal(readJson(path.join(newRun, 'run.json')).status, 'completed');
  assert.deepEqual(readJson(path.join(killedDir, 'run.json')), record as unknown as Record<string, unknown>, 'the killed run is left as it was');
});
