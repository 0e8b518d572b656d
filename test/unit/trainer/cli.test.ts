// The headless CLI as a user runs it: messages at file:line:column with the JSON path,
// documented exit codes, no run folder for a document with problems.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { embeddingPastInputDim, exampleDoc, ROOT, tempDir } from './helpers';

const mts = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), ...args], { encoding: 'utf8', cwd: ROOT });

function writeDoc(dir: string, name: string, doc: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2));
  return file;
}

test('validate: a dangling reference is reported at its line with the JSON path; exit 1', () => {
  const dir = tempDir('cli');
  const doc = exampleDoc('digits-parity') as { model: { layers: Array<{ from: string[] }> } };
  doc.model.layers[1]!.from = ['trunk9'];
  const file = writeDoc(dir, 'bad.mtl.json', doc);
  const r = mts('validate', file);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /bad\.mtl\.json:\d+:\d+: error: .*"trunk9".*\(model\.layers\.1\.from\.0\)/);
});

test('train refuses a cycle and invalid JSON with exit 1 and writes no run folder', () => {
  const dir = tempDir('cli-train');
  const doc = exampleDoc('digits-parity') as { model: { layers: Array<{ id: string; from: string[] }> } };
  doc.model.layers[0]!.from = ['trunk2'];
  const cyclic = writeDoc(dir, 'cycle.mtl.json', doc);
  const r = mts('train', cyclic, '--out', path.join(dir, 'runs'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cycle/i);
  const broken = writeDoc(dir, 'broken.mtl.json', '{ "name": "x", ');
  const r2 = mts('train', broken, '--out', path.join(dir, 'runs'));
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /broken\.mtl\.json:1:\d+: error: not valid JSON/);
  assert.equal(fs.existsSync(path.join(dir, 'runs')), false);
});

test('usage errors exit 2 with the usage text', () => {
  const r = mts('train');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing FILE/);
  assert.match(r.stderr, /usage:/);
  assert.equal(mts('train', 'x.mtl.json', '--backend', 'gpu').status, 2);
  assert.equal(mts('train', 'x.mtl.json', '--epochs', '0').status, 2);
  assert.match(mts('train', 'x.mtl.json', '--threads', '0').stderr, /--threads must be a whole number >= 1 \(got 0\)/);
  assert.equal(mts('frobnicate').status, 2);
  assert.equal(mts('validate', path.join(tempDir('cli-missing'), 'nope.mtl.json')).status, 2);
});

test('info names the native backend and its TensorFlow version; --threads sets the thread count', () => {
  const r = mts('info');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^backend: tensorflow$/m);
  assert.match(r.stdout, /^tensorflow: 2\.\d+/m);
  assert.match(mts('info', '--threads', '3').stdout, /^threads: 3$/m);
});

test('train prints one line per epoch off a terminal and exits 0', { timeout: 120_000 }, () => {
  const dir = tempDir('cli-ok');
  const doc = { ...exampleDoc('correlated-regression'), evaluation: { baselines: 'none' } } as Record<string, unknown>;
  (doc.data as { source: Record<string, unknown> }).source.samples = 600;
  const file = writeDoc(dir, 'small.mtl.json', doc);
  const r = mts('train', file, '--epochs', '2');
  assert.equal(r.status, 0, r.stderr);
  assert.equal((r.stdout.match(/epoch \d\/2:/g) ?? []).length, 2);
  assert.match(r.stdout, /^TensorFlow intra-op threads: 1 \(automatic: a small model runs faster on one\)\.$/m);
  const two = mts('train', file, '--epochs', '1', '--threads', '2');
  assert.equal(two.status, 0, two.stderr);
  assert.match(two.stdout, /^TensorFlow intra-op threads: 2 \(requested: setting or --threads\)\.$/m);
  assert.ok(fs.existsSync(path.join(dir, 'runs', 'correlated-regression')), 'runs/ next to the file by default');
});

