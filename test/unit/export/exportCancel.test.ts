// "Export experiment…" from VS Code could not be stopped: its notification had no Cancel and the
// exporter ran to the end. Now Cancel (an aborted signal to runExport) sends the exporter the
// trainer's { type: 'cancel' }, which stops it as Ctrl+C stops `mts export`: the outcome says
// cancelled, the earlier export in the folder is as it was and nothing of the stopped one is left.
// A first attempt closed the channel instead (child.disconnect()): the exporter stopped, but Node
// never emits 'close' for a child its parent disconnected (nodejs/node#19433; the first test below
// shows it on plain node), so runExport never returned. An exporter that does not stop is killed.
import assert from 'node:assert/strict';
import { spawn, fork } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runExport, type ExportJob } from '../../../src/host/export/exportProcess';
import { isPidAlive } from '../../../src/node/processIdentity';
import { ROOT, tabularExperiment, tempDir } from '../trainer/helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Every file under `dir` with its bytes, to see that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true }).map(String).sort()
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
}

/** The tabular example with its 2,000 patients repeated 100 times: its export is still writing when it is cancelled. */
function largeTabularExperiment(prefix: string): { dir: string; file: string } {
  const made = tabularExperiment(prefix);
  const csv = path.join(made.dir, 'patients.csv');
  const [header, ...rows] = fs.readFileSync(csv, 'utf8').trim().split('\n');
  const body = `${rows.join('\n')}\n`;
  fs.writeFileSync(csv, `${header}\n${body.repeat(100)}`);
  return made;
}

/** Calls `then` once an entry whose name includes `part` appears in `dir` (the exporter is writing). */
function whenAppears(dir: string, part: string, then: (name: string) => void): fs.FSWatcher {
  let seen = false;
  return fs.watch(dir, (_event, name) => {
    if (!seen && String(name).includes(part)) { seen = true; then(String(name)); }
  });
}

