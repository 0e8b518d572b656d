// An export stopped midway (Ctrl+C in `mts export`, a failed rename, a process killed between
// two renames) never leaves the export folder without a package: the earlier one stays whole
// until the new one is whole, and nothing half-written stays behind. Ctrl+C used to take effect
// only once the export had finished (its work never gave the event loop a turn), and the
// Keras package replaced the old one by removing it first, then renaming the new one in.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ExportCancelled, exportExperiment } from '../../../src/trainer/export/index';
import { asideOf, recoverFolder, replaceFolder, type FolderOps } from '../../../src/trainer/export/replaceFolder';
import { ROOT, exampleDoc, tabularExperiment, tempDir } from '../trainer/helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Every file under `dir` with its bytes, to see that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true }).map(String).sort()
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
}

function folder(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Larger than Linux's largest pid (2^22): no process has it. */
const GONE = 4_194_305;

test('replacing a package: a rename that fails puts the earlier package back whole; without an earlier one the new one is simply put in place', () => {
  const dir = tempDir('replace-folder');
  const target = folder(path.join(dir, 'pkg'), { 'model.py': 'old', 'data/x.npz': 'old data' });
  const fresh = folder(path.join(dir, 'pkg.tmp-1'), { 'model.py': 'new' });
  const before = snapshot(target);
  // The fault: the new folder cannot be renamed in (a full disk, a permission, another device).
  const calls: string[] = [];
  const failing: FolderOps = {
    rename: (from, to) => {
      calls.push(`${path.basename(from)} -> ${path.basename(to)}`);
      if (from === fresh) throw Object.assign(new Error('EIO: i/o error, rename'), { code: 'EIO' });
      fs.renameSync(from, to);
    },
    remove: (t) => fs.rmSync(t, { recursive: true, force: true }),
  };
  assert.throws(() => replaceFolder(fresh, target, failing), /EIO/);
  assert.deepEqual(calls, [`pkg -> ${path.basename(asideOf(target))}`, `pkg.tmp-1 -> pkg`, `${path.basename(asideOf(target))} -> pkg`], 'the old package set aside first, then put back');
  assert.deepEqual(snapshot(target), before, 'the earlier package is whole');
  assert.equal(fs.existsSync(asideOf(target)), false);
  // With the real renames: the new package in place, nothing aside.
  replaceFolder(fresh, target);
  assert.deepEqual(snapshot(target), { 'model.py': Buffer.from('new').toString('base64') });
  assert.deepEqual(fs.readdirSync(dir), ['pkg']);
  const other = folder(path.join(dir, 'b.tmp-2'), { 'model.py': 'b' });
  replaceFolder(other, path.join(dir, 'b'));
  assert.deepEqual(fs.readdirSync(dir).sort(), ['b', 'pkg']);
});

test('an export killed between the renames: the next export of the folder puts the earlier package back first, and removes a half-written one', () => {
  const dir = tempDir('recover-folder');
  const target = path.join(dir, 'pkg');
  // What a process killed between "old aside" and "new in" leaves: no pkg, the old one aside, the new one beside.
  folder(asideOf(target, GONE), { 'model.py': 'old' });
  folder(`${target}.tmp-${GONE}`, { 'model.py': 'half' });
  // A live process's folders (this test's parent) are its own business.
  folder(asideOf(target, process.ppid), { 'model.py': 'busy' });
  recoverFolder(target, '.tmp-');
  assert.deepEqual(snapshot(target), { 'model.py': Buffer.from('old').toString('base64') });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['pkg', path.basename(asideOf(target, process.ppid))]);
  // With a package in place, an old one left aside is only removed.
  folder(asideOf(target, GONE), { 'model.py': 'older' });
  recoverFolder(target, '.tmp-');
  assert.deepEqual(snapshot(target), { 'model.py': Buffer.from('old').toString('base64') });
  assert.deepEqual(fs.readdirSync(dir).sort(), ['pkg', path.basename(asideOf(target, process.ppid))]);
});

