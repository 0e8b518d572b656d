// The run folder under faults, with real processes and a real file system: a disk that fills
// up mid-run, a trainer killed while it completes the run or saves the model, a reused pid.
import assert from 'node:assert/strict';
import { fork, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { describeRun } from '../../../src/core/runsIndex';
import { effectiveStatus, parseMetricsJsonl, RUN_FILES, TRAINER_GONE_MESSAGE, type RunRecord } from '../../../src/core/runLayout';
import { isPidAlive as hostIsPidAlive, localProbe, readRun } from '../../../src/host/runFolders';
import { isPidAlive as trainerIsPidAlive } from '../../../src/node/processIdentity';
import { readEventFile } from '../../../src/trainer/artifacts/eventFileReader';
import { RunFolderError } from '../../../src/trainer/artifacts/runFolderError';
import { stageReport } from '../../../src/trainer/artifacts/report';
import { RunWriter } from '../../../src/trainer/artifacts/runWriter';
import { mountSmallDisk } from '../smallDisk';
import { digitsParitySpec, epochPoints, summary } from './fixtures';
import { tempDir } from '../../tempFolders';

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const tempRuns = () => tempDir('faults');

function filesBelow(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Runs this file as a child in `mode` (a run of its own); `runDir` resolves when the child has flushed its first metrics. */
function childRun(mode: string, runsDir: string): { runDir: Promise<string>; exited: Promise<NodeJS.Signals | null>; pid: number } {
  const child = fork(__filename, [], { env: { ...process.env, MTS_FAULT_CHILD: mode, MTS_FAULT_RUNS: runsDir }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  return {
    pid: child.pid!,
    runDir: new Promise((resolve, reject) => { child.once('message', (m) => resolve(String(m))); child.once('error', reject); }),
    exited: new Promise((resolve) => child.once('exit', (_code, signal) => resolve(signal))),
  };
}

if (process.env.MTS_FAULT_CHILD) {
  void (async () => {
    const mode = process.env.MTS_FAULT_CHILD;
    const run = await RunWriter.create({ runsDir: process.env.MTS_FAULT_RUNS!, spec: digitsParitySpec(), backend: 'cpu' });
    run.appendMetrics(epochPoints(3));
    await run.flush();
    if (mode === 'complete') {
      // The parent kills us when summary.json appears (or, if it sees it late, after run.json).
      process.send!(run.runDir);
      await run.complete({ summary: summary(run.runDir) });
      setInterval(() => undefined, 1000); // wait for the kill if it comes after run.json
    } else if (mode === 'save') {
      process.send!(run.runDir, async () => {
        // A model whose save is cut short by a kill after its files are written, before the rename.
        await run.saveModel({
          save: async (handler) => {
            await handler.save!({ modelTopology: { layers: [] }, weightSpecs: [], weightData: new ArrayBuffer(16) });
            process.kill(process.pid, 'SIGKILL');
            return new Promise(() => undefined);
          },
        });
      });
    }
  })();
} else {
  describe('run folder under faults', { timeout: 120_000 }, () => {
    it('a full disk mid-run: no cut line in metrics.jsonl or the event files, a message naming the folder, run.json failed', async (t) => {
      const disk = mountSmallDisk(t, 256);
      if (!disk) return;
      try {
        const run = await RunWriter.create({ runsDir: disk.dir, spec: digitsParitySpec(), backend: 'cpu' });
        const first = epochPoints(2);
        run.appendMetrics(first);
        await run.flush();
        disk.fill();
        run.appendMetrics(epochPoints(300)); // far more than the few bytes left in the last block
        await assert.rejects(run.flush(), (err: unknown) => {
          assert.ok(err instanceof RunFolderError);
          assert.equal(err.message, `cannot write ${run.runDir}: the disk is full (ENOSPC)`);
          return true;
        });
        assert.throws(() => run.appendMetrics(first), /the disk is full/, 'training stops at the next append');

        const text = fs.readFileSync(path.join(run.runDir, RUN_FILES.metricsJsonl), 'utf8');
        assert.ok(text.endsWith('\n'), 'metrics.jsonl ends with a whole line');
        const parsed = parseMetricsJsonl(text);
        assert.deepEqual([parsed.tornLastLine, parsed.skippedLines], [false, 0]);
        assert.equal(parsed.records.length, first.length);

        await run.markFailed(await run.flush().catch((err: unknown) => err));
        const record = readJson<RunRecord>(path.join(run.runDir, RUN_FILES.run));
        assert.equal(record.status, 'failed', 'run.json still says how it ended on a full disk');
        assert.equal(record.error?.message, `cannot write ${run.runDir}: the disk is full (ENOSPC)`);
        assert.equal(record.error?.detail, undefined, 'no stack trace for a full disk');

        const tbFiles = filesBelow(path.join(run.runDir, RUN_FILES.tensorboard)).filter((f) => f.includes('tfevents'));
        assert.ok(tbFiles.length > 0);
        for (const f of tbFiles) {
          const file = path.join(run.runDir, RUN_FILES.tensorboard, f);
          assert.ok(fs.statSync(file).size > 0, `${f} is not empty`);
          assert.equal((await readEventFile(file)).truncated, false, `${f} holds whole records only`);
        }
        assert.deepEqual(filesBelow(run.runDir).filter((f) => f.includes('.tmp-')), [], 'failed writes leave no temporary files');
      } finally {
        disk.unmount();
      }
    });

    it('a disk full before the run\'s first file: the message names the folder, and no run folder without run.json is left to list', async (t) => {
      const disk = mountSmallDisk(t, 64);
      if (!disk) return;
      try {
        disk.fill();
        await assert.rejects(RunWriter.create({ runsDir: disk.dir, spec: digitsParitySpec(), backend: 'cpu' }),
          (err: unknown) => err instanceof RunFolderError && /^cannot write .+: the disk is full \(ENOSPC\)$/.test(err.message));
        assert.deepEqual(fs.readdirSync(path.join(disk.dir, 'digits-parity')), [], 'the Runs view would list it as "no run.json"');
      } finally {
        disk.unmount();
      }
    });

    it('without a mount: metrics.jsonl on /dev/full (every write ENOSPC) gives the same message, training stops, run.json failed', { skip: !fs.existsSync('/dev/full') && 'no /dev/full here' }, async () => {
      const run = await RunWriter.create({ runsDir: tempRuns(), spec: digitsParitySpec(), backend: 'cpu' });
      fs.symlinkSync('/dev/full', path.join(run.runDir, RUN_FILES.metricsJsonl));
      run.appendMetrics(epochPoints(1));
      const expected = `cannot write ${run.runDir}: the disk is full (ENOSPC)`;
      await assert.rejects(run.flush(), (err: unknown) => err instanceof RunFolderError && err.message === expected);
      assert.throws(() => run.appendMetrics(epochPoints(1)), (err: unknown) => err instanceof RunFolderError && err.message === expected);
      await run.markFailed(new RunFolderError(expected, 'ENOSPC'));
      const record = readJson<RunRecord>(path.join(run.runDir, RUN_FILES.run));
      assert.equal(record.status, 'failed');
      assert.deepEqual(record.error, { message: expected });
    });

    it('a run folder removed mid-run is never brought back half: the next write fails naming it, training stops, it never completes', async () => {
      const run = await RunWriter.create({ runsDir: tempRuns(), spec: digitsParitySpec(), backend: 'cpu' });
      run.appendMetrics(epochPoints(1));
      await run.flush();
      fs.rmSync(run.runDir, { recursive: true });
      // A baseline's first points: its TensorBoard folder is made with mkdir -p, which used to remake the run folder.
      run.appendMetrics(epochPoints(1), { kind: 'baseline', task: 'digit' });
      const gone = (err: unknown) => err instanceof RunFolderError && /^the run folder .+ was removed or replaced while the run was writing it/.test(err.message);
      await assert.rejects(run.flush(), gone);
      assert.throws(() => run.appendMetrics(epochPoints(1)), gone, 'training stops at the next append');
      await assert.rejects(run.complete({ summary: summary(run.runDir) }), gone);
      assert.equal(fs.existsSync(run.runDir), false, 'the folder is not made again (it would read "completed" without its first files)');
    });

    it('the report is never staged into a run folder that is gone: the folder is not made again (its charts were made with mkdir -p)', async () => {
      // The writer checks its folder before each write; a removal landing inside a write must still not bring it back.
      const gone = path.join(tempRuns(), 'digits-parity', '20240102-030405-abcdef');
      const points = epochPoints(2);
      await assert.rejects(stageReport(gone, { spec: digitsParitySpec(), summary: summary(gone), epochs: points, baselineEpochs: {}, versions: {} }), { code: 'ENOENT' });
      assert.equal(fs.existsSync(path.dirname(gone)), false);
    });

    it('a study run folder whose parent is a file (or gone): one message naming the folder, not a bare ENOTDIR', async () => {
      const study = path.join(tempRuns(), 'study-x');
      fs.writeFileSync(study, 'a file where the study folder was');
      const expected = `cannot write ${study}: a file stands where one of its folders belongs (ENOTDIR)`;
      await assert.rejects(RunWriter.create({ runsDir: path.dirname(study), runDir: path.join(study, 'as-designed-r0'), spec: digitsParitySpec(), backend: 'cpu' }),
        (err: unknown) => err instanceof RunFolderError && err.message === expected);
    });

    it('a run folder replaced by another of its name: nothing is written into the stranger', async () => {
      const run = await RunWriter.create({ runsDir: tempRuns(), spec: digitsParitySpec(), backend: 'cpu' });
      fs.renameSync(run.runDir, `${run.runDir}-moved`);
      fs.mkdirSync(run.runDir);
      run.appendMetrics(epochPoints(1));
      await assert.rejects(run.flush(), /was removed or replaced/);
      await assert.rejects(run.markFailed(new Error('x')), /was removed or replaced/);
      assert.deepEqual(fs.readdirSync(run.runDir), []);
    });

    it('a folder put where metrics.jsonl was: the flush fails naming the run folder (EISDIR), training stops, the run never completes', async () => {
      const run = await RunWriter.create({ runsDir: tempRuns(), spec: digitsParitySpec(), backend: 'cpu' });
      run.appendMetrics(epochPoints(1));
      await run.flush();
      const metrics = path.join(run.runDir, RUN_FILES.metricsJsonl);
      fs.rmSync(metrics);
      fs.mkdirSync(metrics);
      run.appendMetrics(epochPoints(2));
      const expected = `cannot write ${run.runDir}: a folder stands where one of its files belongs (EISDIR)`;
      const isFault = (err: unknown) => err instanceof RunFolderError && err.message === expected;
      const fault = await run.flush().then(() => undefined, (err: unknown) => err);
      assert.ok(isFault(fault), String(fault));
      assert.throws(() => run.appendMetrics(epochPoints(1)), isFault, 'training stops at the next append (the lost metrics were swallowed)');
      await assert.rejects(run.complete({ summary: summary(run.runDir) }), isFault);
      await run.markFailed(fault);
      const record = readJson<RunRecord>(path.join(run.runDir, RUN_FILES.run));
      assert.equal(record.status, 'failed');
      assert.deepEqual(record.error, { message: expected });
    });

    it('a trainer killed while completing the run never leaves summary.json saying "completed" beside a run.json that does not', async () => {
      const runsDir = tempRuns();
      const child = childRun('complete', runsDir);
      const runDir = await child.runDir;
      // Killed as soon as summary.json is seen: between it and run.json, or (seen late) after run.json.
      await new Promise<void>((resolve) => {
        const kill = () => {
          clearInterval(poll);
          watcher.close();
          try { process.kill(child.pid, 'SIGKILL'); } catch { /* already gone */ }
          resolve();
        };
        const watcher = fs.watch(runDir, (_event, name) => { if (name === RUN_FILES.summary) kill(); });
        const poll = setInterval(() => { if (fs.existsSync(path.join(runDir, RUN_FILES.summary))) kill(); }, 5);
      });
      assert.equal(await child.exited, 'SIGKILL');
      const stored = readJson<Record<string, unknown>>(path.join(runDir, RUN_FILES.summary));
      assert.equal(stored.status, undefined, 'summary.json holds no status: run.json is the only record of it');
      const record = readJson<RunRecord>(path.join(runDir, RUN_FILES.run));
      const entry = readRun(runDir)!;
      if (record.status === 'running') {
        assert.equal(entry.status, 'failed');
        assert.equal(describeRun(entry), `failed: ${TRAINER_GONE_MESSAGE}`);
      } else {
        assert.equal(record.status, 'completed');
        assert.equal(entry.summary?.status, 'completed');
      }
    });

    it('a model save cut short by a kill leaves model.tmp-*: removed when the next run starts, a live run\'s temporary files kept', async () => {
      const runsDir = tempRuns();
      const killed = childRun('save', runsDir);
      const killedDir = await killed.runDir;
      assert.equal(await killed.exited, 'SIGKILL');
      const leftovers = fs.readdirSync(killedDir).filter((f) => f.includes('.tmp-'));
      assert.equal(leftovers.length, 1);
      assert.match(leftovers[0]!, /^model\.tmp-/);
      assert.equal(readRun(killedDir)!.hasModel, false, 'readers see no model');

      // A run of this process, still training, with a write in progress.
      const live = await RunWriter.create({ runsDir, spec: digitsParitySpec(), backend: 'cpu' });
      const inProgress = path.join(live.runDir, `.metrics.csv.tmp-${process.pid}-0000`);
      fs.writeFileSync(inProgress, 'epoch\n');

      const next = await RunWriter.create({ runsDir, spec: digitsParitySpec(), backend: 'cpu' });
      assert.deepEqual(fs.readdirSync(killedDir).filter((f) => f.includes('.tmp-')), [], 'the killed run\'s leftover is gone');
      assert.ok(fs.existsSync(inProgress), 'a live run is never touched');
      await Promise.all([live.markCancelled(), next.markCancelled()]);
    });

    it('run.json names its trainer (pid, process start) and a heartbeat; a live pid that started later is a reused pid', async () => {
      const runsDir = tempRuns();
      const child = childRun('complete', runsDir); // any child: it is killed below
      const runDir = await child.runDir;
      process.kill(child.pid, 'SIGKILL');
      await child.exited;
      const record = readJson<RunRecord>(path.join(runDir, RUN_FILES.run));
      assert.equal(record.pid, child.pid);
      assert.equal(record.hostname, os.hostname());
      assert.ok(record.updatedAt, 'the heartbeat is written at each flush');
      if (process.platform !== 'linux') return; // the process start comes from /proc
      assert.match(record.processStart ?? '', /^[0-9a-f-]+:\d+$/);
      // The same record naming a pid that is alive now (ours) but started at another time.
      const reused: RunRecord = { ...record, status: 'running', pid: process.pid };
      assert.equal(effectiveStatus(reused, localProbe), 'failed');
      assert.equal(effectiveStatus({ ...reused, processStart: localProbe.processStart!(process.pid)! }, localProbe), 'running');
      assert.equal(effectiveStatus({ ...reused, hostname: 'another-machine' }, localProbe), 'running', 'another machine\'s run is not judged here');
    });

    it('a zombie (a dead trainer nobody has reaped yet) is not a live trainer', { skip: process.platform !== 'linux' && '/proc is Linux' }, async () => {
      // sh starts a short child, then becomes `sleep`, which never reaps it: a real zombie.
      const sh = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        const pid = Number(await new Promise<string>((resolve) => sh.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()))));
        while (!fs.readFileSync(`/proc/${pid}/stat`, 'utf8').match(/\) Z /)) await new Promise((resolve) => setTimeout(resolve, 10));
        assert.doesNotThrow(() => process.kill(pid, 0), 'signal 0 still finds it');
        assert.equal(hostIsPidAlive(pid), false);
        assert.equal(trainerIsPidAlive(pid), false);
        assert.equal(hostIsPidAlive(sh.pid!), true);
      } finally {
        sh.kill('SIGKILL');
      }
    });
  });
}
