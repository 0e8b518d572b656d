// Run integrity with real trainers: `mts train` on a disk that fills up or is read-only, Ctrl+C
// twice, a trainer killed (SIGKILL) or crashing (SIGSEGV) mid-run, and what every reader
// (Runs view, the training panel's run-folder stream) then says about the run.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseMetricsJsonl, RUN_FILES, TRAINER_GONE_MESSAGE, type RunRecord } from '../../../src/core/runLayout';
import { describeRun } from '../../../src/core/runsIndex';
import { endRunOfDeadTrainer } from '../../../src/host/training/endRun';
import { isPidAlive, readRun } from '../../../src/host/runFolders';
import { readRunFolderFiles, runFolderEvents } from '../../../src/host/training/runFolderStream';
import { TrainingSession } from '../../../src/host/training/session';
import { headerFromSpec } from '../../../src/host/training/startInfo';
import { forkTrainer } from '../../../src/host/trainerProcess';
import type { ExperimentSpec } from '../../../src/core/spec';
import { mountSmallDisk } from '../smallDisk';
import { exampleDoc, readJson, ROOT, tempDir } from './helpers';

const MTS = path.join(ROOT, 'bin', 'mts.js');

/** correlated-regression, small data, no baselines; `units` makes its steps slower. */
function writeExperiment(dir: string, units = 64): string {
  const doc = { ...exampleDoc('correlated-regression'), evaluation: { baselines: 'none' } } as Record<string, unknown>;
  (doc.data as { source: Record<string, unknown> }).source.samples = 600;
  const layers = (doc.model as { layers: Array<Record<string, unknown>> }).layers;
  layers[0]!.units = units;
  const file = path.join(dir, 'exp.mtl.json');
  fs.writeFileSync(file, JSON.stringify(doc, null, 2));
  return file;
}

/** A running `mts train`, its output so far, and a wait for a line matching a pattern. */
function train(file: string, out: string, epochs: number) {
  const child: ChildProcess = spawn(process.execPath, [MTS, 'train', file, '--epochs', String(epochs), '--out', out], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); waiters.forEach((w) => w()); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); waiters.forEach((w) => w()); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    waitFor: (pattern: RegExp) => new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = (stdout + stderr).match(pattern);
        if (m) resolve(m);
      };
      waiters.push(check);
      check();
      void exited.then(() => { check(); reject(new Error(`exited before ${pattern}: ${stdout}\n${stderr}`)); });
    }),
  };
}

const runFolderOf = (m: RegExpMatchArray) => path.resolve(ROOT, m[1]!.trim());

test('mts train on a disk that fills up mid-run: a message naming the run folder, exit 1, run.json failed, metrics in whole lines', { timeout: 120_000 }, async (t) => {
  const disk = mountSmallDisk(t, 512);
  if (!disk) return;
  try {
    const run = train(writeExperiment(tempDir('full')), path.join(disk.dir, 'runs'), 200);
    const runDir = runFolderOf(await run.waitFor(/^run folder: (.+)$/m));
    await run.waitFor(/epoch 1\/200/);
    disk.fill();
    const { code } = await run.exited;
    const { stderr } = run.output();
    assert.equal(code, 1, stderr);
    assert.match(stderr, new RegExp(`^error: cannot write ${runDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the disk is full \\(ENOSPC\\)$`, 'm'));
    assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
    const record = readJson(path.join(runDir, RUN_FILES.run)) as unknown as RunRecord;
    assert.equal(record.status, 'failed');
    assert.match(record.error?.message ?? '', /the disk is full/);
    const text = fs.readFileSync(path.join(runDir, RUN_FILES.metricsJsonl), 'utf8');
    assert.ok(text === '' || text.endsWith('\n'), 'empty (the disk filled before the first flush) or whole lines');
    assert.equal(parseMetricsJsonl(text).tornLastLine, false);
    assert.equal(describeRun(readRun(runDir)!), `failed: ${record.error!.message}`);
  } finally {
    disk.unmount();
  }
});