test('an export asked to stop (Ctrl+C) while it writes stops before its package is in place: the earlier package and notebook stay as they were, nothing else is left', { timeout: 120_000 }, async () => {
  const { dir, file } = tabularExperiment('export-interrupted');
  const out = path.join(dir, 'out');
  const first = await exportExperiment(file, 'notebook', { outDir: out });
  assert.deepEqual(first.files.map((f) => path.basename(f)), ['tabular_csv', 'tabular_csv.ipynb']);
  fs.writeFileSync(path.join(out, 'tabular_csv', 'mine.txt'), 'a file of the earlier export');
  const before = snapshot(out);
  for (const to of ['keras', 'notebook'] as const) {
    // Stopped as soon as its temporary folder appears: the export is writing its files.
    const stop = new AbortController();
    let seen = '';
    const watcher = fs.watch(out, (_event, name) => {
      if (String(name).includes('.tmp-') && !stop.signal.aborted) { seen = String(name); stop.abort(); }
    });
    try {
      await assert.rejects(exportExperiment(file, to, { outDir: out, signal: stop.signal }), (err: unknown) => err instanceof ExportCancelled && /cancelled: nothing was written/.test(err.message));
    } finally {
      watcher.close();
    }
    assert.match(seen, /^tabular_csv\.tmp-\d+$/, 'stopped while writing');
    assert.deepEqual(snapshot(out), before, `${to}: the earlier export is as it was`);
    assert.deepEqual(fs.readdirSync(out).sort(), ['tabular_csv', 'tabular_csv.ipynb'], `${to}: nothing else left`);
  }
  // Stopped before it starts: nothing written where there was nothing.
  const stopped = new AbortController();
  stopped.abort();
  const fresh = path.join(dir, 'fresh');
  await assert.rejects(exportExperiment(file, 'keras', { outDir: fresh, signal: stopped.signal }), ExportCancelled);
  assert.deepEqual(fs.existsSync(fresh) ? fs.readdirSync(fresh) : [], []);
});

test('an ONNX export asked to stop keeps an earlier model.onnx and leaves nothing beside it', { timeout: 240_000 }, async () => {
  const dir = tempDir('export-interrupted-onnx');
  const doc = exampleDoc('correlated-regression') as { data: { source: Record<string, unknown> }; training: Record<string, unknown> };
  const brief = { ...doc, data: { ...doc.data, source: { ...doc.data.source, samples: 400 } }, training: { ...doc.training, epochs: 1 }, evaluation: { baselines: 'none' } };
  const file = path.join(dir, 'exp.mtl.json');
  fs.writeFileSync(file, JSON.stringify(brief));
  const trained = spawnSync(process.execPath, [CLI, 'train', file, '--out', path.join(dir, 'runs')], { encoding: 'utf8' });
  assert.equal(trained.status, 0, trained.stderr);
  const experimentDir = path.join(dir, 'runs', fs.readdirSync(path.join(dir, 'runs'))[0]!);
  const run = path.join(experimentDir, fs.readdirSync(experimentDir)[0]!);
  const out = path.join(dir, 'out');
  // What an ONNX export that quit at once (Ctrl+C twice) left: its staged model.onnx. The next export removes it.
  const left = folder(out, { [`.model.onnx.tmp-${GONE}-0badf00d`]: 'half a model' });
  await exportExperiment(run, 'onnx', { outDir: out });
  assert.deepEqual(fs.readdirSync(left), ['model.onnx'], 'the leftover of a gone export is removed');
  const before = snapshot(out);
  for (const stage of [0, 1]) {
    // Aborted at the first or the second turn of the event loop, while the run's files are read.
    const stop = new AbortController();
    let turns = 0;
    const tick = () => { if (turns++ === stage) stop.abort(); else setImmediate(tick); };
    setImmediate(tick);
    await assert.rejects(exportExperiment(run, 'onnx', { outDir: out, signal: stop.signal }), ExportCancelled);
    assert.deepEqual(snapshot(out), before, `stage ${stage}: model.onnx as it was, nothing beside it`);
  }
});

test('a notebook staged by an export that quit at once (Ctrl+C twice) is removed by the next export into the folder, whatever its format; a live export\'s is left alone', { timeout: 120_000 }, async () => {
  // The second Ctrl+C exits at once: the package's temporary folder was already recovered by the
  // next export (recoverFolder), but the notebook staged beside its name (.<name>.ipynb.tmp-<pid>-<hex>) stayed for ever.
  const { dir, file } = tabularExperiment('export-stale-notebook');
  const out = path.join(dir, 'out');
  const gone = `.tabular_csv.ipynb.tmp-${GONE}-0badf00d`;
  const live = `.tabular_csv.ipynb.tmp-${process.ppid}-0badf00d`;
  const other = `.other.ipynb.tmp-${GONE}-0badf00d`;
  folder(out, { [gone]: 'half a notebook', [live]: 'a notebook being written', [other]: 'another package\'s' });
  await exportExperiment(file, 'keras', { outDir: out });
  assert.deepEqual(fs.readdirSync(out).sort(), [live, other, 'tabular_csv'].sort(), 'only the gone export\'s notebook of this package is removed');
  folder(out, { [gone]: 'half a notebook' });
  await exportExperiment(file, 'notebook', { outDir: out });
  assert.deepEqual(fs.readdirSync(out).sort(), [live, other, 'tabular_csv', 'tabular_csv.ipynb'].sort());
});
