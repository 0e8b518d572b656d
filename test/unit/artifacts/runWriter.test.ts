import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { effectiveStatus, RUN_FILES, type RunRecord } from '../../../src/core/runLayout';
import { readEventFile, scalarsByTag } from '../../../src/trainer/artifacts/eventFileReader';
import { readMetrics, RunWriter } from '../../../src/trainer/artifacts/runWriter';
import { digitsParitySpec, epochPoints, summary } from './fixtures';
import { tempDir } from '../../tempFolders';

const START = new Date(2024, 4, 6, 7, 8, 9);

async function runsDir(): Promise<string> {
  return tempDir('runs');
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await fs.readFile(file, 'utf8')) as T;
}

/** Every file below dir, relative, sorted. */
async function tree(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// Child mode: start a run, log one epoch, then die without finishing it (as a crash would).
if (process.env.MTS_RUNWRITER_CHILD) {
  void (async () => {
    const run = await RunWriter.create({ runsDir: process.env.MTS_RUNWRITER_CHILD as string, spec: digitsParitySpec(), backend: 'cpu' });
    run.appendMetrics(epochPoints(1));
    await run.flush();
    process.send?.(run.runDir, () => process.kill(process.pid, 'SIGKILL'));
  })();
} else {
  describe('RunWriter', () => {
    it('creates runs/<name>/<timestamp>-<id>/ with experiment.json and run.json (running, pid) before any metric', async () => {
      const dir = await runsDir();
      const spec = digitsParitySpec('digits / parity?');
      const run = await RunWriter.create({ runsDir: dir, spec, backend: 'tensorflow', versions: { '@tensorflow/tfjs': '4.22.0' }, now: () => START, shortId: () => 'abc123' });
      assert.equal(run.runDir, path.join(dir, 'digits-parity', '20240506-070809-abc123'));
      assert.deepEqual(await tree(run.runDir), [RUN_FILES.experiment, RUN_FILES.run]);
      assert.deepEqual(await readJson(path.join(run.runDir, RUN_FILES.experiment)), spec);
      const record = await readJson<RunRecord>(path.join(run.runDir, RUN_FILES.run));
      assert.equal(record.status, 'running');
      assert.equal(record.pid, process.pid);
      assert.equal(record.seed, 42);
      assert.equal(record.backend, 'tensorflow');
      assert.equal(record.versions['@tensorflow/tfjs'], '4.22.0');
      assert.equal(record.versions.node, process.versions.node);
      assert.equal(record.startedAt, START.toISOString());
      assert.equal(record.id, '20240506-070809-abc123');
    });

    it('never reuses or touches an existing run folder: a taken name gets a new short id', async () => {
      const dir = await runsDir();
      const taken = path.join(dir, 'digits-parity', '20240506-070809-aaaaaa');
      await fs.mkdir(taken, { recursive: true });
      await fs.writeFile(path.join(taken, 'run.json'), 'someone else\'s run');
      const ids = ['aaaaaa', 'aaaaaa', 'bbbbbb'];
      const run = await RunWriter.create({ runsDir: dir, spec: digitsParitySpec(), backend: 'cpu', now: () => START, shortId: () => ids.shift() ?? 'cccccc' });
      assert.equal(path.basename(run.runDir), '20240506-070809-bbbbbb');
      assert.deepEqual(await tree(taken), ['run.json']);
      assert.equal(await fs.readFile(path.join(taken, 'run.json'), 'utf8'), 'someone else\'s run');
      const second = await RunWriter.create({ runsDir: dir, spec: digitsParitySpec(), backend: 'cpu', now: () => START });
      assert.notEqual(second.runDir, run.runDir);
    });

    it('completes a run: metrics.jsonl, metrics.csv, TensorBoard runs, summary, report, run.json; no temp files left', async () => {
      const dir = await runsDir();
      let clock = START.getTime();
      const run = await RunWriter.create({ runsDir: dir, spec: digitsParitySpec(), backend: 'tensorflow', now: () => new Date(clock) });
      const points = epochPoints(3);
      for (let epoch = 1; epoch <= 3; epoch++) {
        // a mid-epoch train point, then the epoch-end values
        run.appendMetrics([{ step: epoch * 50 - 25, epoch, split: 'train', task: 'digit', metric: 'loss', value: 99 }]);
        run.appendMetrics(points.filter((p) => p.epoch === epoch));
        await run.flush();
        clock += 1000;
      }
      run.appendMetrics([
        { step: 50, epoch: 1, split: 'validation', task: 'digit', metric: 'accuracy', value: 0.62 },
        { step: 100, epoch: 2, split: 'validation', task: 'digit', metric: 'accuracy', value: 0.7 },
      ], { kind: 'baseline', task: 'digit' });
      await run.flush();
      clock += 5000;
      await run.complete({ summary: summary() });

      const metrics = await readMetrics(run.runDir);
      assert.equal(metrics.records.length, points.length + 3 + 2);
      assert.equal(metrics.tornLastLine, false);
      assert.deepEqual(metrics.records.filter((r) => r.baseline === 'digit').map((r) => r.value), [0.62, 0.7]);

      const csv = (await fs.readFile(path.join(run.runDir, RUN_FILES.metricsCsv), 'utf8')).trim().split('\n');
      const header = csv[0]?.split(',') ?? [];
      assert.equal(header[0], 'epoch');
      const sharedColumns = header.slice(1).filter((c) => !c.startsWith('baseline-'));
      assert.deepEqual(sharedColumns, [...sharedColumns].sort());
      assert.ok(sharedColumns.includes('validation/digit/accuracy'));
      assert.ok(sharedColumns.includes('train/*/lr'));
      assert.deepEqual(header.slice(1 + sharedColumns.length), ['baseline-digit/validation/digit/accuracy']);
      assert.equal(csv.length, 4); // header + 3 epochs
      const row1 = Object.fromEntries(header.map((h, i) => [h, csv[1]?.split(',')[i]]));
      assert.equal(row1['train/digit/loss'], '2', 'epoch-end value, not the mid-epoch one');
      assert.equal(row1['baseline-digit/validation/digit/accuracy'], '0.62');
      assert.equal(csv[3]?.split(',')[header.indexOf('baseline-digit/validation/digit/accuracy')], '', 'no baseline value at epoch 3');

      const tbShared = await fs.readdir(path.join(run.runDir, RUN_FILES.tensorboard, 'shared'));
      const tbBaseline = await fs.readdir(path.join(run.runDir, RUN_FILES.tensorboard, 'baseline-digit'));
      assert.equal(tbShared.length, 1);
      assert.equal(tbBaseline.length, 1);
      const events = (await readEventFile(path.join(run.runDir, RUN_FILES.tensorboard, 'shared', tbShared[0] as string))).events;
      const scalars = scalarsByTag(events);
      assert.deepEqual(scalars.get('digit/accuracy/validation')?.map((s) => s.step), [50, 100, 150]);
      assert.equal(scalars.get('lr')?.length, 3);
      assert.equal(scalars.get('total_loss_unweighted_sum/train')?.length, 3);

      const record = await readJson<RunRecord>(path.join(run.runDir, RUN_FILES.run));
      assert.equal(record.status, 'completed');
      assert.equal(record.endedAt, new Date(clock).toISOString());
      assert.equal(record.timings?.total, 8);
      assert.equal(record.timings?.train, 50.5);
      const written = await readJson<ReturnType<typeof summary>>(path.join(run.runDir, RUN_FILES.summary));
      assert.equal(written.runDir, run.runDir);
      assert.equal(written.baselines?.comparisons.length, 4);

      const files = await tree(run.runDir);
      assert.ok(files.includes(RUN_FILES.report));
      assert.ok(files.includes('charts/shared-weights.svg'));
      assert.deepEqual(files.filter((f) => f.includes('.tmp-')), []);
      await assert.rejects(run.markFailed(new Error('late')), /already completed/);
      assert.throws(() => run.appendMetrics(points), /already completed/);
    });

    it('keeps the metrics of a run that crashed mid-append readable (torn last line skipped)', async () => {
      const dir = await runsDir();
      const run = await RunWriter.create({ runsDir: dir, spec: digitsParitySpec(), backend: 'cpu' });
      run.appendMetrics(epochPoints(2));
      await run.flush();
      const file = path.join(run.runDir, RUN_FILES.metricsJsonl);
      await fs.appendFile(file, '{"step":150,"epoch":3,"split":"tra'); // the process died here
      const metrics = await readMetrics(run.runDir);
      assert.equal(metrics.records.length, epochPoints(2).length);
      assert.equal(metrics.tornLastLine, true);
      await run.markCancelled(); // closes the event file of this test
    });

    it('marks a failed run with the error and keeps its metrics table', async () => {
      const dir = await runsDir();
      const run = await RunWriter.create({ runsDir: dir, spec: digitsParitySpec(), backend: 'wasm' });
      run.appendMetrics(epochPoints(1));
      await run.markFailed(new Error('loss is NaN at step 12'));
      const record = await readJson<RunRecord>(path.join(run.runDir, RUN_FILES.run));
      assert.equal(record.status, 'failed');
      assert.equal(record.error?.message, 'loss is NaN at step 12');
      assert.match(record.error?.detail ?? '', /runWriter\.test/);
      assert.ok(record.endedAt);
      const csv = await fs.readFile(path.join(run.runDir, RUN_FILES.metricsCsv), 'utf8');
      assert.equal(csv.trim().split('\n').length, 2);
      assert.equal((await readMetrics(run.runDir)).records.length, epochPoints(1).length, 'buffered points flushed on failure');
      assert.deepEqual((await tree(run.runDir)).filter((f) => f === RUN_FILES.summary || f === RUN_FILES.report), []);
    });

    it('marks a cancelled run', async () => {
      const dir = await runsDir();
      const run = await RunWriter.create({ runsDir: dir, spec: digitsParitySpec(), backend: 'cpu' });
      await run.markCancelled();
      const record = await readJson<RunRecord>(path.join(run.runDir, RUN_FILES.run));
      assert.equal(record.status, 'cancelled');
      assert.equal(record.error, undefined);
    });

    it('leaves a run whose trainer was killed reading as failed', async () => {
      const dir = await runsDir();
      const child = fork(__filename, [], { env: { ...process.env, MTS_RUNWRITER_CHILD: dir }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
      const runDir = await new Promise<string>((resolve, reject) => {
        child.once('message', (m) => resolve(String(m)));
        child.once('error', reject);
      });
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      const record = await readJson<RunRecord>(path.join(runDir, RUN_FILES.run));
      assert.equal(record.status, 'running');
      assert.equal(record.pid, child.pid);
      assert.equal(effectiveStatus(record, isPidAlive), 'failed');
      assert.equal((await readMetrics(runDir)).records.length, epochPoints(1).length);
    });

    it('saves the model as model/model.json + weights.bin that tfjs loads back, replacing it whole', async (t) => {
      let tf: typeof import('@tensorflow/tfjs-node');
      try {
        tf = await import('@tensorflow/tfjs-node');
      } catch (err) {
        t.skip(`@tensorflow/tfjs-node does not load here: ${(err as Error).message.split('\n')[0]}`);
        return;
      }
      const dir = await runsDir();
      const run = await RunWriter.create({ runsDir: dir, spec: digitsParitySpec(), backend: 'tensorflow' });
      const input = tf.input({ shape: [4] });
      const trunk = tf.layers.dense({ units: 8, activation: 'relu' }).apply(input) as import('@tensorflow/tfjs-node').SymbolicTensor;
      const a = tf.layers.dense({ units: 3, activation: 'softmax', name: 'a' }).apply(trunk) as import('@tensorflow/tfjs-node').SymbolicTensor;
      const b = tf.layers.dense({ units: 1, name: 'b' }).apply(trunk) as import('@tensorflow/tfjs-node').SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: [a, b] });
      await run.saveModel(model);
      // Change the weights and save again: the folder must hold the second version only.
      model.setWeights(model.getWeights().map((w) => tf.mul(w, 2)));
      await run.saveModel(model);
      assert.deepEqual(await tree(path.join(run.runDir, RUN_FILES.model)), [RUN_FILES.modelJson, RUN_FILES.modelWeights]);
      assert.deepEqual((await fs.readdir(run.runDir)).filter((f) => f.includes('tmp')), []);

      const loaded = await tf.loadLayersModel(`file://${path.join(run.runDir, RUN_FILES.model, RUN_FILES.modelJson)}`);
      const x = tf.tensor2d([[0.1, -0.2, 0.3, 0.4], [1, 2, 3, 4]]);
      const expected = (model.predict(x) as import('@tensorflow/tfjs-node').Tensor[]).map((y) => y.arraySync());
      const actual = (loaded.predict(x) as import('@tensorflow/tfjs-node').Tensor[]).map((y) => y.arraySync());
      assert.deepEqual(actual, expected);
    });
  });
}
