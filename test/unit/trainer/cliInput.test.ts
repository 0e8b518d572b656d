// Findings of the fuzz suite in the CLI's own reading of input (test/fuzz): an experiment
// file saved with a UTF-8 BOM, and `mts data` errors that name the spec field to fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { exampleDoc, ROOT, tempDir } from './helpers';

const mts = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), ...args], { encoding: 'utf8', cwd: ROOT });

test('validate and data accept an experiment file that starts with a UTF-8 BOM (Windows editors write one)', () => {
  const dir = tempDir('cli-bom');
  const file = path.join(dir, 'bom.mtl.json');
  fs.writeFileSync(file, `\uFEFF${JSON.stringify(exampleDoc('correlated-regression'), null, 2)}`);
  const v = mts('validate', file);
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^valid/m);
  const d = mts('data', file);
  assert.equal(d.status, 0, d.stderr);
  // Two are one too many, and said where.
  fs.writeFileSync(file, `\uFEFF\uFEFF{}`);
  assert.match(mts('validate', file).stderr, /bom\.mtl\.json:1:2: error: not valid JSON/);
});

test('data: a data file that is not there is reported at the line of data.source.path', () => {
  const dir = tempDir('cli-data-missing');
  const doc = exampleDoc('tabular-csv') as { data: { source: { path: string } } };
  doc.data.source.path = 'nowhere.csv';
  const file = path.join(dir, 'missing.mtl.json');
  const text = JSON.stringify(doc, null, 2);
  fs.writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.includes('"nowhere.csv"')) + 1;
  const r = mts('data', file);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`missing\\.mtl\\.json:${line}:\\d+: error: .*nowhere\\.csv`));
});

const mtsBounded = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 30_000, killSignal: 'SIGKILL' });

test('--threads past 256 is a usage error (1e9 crashed the native library, 99999 never started)', () => {
  const r = mtsBounded('info', '--threads', '1e9');
  assert.equal(r.status, 2, `status ${r.status} signal ${r.signal}`);
  assert.match(r.stderr, /--threads must be at most 256 \(got 1e9\)/);
});

test('--name=value keeps everything after the first "=" as the value', () => {
  const r = mts('train', 'x.mtl.json', '--epochs=3=4');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--epochs must be a whole number >= 1 \(got 3=4\)/);
});

test('train --out: a file in the way, or a folder that cannot be made, is a usage error before any work', () => {
  const dir = tempDir('cli-out');
  const file = path.join(dir, 'exp.mtl.json');
  const doc = exampleDoc('correlated-regression') as { data: { source: { samples: number } } };
  doc.data.source.samples = 300;
  fs.writeFileSync(file, JSON.stringify(doc));
  const blocker = path.join(dir, 'a-file');
  fs.writeFileSync(blocker, 'x');
  const r = mtsBounded('train', file, '--epochs', '1', '--out', path.join(blocker, 'runs'));
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out .*a-file is a file, not a folder/);
  assert.doesNotMatch(r.stdout, /training/);
  if (fs.existsSync('/proc/self')) {
    // Node's recursive mkdir never returns for a missing folder under /proc.
    const p = mtsBounded('train', file, '--epochs', '1', '--out', '/proc/mts-fuzz/runs');
    assert.equal(p.status, 2, `status ${p.status} signal ${p.signal}`);
    assert.match(p.stderr, /--out \/proc\/mts-fuzz\/runs: cannot create the folder \/proc\/mts-fuzz: .*\(E[A-Z]+\)/);
  }
  const ok = mtsBounded('train', file, '--epochs', '1', '--out', path.join(dir, 'new', 'runs'));
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'new', 'runs', 'correlated-regression')));
});

test('a folder given as FILE is named as a folder', () => {
  const r = mts('validate', tempDir('cli-dir'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cannot read .*: it is a folder, not a file \(EISDIR\)/);
});

test('train: a data problem found while loading is printed at the line of the spec field it names', () => {
  const dir = tempDir('cli-train-data');
  const doc = exampleDoc('tabular-csv') as { data: { source: { path: string } } };
  doc.data.source.path = 'nowhere.csv';
  const text = JSON.stringify(doc, null, 2);
  const file = path.join(dir, 'gone.mtl.json');
  fs.writeFileSync(file, text);
  const line = text.split('\n').findIndex((l) => l.includes('"nowhere.csv"')) + 1;
  const r = mtsBounded('train', file, '--epochs', '1', '--out', path.join(dir, 'runs'));
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`gone\\.mtl\\.json:${line}:\\d+: error: .*nowhere\\.csv`));
});

test('robustness: a folder that is not a finished run, and bad options, are said plainly', () => {
  const dir = tempDir('cli-robustness');
  const notRun = mts('robustness', dir);
  assert.equal(notRun.status, 1);
  assert.match(notRun.stderr, /not a finished run folder \(it needs experiment\.json and model\/model\.json\)/);
  const badAttack = mts('robustness', dir, '--attacks', 'fgsm,cw');
  assert.equal(badAttack.status, 2);
  assert.match(badAttack.stderr, /--attacks must be fgsm, pgd or both/);
  assert.match(mts('robustness', dir, '--eps', '0.1,-1').stderr, /--eps must be numbers >= 0/);
});

test('explain: a bad --baseline is a usage error; a folder that is not a run is said plainly', () => {
  const dir = tempDir('cli-explain');
  const bad = mts('explain', dir, '--baseline', 'noise');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--baseline must be zeros or mean/);
  assert.match(mts('explain', dir).stderr, /not a finished run folder/);
});

test('export --to onnx of an experiment file (not a trained run) says to export the run folder', () => {
  const r = mts('export', path.join(ROOT, 'examples', 'digits-parity', 'digits-parity.mtl.json'), '--to', 'onnx', '--out', tempDir('cli-onnx'));
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /--to onnx exports a trained run: .* is not a run folder with model\/model\.json/);
});
