// The fuzz oracle's rules for `mts` command lines (test/fuzz/cliContract.ts and judgeCommandLine),
// for what a command writes (judgeWrites), for a refused study (judgeNamesField) and for study
// folders (judgeRuns): each rule fails on the outcome it describes and passes the right one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { offenders } from '../../fuzz/cliContract';
import { judgeBounds, judgeCommandLine, judgeNamesField, judgeRuns, judgeWrites, type CommandLineFiles, type ProcessOutcome } from '../../fuzz/oracle';
import { filesOf, refusesRepeats } from '../../fuzz/runner';
import { compare, snapshot } from '../../fuzz/workspaceSnapshot';
import { tempDir } from '../../tempFolders';

const USAGE = 'usage:\n  mts train FILE [--epochs N]\n  mts explain RUN_FOLDER [--steps N]';
const outcome = (status: number, stderr = ''): ProcessOutcome => ({ status, signal: null, timedOut: false, stdout: '', stderr });
const refused = (line: string) => outcome(2, `mts: ${line}\n${USAGE}\n`);
const judged = (o: ProcessOutcome, argv: string[], files?: CommandLineFiles) => judgeCommandLine(o, argv, files).map((f) => f.message.replace(/:.*$/, ''));

test('what the documented command line refuses: unknown and foreign options, values out of the experiment\'s bounds, empty values, a missing or extra operand', () => {
  // A good command line of each kind: nothing to refuse.
  assert.deepEqual(offenders(['robustness', 'runs/a/b', '--eps', '0,0.1', '--attacks', 'fgsm,pgd', '--steps', '1000', '--examples', '1000000']), []);
  assert.deepEqual(offenders(['explain', 'runs/a/b', '--examples=100', '--baseline', 'mean', '--workspace', '.']), []);
  assert.deepEqual(offenders(['study', 's.mtl-study.json', '--json', '--epochs', '100000', '--max-memory', '512MB']), []);
  assert.deepEqual(offenders(['info']), []);
  // Bounds: evaluation.explain.steps <= 1000, .examples <= 100; robustness examples <= 1e6; training.epochs <= 100000.
  assert.deepEqual(offenders(['explain', 'r', '--steps', '1001', '--examples', '101']), ['--steps', '--examples']);
  assert.deepEqual(offenders(['robustness', 'r', '--examples', '1000001', '--steps', '0']), ['--examples', '--steps']);
  assert.deepEqual(offenders(['train', 'f', '--epochs', '100001']), ['--epochs']);
  // Number('') is 0: an empty item of --eps is no radius; 1e999 is not finite; 21 radii are one too many.
  assert.deepEqual(offenders(['robustness', 'r', '--eps', '']), ['--eps']);
  assert.deepEqual(offenders(['robustness', 'r', '--eps=0.1,']), ['--eps']);
  assert.deepEqual(offenders(['robustness', 'r', '--eps', '1e999']), ['--eps']);
  assert.deepEqual(offenders(['robustness', 'r', '--eps', Array(21).fill('0.1').join(',')]), ['--eps']);
  assert.deepEqual(offenders(['robustness', 'r', '--attacks', 'fgsm,']), ['--attacks']);
  // --json takes no value; an option of another command; an empty path.
  assert.deepEqual(offenders(['study', 's', '--json=false']), ['--json']);
  assert.deepEqual(offenders(['train', 'f', '--json']), ['--json']);
  assert.deepEqual(offenders(['explain', 'r', '--eps', '0.1']), ['--eps']);
  assert.deepEqual(offenders(['train', 'f', '--out', '']), ['--out']);
  // Operands: missing, empty, one too many; a required option missing; the command itself.
  assert.deepEqual(offenders(['explain']), ['RUN_FOLDER']);
  assert.deepEqual(offenders(['train', '']), ['FILE']);
  assert.deepEqual(offenders(['train', 'a.json', 'b.json']), ['b.json']);
  assert.deepEqual(offenders(['info', '']), ['""']);
  assert.deepEqual(offenders(['export', 'a.json']), ['--to']);
  assert.deepEqual(offenders(['frobnicate', '--epochs', '2']), ['frobnicate']);
  assert.deepEqual(offenders([]), ['missing command']);
  // `--out --examples 1`: an option is not a value (`--out=--examples` is): --out has none, and train takes no --examples.
  assert.deepEqual(offenders(['train', 'f', '--out', '--examples', '1']), ['--out', '--examples']);
  assert.deepEqual(offenders(['train', 'f', '--out=--examples']), []);
  assert.deepEqual(offenders(['study', 's', '--resume', '--json']), ['--resume']);
});