test('mts train into a read-only folder: a message naming the folder, exit 1, no stack trace', { timeout: 60_000 }, (t) => {
  const disk = mountSmallDisk(t, 64);
  if (!disk) return;
  try {
    disk.readOnly();
    const r = spawnSync(process.execPath, [MTS, 'train', writeExperiment(tempDir('ro')), '--epochs', '1', '--out', path.join(disk.dir, 'runs')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^error: cannot write ${path.join(disk.dir, 'runs', 'correlated-regression')}: the file system is read-only \\(EROFS\\)$`, 'm'));
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  } finally {
    disk.unmount();
  }
});

test('mts train under a file size limit (ulimit -f): exit 1, a message naming the run folder and the limit, run.json failed, no stack trace', { timeout: 120_000, skip: process.platform === 'win32' && 'ulimit is POSIX' }, () => {
  // 24 KiB: room for experiment.json and some epochs of metrics, not for the model's weights.bin (34 KB).
  // Node ignores SIGXFSZ, so the write that passes the limit fails with EFBIG (was: a bare "EFBIG: file too large, write" and a stack in run.json).
  const out = path.join(tempDir('fsize'), 'runs');
  const r = spawnSync('sh', ['-c', 'ulimit -f 24 && exec "$0" "$@"', process.execPath, MTS, 'train', writeExperiment(tempDir('fsize-exp')), '--epochs', '60', '--out', out], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, r.stderr);
  const runDir = r.stdout.match(/^run folder: (.+)$/m)?.[1]?.trim();
  assert.ok(runDir, r.stdout);
  const folder = path.resolve(ROOT, runDir);
  assert.match(r.stderr, new RegExp(`^error: cannot write ${folder.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: a file would pass the file size limit \\(ulimit -f\\) \\(EFBIG\\)$`, 'm'));
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  const record = readJson(path.join(folder, RUN_FILES.run)) as unknown as RunRecord;
  assert.equal(record.status, 'failed');
  assert.equal(record.error?.detail, undefined, 'no stack in run.json');
  assert.equal(parseMetricsJsonl(fs.readFileSync(path.join(folder, RUN_FILES.metricsJsonl), 'utf8')).tornLastLine, false);
  assert.equal(fs.existsSync(path.join(folder, RUN_FILES.summary)), false);
});

test('Ctrl+C twice on mts train quits at once and the run still reads "cancelled"', { timeout: 120_000 }, async () => {
  const dir = tempDir('ctrl-c');
  // Wide layers: a step lasts long enough for the second Ctrl+C to land while it runs.
  const run = train(writeExperiment(dir, 3000), path.join(dir, 'runs'), 200);
  const runDir = runFolderOf(await run.waitFor(/^run folder: (.+)$/m));
  await run.waitFor(/^training shared model/m);
  run.child.kill('SIGINT');
  await run.waitFor(/Ctrl\+C again to quit at once/);
  run.child.kill('SIGINT');
  const { code } = await run.exited;
  assert.equal(code, 130, run.output().stderr);
  const record = readJson(path.join(runDir, RUN_FILES.run)) as unknown as RunRecord;
  assert.equal(record.status, 'cancelled');
  assert.equal(readRun(runDir)!.status, 'cancelled');
});

/** The pid of the trainer, as its run.json names it (under `mts train`, a child of the command). */
const trainerPid = (runDir: string) => (readJson(path.join(runDir, RUN_FILES.run)) as unknown as RunRecord).pid;

test('mts train and its trainer both killed with SIGKILL mid-run: the Runs view and the run-folder stream say it stopped without finishing', { timeout: 120_000 }, async () => {
  const dir = tempDir('sigkill');
  const run = train(writeExperiment(dir), path.join(dir, 'runs'), 200);
  const runDir = runFolderOf(await run.waitFor(/^run folder: (.+)$/m));
  await run.waitFor(/epoch 2\/200/);
  const pid = trainerPid(runDir);
  // The trainer frozen first: killed after the command, it could otherwise see its parent gone
  // and write "cancelled" in between (it did, on a loaded machine). Then nobody can write run.json.
  process.kill(pid, 'SIGSTOP');
  run.child.kill('SIGKILL');
  process.kill(pid, 'SIGKILL');
  assert.equal((await run.exited).signal, 'SIGKILL');
  await waitUntilGone(pid);
  assert.equal((readJson(path.join(runDir, RUN_FILES.run)) as unknown as RunRecord).status, 'running', 'nobody could write it');
  const entry = readRun(runDir)!;
  assert.equal(entry.status, 'failed');
  assert.equal(describeRun(entry), `failed: ${TRAINER_GONE_MESSAGE}`);
  const ended = runFolderEvents(readRunFolderFiles(runDir)).at(-1)!;
  assert.deepEqual(ended, { kind: 'ended', status: 'failed', message: TRAINER_GONE_MESSAGE });
});

for (const [signal, expected] of [['SIGSEGV', /^the trainer crashed in native code \(SIGSEGV\), most often because the model or a batch is too large for memory/],
  ['SIGKILL', /^the trainer was killed \(SIGKILL\); when nobody stopped it, the system most likely ran out of memory/]] as const) {
  test(`mts train whose trainer dies by ${signal} (a native crash, the OOM killer): exit 1, run.json failed with the signal and a hint`, { timeout: 120_000 }, async () => {
    const dir = tempDir(signal);
    const run = train(writeExperiment(dir), path.join(dir, 'runs'), 200);
    const runDir = runFolderOf(await run.waitFor(/^run folder: (.+)$/m));
    await run.waitFor(/epoch 1\/200/);
    process.kill(trainerPid(runDir), signal);
    const { code } = await run.exited;
    assert.equal(code, 1);
    const record = readJson(path.join(runDir, RUN_FILES.run)) as unknown as RunRecord;
    assert.equal(record.status, 'failed');
    assert.match(record.error?.message ?? '', expected);
    assert.match(run.output().stderr, new RegExp(`^error: ${expected.source.slice(1)}`, 'm'));
    assert.equal(describeRun(readRun(runDir)!), `failed: ${record.error!.message}`);
  });
}

/** Waits until a process (not our child: it was reparented) has exited. */
async function waitUntilGone(pid: number): Promise<void> {
  while (isPidAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('a trainer crashing by SIGSEGV under a training session: run.json is marked failed with the signal and a hint', { timeout: 120_000 }, async () => {
  const dir = tempDir('sigsegv');
  const file = writeExperiment(dir);
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as ExperimentSpec;
  const session = new TrainingSession({
    header: headerFromSpec(doc, file),
    start: { type: 'start', doc, specPath: file, workspaceDir: dir, runsDir: path.join(dir, 'runs'), backend: 'auto', epochs: 200 },
    fork: () => forkTrainer({ script: path.join(ROOT, 'dist', 'trainer.js') }),
    log: () => undefined,
    readRunStatus: (runDir) => (readJson(path.join(runDir, RUN_FILES.run)) as unknown as RunRecord).status,
    endRun: (runDir, pid, status, message) => { endRunOfDeadTrainer(runDir, pid, status, message); },
  });
  session.start();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => { if (session.progress.epoch >= 1) { clearInterval(poll); resolve(); } }, 10);
  });
  const pid = (readJson(path.join(session.runDir!, RUN_FILES.run)) as unknown as RunRecord).pid;
  process.kill(pid, 'SIGSEGV'); // what a native crash delivers
  assert.equal(await session.ended, 'failed');
  const record = readJson(path.join(session.runDir!, RUN_FILES.run)) as unknown as RunRecord;
  assert.equal(record.status, 'failed');
  assert.match(record.error?.message ?? '', /SIGSEGV.*too large for memory/);
  assert.match(describeRun(readRun(session.runDir!)!), /^failed: the trainer crashed in native code \(SIGSEGV\)/);
});
