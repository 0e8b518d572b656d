// Options a command does not use, and empty paths: `mts export --epochs 5` exported and ignored
// --epochs; `mts export --out ''` exported into the current folder. Both are now usage errors
// (exit 2) in one line that names the option (and the command's own options), before any work.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, tabularExperiment, tempDir } from './helpers';

const mtsIn = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), ...args], { encoding: 'utf8', cwd, timeout: 60_000, killSignal: 'SIGKILL' });

/** Every name under `dir`, to see that nothing was written. */
const listing = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).sort();

test('an option a command does not take is a usage error naming the command\'s own options; nothing is written', () => {
  const { dir, file } = tabularExperiment('cli-options');
  const before = listing(dir);
  for (const [args, line] of [
    [['export', file, '--to', 'keras', '--epochs', '5'], 'mts export does not take --epochs (its options: --to, --out, --workspace, --allow-path)'],
    [['export', file, '--to', 'keras', '--threads=2'], 'mts export does not take --threads (its options: --to, --out, --workspace, --allow-path)'],
    [['export', file, '--json', '--to', 'keras'], 'mts export does not take --json (its options: --to, --out, --workspace, --allow-path)'],
    [['validate', file, '--out', 'runs'], 'mts validate does not take --out (its options: --max-memory, --allow-path)'],
    [['data', file, '--epochs', '1'], 'mts data does not take --epochs (its options: --max-memory, --allow-path)'],
    [['info', '--out', 'runs'], 'mts info does not take --out (its options: --backend, --threads)'],
    [['train', file, '--to', 'keras'], 'mts train does not take --to (its options: --epochs, --backend, --threads, --out, --max-memory, --allow-path)'],
    [['train', file, '--json'], 'mts train does not take --json (its options: --epochs, --backend, --threads, --out, --max-memory, --allow-path)'],
    [['study', file, '--workspace', dir], 'mts study does not take --workspace (its options: --json, --resume, --epochs, --backend, --threads, --out, --max-memory, --allow-path)'],
    [['robustness', dir, '--baseline', 'zeros'], 'mts robustness does not take --baseline (its options: --eps, --attacks, --steps, --examples, --workspace, --backend, --threads, --allow-path)'],
    [['explain', dir, '--eps', '0.1'], 'mts explain does not take --eps (its options: --examples, --steps, --baseline, --workspace, --backend, --threads, --allow-path)'],
    [['export', file, '--frobnicate', '1'], 'unknown option --frobnicate'],
  ] as const) {
    const r = mtsIn(dir, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.split('\n')[0], `mts: ${line}`, args.join(' '));
  }
  assert.deepEqual(listing(dir), before, 'nothing written');
});

test('an empty path (--out, --workspace, --resume, --allow-path) is a usage error; nothing is written in the current folder', () => {
  const { dir, file } = tabularExperiment('cli-empty-path');
  const run = tempDir('cli-empty-path-run');
  const study = path.join(dir, 'exp.mtl-study.json');
  fs.writeFileSync(study, JSON.stringify({ experiment: 'exp.mtl.json', variants: [{ name: 'a' }], seeds: [1] }));
  const before = listing(dir);
  for (const [args, name] of [
    [['export', file, '--to', 'keras', '--out', ''], 'out'],
    [['export', file, '--to', 'notebook', '--out='], 'out'],
    [['export', file, '--to', 'keras', '--workspace', ''], 'workspace'],
    [['export', file, '--to', 'keras', '--allow-path', ''], 'allow-path'],
    [['train', file, '--out', ''], 'out'],
    [['study', study, '--out', ''], 'out'],
    [['study', study, '--resume', ''], 'resume'],
    [['validate', file, '--allow-path='], 'allow-path'],
    [['robustness', run, '--workspace', ''], 'workspace'],
    [['explain', run, '--workspace', ''], 'workspace'],
  ] as const) {
    const r = mtsIn(dir, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.split('\n')[0], `mts: --${name} needs a path (got an empty one)`, args.join(' '));
  }
  assert.deepEqual(listing(dir), before, 'nothing written');
  // The options as documented still work: an export with its own options writes its package.
  const ok = mtsIn(dir, 'export', file, '--to', 'keras', '--out', 'pkg', '--workspace', dir);
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(fs.existsSync(path.join(dir, 'pkg', 'tabular_csv', 'model.py')));
});

test('an option where a value belongs is refused (write --out=--x for such a value); --workspace must be a folder, never the root or home', () => {
  const { dir, file } = tabularExperiment('cli-option-values');
  const run = tempDir('cli-option-values-run');
  const before = listing(dir);
  for (const [args, line] of [
    // `--out --examples` made a folder named --examples.
    [['export', file, '--to', 'keras', '--out', '--examples'], '--out needs a value, not the option --examples (write --out=--examples for a value that starts with --)'],
    [['train', file, '--out', '--epochs', '1'], '--out needs a value, not the option --epochs (write --out=--epochs for a value that starts with --)'],
    [['study', file, '--resume', '--json'], '--resume needs a value, not the option --json (write --resume=--json for a value that starts with --)'],
    // `--workspace /` failed with exit 1 (data read from /data.csv); the home folder opens as much.
    [['explain', run, '--workspace', '/'], "--workspace /: the file system's root is never a workspace (data paths would reach every file below it); name the folder that holds the experiment's data"],
    [['export', file, '--to', 'keras', '--workspace', os.homedir()], `--workspace ${os.homedir()}: the home folder is never a workspace (data paths would reach every file below it); name the folder that holds the experiment's data`],
    [['robustness', run, '--workspace', 'nope'], '--workspace nope: no such folder'],
    [['export', file, '--to', 'keras', '--workspace', 'patients.csv'], '--workspace patients.csv: not a folder'],
  ] as const) {
    const r = mtsIn(dir, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.split('\n')[0], `mts: ${line}`, args.join(' '));
  }
  assert.deepEqual(listing(dir), before, 'nothing written');
  // Written with "=", a value that starts with -- is a value: the package goes into the folder --pkg.
  const ok = mtsIn(dir, 'export', file, '--to', 'keras', '--out=--pkg', '--workspace', '.');
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok(fs.existsSync(path.join(dir, '--pkg', 'tabular_csv', 'model.py')));
});