test('command-line rules: a refusal is exit 2 and one line naming what is wrong; a good line is not refused', () => {
  const bad = ['explain', 'runs/a/b', '--steps', '1001'];
  assert.deepEqual(judged(refused('--steps must be at most 1000 (got 1001)'), bad), []);
  assert.deepEqual(judged(outcome(0), bad), ['exit 0, not 2, with --steps to refuse']);
  assert.deepEqual(judged(outcome(1, 'mts: training failed'), bad), ['exit 1, not 2, with --steps to refuse']);
  assert.deepEqual(judged(refused('--examples must be at most 100 (got 101)'), bad), ['the refusal names none of --steps']);
  assert.deepEqual(judged(outcome(2, '--steps must be at most 1000\n'), bad), ['exit 2 without a "mts']);
  assert.deepEqual(judged(outcome(2, `mts: --steps is wrong\nthe maximum is 1000\n${USAGE}`), bad), ['a usage error of more than one line']);
  // A good command line refused; a refusal that names an argument whose fate depends on the files is right.
  const good = ['train', 'experiment.mtl.json', '--epochs', '2', '--out', 'data.csv'];
  assert.deepEqual(judged(outcome(0), good, { mayRefuse: ['--out'] }), []);
  assert.deepEqual(judged(refused('--out data.csv: /w/data.csv is a file, not a folder'), good, { mayRefuse: ['--out'] }), []);
  assert.deepEqual(judged(refused('--epochs must be a whole number >= 1 (got 2)'), good, { mayRefuse: ['--out'] }), ['a documented command line refused']);
  // An operand that is not there is unreadable: exit 2 naming it (a missing FILE always was).
  assert.deepEqual(judged(outcome(1, 'nope: not a finished run folder'), ['explain', 'nope'], { unreadable: ['nope'] }), ['exit 1, not 2, with nope to refuse']);
  assert.deepEqual(judged(refused('cannot read nope: no such file or folder'), ['explain', 'nope'], { unreadable: ['nope'] }), []);
  // An operand by its usage name; an unknown command by itself; a second operand by its text.
  assert.deepEqual(judged(refused('missing RUN_FOLDER'), ['explain']), []);
  assert.deepEqual(judged(refused('missing FILE or RUN_FOLDER (mts export needs an experiment file or a run folder)'), ['export', '', '--to', 'keras']), []);
  assert.deepEqual(judged(refused('unknown command frobnicate'), ['frobnicate']), []);
  assert.deepEqual(judged(outcome(0), ['train', 'a.json', 'b.json']), ['exit 0, not 2, with b.json to refuse']);
  assert.deepEqual(judged(refused('unexpected argument b.json (mts train takes one FILE)'), ['train', 'a.json', 'b.json']), []);
  // Killed by the timeout: the hang rule speaks, not this one.
  assert.deepEqual(judged({ ...outcome(0), status: null, timedOut: true }, bad), []);
});

test('a --workspace that is no folder, or the root or home (the case folder: HOME of the child), must be refused; a folder in it need not be', () => {
  const dir = tempDir('oracle-workspace');
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'data.csv'), 'a\n1\n');
  const must = (value: string) => filesOf(dir, ['explain', 'sub', '--workspace', value]).unreadable;
  for (const bad of ['/', '.', 'nope', 'data.csv']) assert.deepEqual(must(bad), ['--workspace'], bad);
  for (const good of ['sub', 'sub/..//sub']) assert.deepEqual(must(good), [], good);
  // `mts explain sub --workspace /` failing with exit 1 is now a finding.
  assert.deepEqual(judged(outcome(1, 'mts: cannot read /data.csv'), ['explain', 'sub', '--workspace', '/'], filesOf(dir, ['explain', 'sub', '--workspace', '/'])),
    ['exit 1, not 2, with --workspace to refuse']);
});

test('one setting, one bound: repeats 1 to 100 in an experiment and in a study, each refused one past either end', () => {
  // Hand-worked: the documented ends are 1 and 100, so 0 and 101 are refused, 1 and 100 accepted, in both files.
  const seen: string[] = [];
  const asDocumented = (file: 'experiment' | 'study', _s: 'repeats', v: number) => { seen.push(`${file} ${v}`); return v < 1 || v > 100; };
  assert.deepEqual(judgeBounds(asDocumented), []);
  assert.deepEqual(seen, ['experiment 0', 'experiment 1', 'experiment 100', 'experiment 101', 'study 0', 'study 1', 'study 100', 'study 101']);
  // The experiment's old bound, 50: its 100 refused.
  const experimentAt50 = (file: 'experiment' | 'study', _s: 'repeats', v: number) => v < 1 || v > (file === 'experiment' ? 50 : 100);
  assert.deepEqual(judgeBounds(experimentAt50).map((f) => f.message), ['experiment repeats 100 refused: documented 1 to 100']);
  // The files' own checks (core validate, checkStudy), as the study layer of the fuzz runs them.
  assert.deepEqual(judgeBounds(refusesRepeats), []);
});