test('train splits the fused step of digits-parity at batch 256 in halves on two cores; --threads 1 keeps it whole', { timeout: 120_000, skip: os.availableParallelism() < 2 }, () => {
  const dir = tempDir('cli-halves');
  const doc = exampleDoc('digits-parity') as { training: Record<string, unknown>; evaluation?: Record<string, unknown> };
  doc.training = { ...doc.training, batchSize: 256, epochs: 1 };
  doc.evaluation = { ...doc.evaluation, baselines: 'none' };
  const file = writeDoc(dir, 'halves.mtl.json', doc);
  const r = mts('train', file);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^TensorFlow intra-op threads: 1 \(automatic: a small model runs faster on one\); the fused step in halves, side by side on two inter-op threads\.$/m);
  assert.match(r.stdout, /training step fused graph; each batch in two halves, side by side/);
  const one = mts('train', file, '--threads', '1');
  assert.equal(one.status, 0, one.stderr);
  assert.match(one.stdout, /^TensorFlow intra-op threads: 1 \(requested: setting or --threads\)\.$/m);
  assert.match(one.stdout, /training step fused graph(?!;)/);
  assert.doesNotMatch(one.stdout, /two halves/);
});

test('data: the class balance of the tabular example as training splits it; a bad target exits 1 with validate\'s message, at the target', () => {
  const r = mts('data', path.join('examples', 'tabular-csv', 'tabular-csv.mtl.json'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^2,000 examples \(csv/);
  assert.match(r.stdout, /split: 1,400 train, 300 validation, 300 test \(seed 7, stratified by readmitted\)/);
  const rows = ['no', 'yes'].map((name) => r.stdout.split('\n').find((l) => l.trim().startsWith(`${name} `))!.trim().split(/\s+/));
  // name, all, (share), train, validation, test: every class's splits add up to its total.
  for (const [, all, , ...splits] of rows) assert.equal(splits.reduce((a, b) => a + Number(b.replace(',', '')), 0), Number(all!.replace(',', '')));
  const dir = tempDir('cli-data');
  fs.copyFileSync(path.join(ROOT, 'examples', 'tabular-csv', 'patients.csv'), path.join(dir, 'patients.csv'));
  const doc = exampleDoc('tabular-csv') as { tasks: Array<{ target: string }> };
  doc.tasks[1]!.target = 'stay_days';
  const bad = mts('data', writeDoc(dir, 'bad.mtl.json', doc));
  assert.equal(bad.status, 1);
  // A header read tells (core checkData): the message `mts validate`, a run and the designer give.
  assert.match(bad.stderr, /bad\.mtl\.json:\d+:\d+: error: tasks\[1\]\.target: Task "stay" reads its target from "stay_days", which is not in the data \(9 columns\)\. \(tasks\.1\.target\)/);
});

test('train: a failure TensorFlow raises inside a layer is printed at that layer\'s line, with the JSON path; exit 1', { timeout: 120_000 }, () => {
  const dir = tempDir('cli-layer');
  const doc = embeddingPastInputDim();
  const file = writeDoc(dir, 'emb.mtl.json', doc);
  const r = mts('train', file, '--out', path.join(dir, 'runs'));
  assert.equal(r.status, 1);
  const line = JSON.stringify(doc, null, 2).split('\n').findIndex((l) => l.includes('"layers"')) + 2; // the first layer's "{"
  assert.match(r.stderr, new RegExp(`emb\\.mtl\\.json:${line}:\\d+: error: model\\.layers\\[0\\]: Layer "embed" \\(embedding\\) failed in TensorFlow`));
});

test('data paths: outside the workspace refused (exit 1, at data.source.path); --allow-path and a .git workspace root widen it', () => {
  const top = tempDir('cli-confine');
  const expDir = path.join(top, 'project', 'exp');
  fs.mkdirSync(expDir, { recursive: true });
  fs.mkdirSync(path.join(top, 'shared'));
  fs.copyFileSync(path.join(ROOT, 'examples', 'tabular-csv', 'patients.csv'), path.join(top, 'shared', 'patients.csv'));
  const doc = exampleDoc('tabular-csv') as { data: { source: { path: string } } };
  doc.data.source.path = '../../shared/patients.csv';
  const file = writeDoc(expDir, 'out.mtl.json', doc);
  // No .git or .vscode above: the workspace is the experiment's folder.
  const refused = mts('data', file);
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /out\.mtl\.json:\d+:\d+: error: data\.source\.path '\.\.\/\.\.\/shared\/patients\.csv' is outside the folders data may be read from \(.*exp\)/);
  assert.doesNotMatch(refused.stderr, /age|bmi/);
  // Training refuses it the same way, before a run folder exists.
  const train = mts('train', file, '--out', path.join(top, 'runs'));
  assert.equal(train.status, 1);
  assert.match(train.stderr, /error: data\.source\.path '\.\.\/\.\.\/shared\/patients\.csv' is outside the folders data may be read from/);
  assert.equal(fs.existsSync(path.join(top, 'runs')), false);
  assert.equal(mts('data', file, '--allow-path', path.join(top, 'shared')).status, 0);
  // A .git folder above makes that folder the workspace: ../../shared is inside it.
  fs.mkdirSync(path.join(top, '.git'));
  const inside = mts('data', file);
  assert.equal(inside.status, 0, inside.stderr);
  assert.match(inside.stdout, /^2,000 examples \(csv/);
});

test('an experiment file that starts with a UTF-8 byte-order mark is accepted by validate and data; errors keep their line', () => {
  const dir = tempDir('cli-bom');
  fs.copyFileSync(path.join(ROOT, 'examples', 'tabular-csv', 'patients.csv'), path.join(dir, 'patients.csv'));
  const text = JSON.stringify(exampleDoc('tabular-csv'), null, 2);
  const file = writeDoc(dir, 'bom.mtl.json', `\uFEFF${text}`);
  const valid = mts('validate', file);
  assert.equal(valid.status, 0, valid.stderr);
  assert.match(valid.stdout, /^valid/);
  const data = mts('data', file);
  assert.equal(data.status, 0, data.stderr);
  assert.match(data.stdout, /^2,000 examples \(csv/);
  const broken = mts('validate', writeDoc(dir, 'broken.mtl.json', '\uFEFF{\n  "name": ,\n}'));
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /broken\.mtl\.json:2:11: error: not valid JSON/);
});

test('data paths: a home folder with .vscode (VS Code\'s extensions) is never taken as the workspace', () => {
  const home = tempDir('cli-home');
  fs.mkdirSync(path.join(home, '.vscode'));
  fs.mkdirSync(path.join(home, 'proj', 'exp'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'examples', 'tabular-csv', 'patients.csv'), path.join(home, 'patients.csv'));
  const doc = exampleDoc('tabular-csv') as { data: { source: { path: string } } };
  doc.data.source.path = '../../patients.csv';
  const file = writeDoc(path.join(home, 'proj', 'exp'), 'e.mtl.json', doc);
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), 'data', file], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, HOME: home } });
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, /is outside the folders data may be read from \(.*exp\)/);
});

