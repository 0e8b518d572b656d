// Findings of the fuzz campaign's command-line oracle (test/fuzz/cliContract.ts) in `mts`'s
// arguments: values the experiment bounds accepted without one (`--steps 1e9` ran until stopped),
// an empty `--eps` attacking at ε 0, `--json=false` turning JSON on, a second operand read as
// nothing, a run folder that is not there told as exit 1 (a missing FILE is 2), and a study's
// run explained against the wrong folder. Each refusal: exit 2, one line naming the argument, nothing written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, tabularExperiment } from './helpers';

const mtsIn = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), ...args], { encoding: 'utf8', cwd, timeout: 120_000, killSignal: 'SIGKILL' });
const listing = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).sort();

/** A folder that passes savedRunProblem (experiment.json and model/model.json), so that only the options are judged. */
function runLikeFolder(dir: string): string {
  const run = path.join(dir, 'runs', 'exp', 'run-1');
  fs.mkdirSync(path.join(run, 'model'), { recursive: true });
  fs.writeFileSync(path.join(run, 'experiment.json'), '{}');
  fs.writeFileSync(path.join(run, 'model', 'model.json'), '{}');
  return run;
}

test('values past the bounds the same settings have in an experiment, an empty --eps and --json=value are usage errors naming the option', () => {
  const { dir, file } = tabularExperiment('cli-arguments-bounds');
  const run = runLikeFolder(dir);
  fs.writeFileSync(path.join(dir, 'exp.mtl-study.json'), JSON.stringify({ name: 's', experiment: path.basename(file), variants: { singleTask: false } }));
  const before = listing(dir);
  const many = Array.from({ length: 21 }, (_, i) => String(i / 100)).join(',');
  for (const [args, line] of [
    [['train', file, '--epochs', '100001'], '--epochs must be at most 100000 (got 100001)'],
    [['study', 'exp.mtl-study.json', '--epochs=1e9'], '--epochs must be at most 100000 (got 1e9)'],
    [['explain', run, '--steps', '1001'], '--steps must be at most 1000 (got 1001)'],
    [['explain', run, '--examples', '101'], '--examples must be at most 100 (got 101)'],
    [['robustness', run, '--steps', '1e9'], '--steps must be at most 1000 (got 1e9)'],
    [['robustness', run, '--examples', '1000001'], '--examples must be at most 1000000 (got 1000001)'],
    [['robustness', run, '--eps', ''], '--eps must be numbers >= 0 separated by commas, each at most 1000000 and at most 20 of them (got an empty value)'],
    [['robustness', run, '--eps=0.1,'], '--eps must be numbers >= 0 separated by commas, each at most 1000000 and at most 20 of them (got 0.1,)'],
    [['robustness', run, '--eps', ','], '--eps must be numbers >= 0 separated by commas, each at most 1000000 and at most 20 of them (got ,)'],
    [['robustness', run, '--eps', '2e6'], '--eps must be numbers >= 0 separated by commas, each at most 1000000 and at most 20 of them (got 2e6)'],
    [['robustness', run, '--eps', many], `--eps must be numbers >= 0 separated by commas, each at most 1000000 and at most 20 of them (got ${many})`],
    [['study', 'exp.mtl-study.json', '--json=false'], '--json takes no value (got --json=false)'],
  ] as const) {
    const r = mtsIn(dir, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.split('\n')[0], `mts: ${line}`, args.join(' '));
  }
  assert.deepEqual(listing(dir), before, 'nothing written');
});

test('a second operand, and a run folder or export source that is not there, are usage errors naming it (exit 2, as a missing FILE)', () => {
  const { dir, file } = tabularExperiment('cli-arguments-operands');
  const before = listing(dir);
  for (const [args, line] of [
    [['train', file, 'other.mtl.json'], 'unexpected argument other.mtl.json (mts train takes one FILE)'],
    [['validate', file, ''], 'unexpected argument "" (mts validate takes one FILE)'],
    [['info', 'extra'], 'unexpected argument extra (mts info takes none)'],
    [['explain', 'runs/a/b', 'runs/a/c'], 'unexpected argument runs/a/c (mts explain takes one RUN_FOLDER)'],
    [['explain', 'nope'], 'cannot read nope: no such file or folder'],
    [['robustness', 'runs/nope'], 'cannot read runs/nope: no such file or folder'],
    [['export', 'nope.mtl.json', '--to', 'keras'], 'cannot read nope.mtl.json: no such file or folder'],
    [['train', 'nope.mtl.json'], 'cannot read nope.mtl.json: no such file or folder (ENOENT)'],
    // As the other commands say theirs (the fuzz oracle found this one unlocated).
    [['export', ''], 'missing FILE or RUN_FOLDER (mts export needs an experiment file or a run folder)'],
  ] as const) {
    const r = mtsIn(dir, ...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.split('\n')[0], `mts: ${line}`, args.join(' '));
  }
  assert.deepEqual(listing(dir), before, 'nothing written');
});

test('mts explain of a run of a study (a level deeper than a run) reads the data from the study\'s workspace', () => {
  const { dir, file } = tabularExperiment('cli-arguments-study-run');
  fs.writeFileSync(path.join(dir, 'exp.mtl-study.json'), JSON.stringify({ name: 's', experiment: path.basename(file), repeats: 1, variants: { singleTask: false } }));
  const study = mtsIn(dir, 'study', 'exp.mtl-study.json', '--epochs', '1', '--threads', '1');
  assert.equal(study.status, 0, study.stderr);
  const studyDir = /^study folder: (.+)$/m.exec(study.stdout)?.[1];
  assert.ok(studyDir, study.stdout);
  const run = path.join(studyDir, 'as-designed-r0');
  assert.ok(fs.existsSync(path.join(dir, run, 'model', 'model.json')), `a saved model in ${run}`);
  // Before: "Data file 'data.csv' not found (looked for <dir>/runs/data.csv)", exit 1.
  const r = mtsIn(dir, 'explain', run, '--examples', '1', '--steps', '2', '--threads', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /written: .*explain-saved-model\.json/);
});