function workspace(files: Record<string, string>): string {
  const dir = tempDir('oracle-writes');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('write rules: a refusal writes nothing, nothing that was there changes or goes, a failure leaves files only where its runs go', () => {
  const files = { 'experiment.mtl.json': '{"name":"x"}', 'data.csv': 'a,b\n1,2\n', 'sub/.keep': '' };
  const after = (edit: (dir: string) => void) => {
    const dir = workspace(files);
    const before = snapshot(dir);
    edit(dir);
    return compare(before, snapshot(dir));
  };
  const messages = (change: ReturnType<typeof compare>, status: number) => judgeWrites(change, status, ['runs']).map((f) => f.message);
  const nothing = after(() => {});
  assert.deepEqual(messages(nothing, 2), []);
  // V8's code cache under HOME (the case folder) is not the command's writing.
  assert.deepEqual(messages(after((d) => { fs.mkdirSync(path.join(d, '.cache', 'x'), { recursive: true }); fs.writeFileSync(path.join(d, '.cache', 'x', 'c'), '1'); }), 2), []);
  assert.deepEqual(messages(after((d) => fs.mkdirSync(path.join(d, 'export'))), 2), ['refused (exit 2) but wrote export']);
  assert.deepEqual(messages(after((d) => fs.writeFileSync(path.join(d, 'data.csv'), 'a,b\n1,3\n')), 0), ['changed what was there: data.csv']);
  assert.deepEqual(messages(after((d) => fs.rmSync(path.join(d, 'experiment.mtl.json'))), 1), ['removed what was there: experiment.mtl.json']);
  const run = (d: string) => { fs.mkdirSync(path.join(d, 'runs', 'x', 'r1'), { recursive: true }); fs.writeFileSync(path.join(d, 'runs', 'x', 'r1', 'run.json'), '{}'); };
  assert.deepEqual(messages(after(run), 1), []);
  assert.deepEqual(messages(after(run), 2), ['refused (exit 2) but wrote runs, runs/x, runs/x/r1']);
  assert.deepEqual(messages(after((d) => fs.writeFileSync(path.join(d, 'sub', 'half.json'), '{')), 1), ['failed (exit 1) and left sub/half.json']);
  assert.deepEqual(messages(after((d) => fs.writeFileSync(path.join(d, 'sub', 'done.json'), '{}')), 0), []);
});

test('a refused study names a field that was made bad', () => {
  const fields = (stderr: string, f: string[], status = 1) => judgeNamesField(outcome(status, stderr), f).map((x) => x.category);
  assert.deepEqual(fields('s.mtl-study.json:4:14: error: must be at most 100 (repeats)', ['repeats']), []);
  assert.deepEqual(fields('s.mtl-study.json:7:5: error: Unknown task "x" (variants.groupings.0.0.0)', ['variants.groupings']), []);
  assert.deepEqual(fields('error: the study failed', ['variants.groupings']), ['unlocated']);
  assert.deepEqual(fields('s.mtl-study.json:4:14: error: must be at most 100 (repeats)', ['variants.groupings']), ['unlocated']);
  assert.deepEqual(fields('', ['repeats'], 0), []);
});

test('study folders: study.json left "running" or disagreeing with the exit code is caught; a finished study and its runs pass', () => {
  const runs = tempDir('oracle-study');
  const study = (status: string, runStatus: string) => {
    const dir = path.join(runs, 'exp', `study-${status}-${runStatus}`);
    fs.rmSync(path.join(runs, 'exp'), { recursive: true, force: true });
    fs.mkdirSync(path.join(dir, 'as-designed-r0'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'charts'));
    fs.mkdirSync(path.join(dir, 'hparams'));
    fs.writeFileSync(path.join(dir, 'study.json'), JSON.stringify({ status }));
    fs.writeFileSync(path.join(dir, 'as-designed-r0', 'run.json'), JSON.stringify({ status: runStatus, ...(runStatus === 'failed' ? { error: { message: 'x' } } : {}) }));
    return runs;
  };
  const messages = (r: string, exit: number) => judgeRuns(r, exit, false, 'cli-study').map((f) => f.message);
  assert.deepEqual(messages(study('completed', 'completed'), 0), []);
  assert.deepEqual(messages(study('failed', 'failed'), 1), []);
  // A study whose first run completed and second failed exits 1: its runs do not answer for the exit code.
  assert.deepEqual(messages(study('failed', 'completed'), 1), []);
  assert.deepEqual(messages(study('running', 'completed'), 1), ['study-running-completed: study.json still "running" after the process ended']);
  assert.deepEqual(messages(study('completed', 'completed'), 1), ['study-completed-completed: study.json "completed" but the process exited 1']);
  assert.deepEqual(messages(study('failed', 'failed'), 0), ['study-failed-failed: exit 0 but study.json is "failed"']);
  assert.deepEqual(messages(study('completed', 'running'), 0), ['as-designed-r0: run.json still "running" after the process ended']);
});