test('train with repeats prints the repeat in progress, each metric\'s interval and the verdict from Δm\'s interval', { timeout: 120_000 }, () => {
  const dir = tempDir('cli-repeats');
  const doc = { ...exampleDoc('correlated-regression'), evaluation: { repeats: 2 } } as Record<string, unknown>;
  (doc.data as { source: Record<string, unknown> }).source.samples = 400;
  const r = mts('train', writeDoc(dir, 'repeats.mtl.json', doc), '--epochs', '1');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^training single-task task2 \(1 epochs, repeat 2 of 2 \(seed 43\)\)$/m);
  assert.equal((r.stdout.match(/^run folder: /gm) ?? []).length, 1, 'the run folder is named once');
  assert.match(r.stdout, /^repeated: 2 seeds \(42, 43\) \(95 % Student's t interval of the mean over repeats; /m);
  assert.match(r.stdout, /^ {2}task1 mae: shared [\d.]+ ± [\d.]+ \(95 % CI [-\d.]+…[-\d.]+\); single-task [\d.]+ ± [\d.]+ \(95 % CI /m);
  assert.match(r.stdout, /^(sharing helped|sharing hurt|no difference that these runs can show): Δm [+−][\d.]+ % ± [\d.]+ \(95 % CI .*, n = 2\)$/m);
});

test('train prints what a user reads: the run folder, each pair against its baseline, Δm as their mean, one run said to be one, the parameters and the report', { timeout: 180_000 }, () => {
  const dir = tempDir('cli-results');
  const doc = exampleDoc('correlated-regression');
  (doc.data as { source: Record<string, unknown> }).source.samples = 600;
  const r = mts('train', writeDoc(dir, 'small.mtl.json', doc), '--epochs', '1');
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.trim());
  const runLine = lines.find((l) => l.startsWith('run folder: '))!;
  const runDir = path.resolve(ROOT, runLine.slice('run folder: '.length));
  assert.ok(fs.existsSync(path.join(runDir, 'summary.json')), `${runLine}: a folder with the run in it`);
  assert.ok(lines.includes('backend: tensorflow'));
  const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as {
    test: Record<string, Record<string, number>>;
    parameters: { total: number; shared: number; singleTaskTotal: number };
    baselines: { deltaM: number; comparisons: Array<{ task: string; metric: string }> };
  };
  // The results come after every training (the shared model's, then one per task's baseline), in this order.
  const results = lines.indexOf('test results (shared model):');
  const trainings = lines.flatMap((l, i) => (/^training /.test(l) ? [i] : []));
  assert.deepEqual(trainings.map((i) => lines[i]), ['training shared model (1 epochs)', 'training single-task task1 (1 epochs)', 'training single-task task2 (1 epochs)']);
  assert.ok(results > trainings.at(-1)!, 'results after the last training');
  for (const [task, metrics] of Object.entries(summary.test)) {
    const line = lines.find((l) => l.startsWith(`  ${task}: `));
    assert.ok(line, `a line of ${task}'s test metrics`);
    // Printed to 4 significant digits.
    for (const [metric, value] of Object.entries(metrics)) {
      const printed = Number(new RegExp(`\\b${metric} (-?[\\d.e+-]+)`).exec(line)![1]);
      assert.ok(Math.abs(printed - value) <= Math.abs(value) * 5e-4, `${task} ${metric}: printed ${printed}, summary.json ${value}`);
    }
  }
  // Each pair's line: the relative improvement worked out again from its printed numbers (lower is better
  // for mae and rmse, higher for r2; the losses are not in Δm), "−" for worse; Δm is their mean.
  // E.g. "task1 r2: shared -0.4627 vs single-task -0.7705 (+39.94 %)": (−0.4627 + 0.7705) / 0.7705 = +39.95 %.
  const pairs = lines.filter((l) => / vs single-task /.test(l)).map((l) => {
    const m = /^ {2}(\S+) (\S+): shared (\S+) vs single-task (\S+) \(([+−]?)([\d.]+) %\)$/.exec(l);
    assert.ok(m, `a pair's line: "${l}"`);
    const [shared, baseline] = [Number(m[3]), Number(m[4])];
    const percent = (m[5] === '−' ? -1 : 1) * Number(m[6]);
    const sign = { mae: -1, rmse: -1, r2: 1 }[m[2]!];
    assert.ok(sign, `${m[2]}: a metric of a regression task in Δm`);
    const worked = sign * 100 * (shared - baseline) / Math.abs(baseline);
    assert.ok(Math.abs(worked - percent) < 0.05 + Math.abs(worked) * 1e-3, `${l}: ${worked.toFixed(3)} % from its numbers`);
    return percent;
  });
  assert.equal(pairs.length, summary.baselines.comparisons.length);
  assert.ok(pairs.length >= 2);
  const deltaLine = lines.find((l) => l.startsWith('  Δm = '));
  const delta = /^ {2}Δm = ([+−]?)([\d.]+) %, the mean over task-metric pairs \(Nash-MTL\)$/.exec(deltaLine ?? '');
  assert.ok(delta, `the Δm line: "${deltaLine}"`);
  const printedDelta = (delta[1] === '−' ? -1 : 1) * Number(delta[2]);
  const mean = pairs.reduce((a, b) => a + b, 0) / pairs.length;
  assert.ok(Math.abs(printedDelta - mean) <= 0.01, `Δm ${printedDelta} % is the mean of the pairs' ${pairs.join(', ')} (${mean.toFixed(3)} %)`);
  assert.ok(Math.abs(printedDelta - summary.baselines.deltaM * 100) <= 0.005 + 1e-9, 'the Δm of summary.json');
  // One run cannot tell a gain from noise: the verdict says so, with the same Δm.
  assert.ok(lines.includes(`Δm ${delta[1]}${delta[2]} %, one run: repeat it (evaluation.repeats) to know whether the difference is more than noise`), 'the one-run verdict');
  const group = (n: number) => n.toLocaleString('en-US');
  const p = summary.parameters;
  assert.ok(lines.includes(`parameters: ${group(p.total)} (shared ${group(p.shared)}); separate single-task models: ${group(p.singleTaskTotal)}`));
  assert.equal(lines.at(-1), `report: ${path.join(runDir, 'report.md')}`, 'the report last, where the eye ends');
  assert.ok(fs.existsSync(path.join(runDir, 'report.md')));
});