test('plain node: a child its parent disconnected exits, but the parent never hears its \'close\'; one asked to stop by a message does', { timeout: 60_000 }, async () => {
  const dir = tempDir('disconnect-close');
  const script = path.join(dir, 'child.js');
  // Stops (exit 130) on a disconnect or on { type: 'cancel' }, as the exporter did and does.
  fs.writeFileSync(script, `
    process.on('disconnect', () => process.exit(130));
    process.on('message', (m) => { if (m && m.type === 'cancel') process.exit(130); });
    setInterval(() => {}, 1000);
  `);
  const run = (ask: 'disconnect' | 'message') => new Promise<string[]>((resolve) => {
    const child = fork(script, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    child.stdout?.resume();
    child.stderr?.resume();
    const events: string[] = [];
    child.on('exit', (code) => {
      events.push(`exit ${code}`);
      // Ample for 'close' to follow 'exit' (it does within a turn or two of the loop, once the pipes end).
      setTimeout(() => resolve(events), 5000);
    });
    child.on('close', () => { events.push('close'); resolve(events); });
    child.on('spawn', () => {
      if (ask === 'disconnect') child.disconnect();
      else child.send({ type: 'cancel' });
    });
  });
  assert.deepEqual(await run('disconnect'), ['exit 130'], 'Node\'s behaviour changed: no \'close\' after the parent disconnects (nodejs/node#19433)');
  assert.deepEqual(await run('message'), ['exit 130', 'close']);
});

test('Cancel during an export from VS Code stops the exporter: cancelled, the earlier export kept byte for byte, nothing staged left; cancelled before it starts, nothing written', { timeout: 300_000 }, async (t) => {
  const { dir, file } = largeTabularExperiment('export-cancel');
  const out = path.join(dir, 'out');
  // A grace period far beyond the bound below: only the exporter's own stop can end it in time.
  const job: ExportJob = { cliScript: CLI, source: file, to: 'notebook', outDir: out, workspaceDir: dir, stopGraceMs: 120_000 };
  const first = await runExport(job);
  assert.equal(first.ok, true, first.message);
  fs.writeFileSync(path.join(out, 'tabular_csv', 'mine.txt'), 'a file of the earlier export');
  const before = snapshot(out);
  // Cancelled as soon as the exporter's temporary folder appears: it is writing its files.
  const stop = new AbortController();
  let seen = '';
  let abortedAt = 0;
  const watcher = whenAppears(out, '.tmp-', (name) => { seen = name; abortedAt = Date.now(); stop.abort(); });
  let r: Awaited<ReturnType<typeof runExport>>;
  try {
    r = await runExport({ ...job, signal: stop.signal });
  } finally {
    watcher.close();
  }
  const took = Date.now() - abortedAt;
  t.diagnostic(`outcome ${took} ms after Cancel`);
  assert.match(seen, /^tabular_csv\.tmp-\d+$/, 'cancelled while writing');
  assert.equal(r.cancelled, true, r.message);
  assert.equal(r.ok, false);
  assert.equal(r.message, `cancelled; ${out} unchanged`);
  // A timeout, not a time: the exporter stops at its next checkpoint, not after its grace period.
  assert.ok(took < 60_000, `stopped ${took} ms after Cancel`);
  assert.deepEqual(snapshot(out), before, 'the earlier export is as it was');
  assert.deepEqual(fs.readdirSync(out).sort(), ['tabular_csv', 'tabular_csv.ipynb'], 'nothing staged left');
  // Cancelled before it starts: nothing written where there was nothing.
  const early = new AbortController();
  early.abort();
  const fresh = path.join(dir, 'fresh');
  const e = await runExport({ ...job, outDir: fresh, signal: early.signal });
  assert.equal(e.cancelled, true, e.message);
  assert.equal(e.message, `cancelled; ${fresh} unchanged`);
  assert.equal(fs.existsSync(fresh), false);
});

test('Ctrl+C still stops `mts export` in a terminal (no channel): exit 130, the earlier export kept', { timeout: 300_000 }, async () => {
  const { dir, file } = largeTabularExperiment('export-cancel-sigint');
  const out = path.join(dir, 'out');
  // A notebook, which writes the data set out: a Keras folder was written before the signal came (a quiet CI).
  const first = await runExport({ cliScript: CLI, source: file, to: 'notebook', outDir: out, workspaceDir: dir });
  assert.equal(first.ok, true, first.message);
  const before = snapshot(out);
  const child = spawn(process.execPath, [CLI, 'export', file, '--to', 'notebook', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString('utf8'); });
  const watcher = whenAppears(out, '.tmp-', () => child.kill('SIGINT'));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve)).finally(() => watcher.close());
  assert.equal(code, 130, err);
  assert.match(err, /mts export: cancelled: nothing was written/);
  assert.deepEqual(snapshot(out), before);
  assert.deepEqual(fs.readdirSync(out).sort(), ['tabular_csv', 'tabular_csv.ipynb']);
});

test('an exporter that does not stop when asked is killed after the grace period, and the user is told the next export clears what it left', { timeout: 120_000 }, async () => {
  const dir = tempDir('export-cancel-stuck');
  const out = path.join(dir, 'out');
  // Hears the cancel and ignores it (an exporter stuck between checkpoints); notes its pid where runExport's --out says.
  const script = path.join(dir, 'stuck-exporter.js');
  fs.writeFileSync(script, `
    const fs = require('fs');
    const path = require('path');
    const out = process.argv[process.argv.indexOf('--out') + 1];
    process.on('message', () => {});
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'pid.tmp'), String(process.pid));
    fs.renameSync(path.join(out, 'pid.tmp'), path.join(out, 'pid'));
    setInterval(() => {}, 1000);
  `);
  fs.mkdirSync(out);
  const stop = new AbortController();
  const waitForPid = setInterval(() => { if (fs.existsSync(path.join(out, 'pid'))) { clearInterval(waitForPid); stop.abort(); } }, 50);
  // timeoutMs far beyond the test's own: only the grace period's kill ends it.
  const r = await runExport({ cliScript: script, source: dir, to: 'keras', outDir: out, workspaceDir: dir, signal: stop.signal, stopGraceMs: 500, timeoutMs: 600_000 });
  clearInterval(waitForPid);
  const pid = Number(fs.readFileSync(path.join(out, 'pid'), 'utf8'));
  assert.equal(isPidAlive(pid), false, 'the exporter is gone');
  assert.equal(r.cancelled, true, r.message);
  assert.equal(r.ok, false);
  assert.equal(r.message, `cancelled: the exporter did not stop within 0.5 s and was killed; the next export into ${out} removes what it left`);
});
