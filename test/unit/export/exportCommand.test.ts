// `mts export` as the "Export experiment…" command runs it (host/export/exportProcess.ts forks
// dist/cli.js): it writes the package and the notebook, and says what is wrong in a user's words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runExport } from '../../../src/host/export/exportProcess';
import { ROOT, exampleDoc, tempDir } from '../trainer/helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function experiment(dir: string, doc: unknown): string {
  const file = path.join(dir, 'exp.mtl.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  return file;
}

test('the export command writes the Keras package and a notebook (nbformat 4) that imports it', { timeout: 120_000 }, async () => {
  const dir = tempDir('export-command');
  const doc = exampleDoc('tabular-csv');
  fs.copyFileSync(path.join(ROOT, 'examples', 'tabular-csv', 'patients.csv'), path.join(dir, 'patients.csv'));
  const out = path.join(dir, 'out');
  const r = await runExport({ cliScript: CLI, source: experiment(dir, doc), to: 'notebook', outDir: out, workspaceDir: dir });
  assert.equal(r.ok, true, r.message);
  const pkg = path.join(out, 'tabular_csv');
  assert.deepEqual(r.files, [pkg, path.join(out, 'tabular_csv.ipynb')]);
  for (const f of ['model.py', 'data.py', 'losses.py', 'weighting.py', 'train.py', 'weights.py', 'blocks.py', 'experiment.json', 'data/dataset.npz', 'data/columns.json']) {
    assert.ok(fs.existsSync(path.join(pkg, f)), `${f} is written`);
  }
  assert.equal(fs.existsSync(path.join(pkg, 'weights')), false, 'no weights from an experiment file');
  const nb = JSON.parse(fs.readFileSync(r.files[1]!, 'utf8')) as { nbformat: number; cells: Array<{ cell_type: string; source: string[] }> };
  assert.equal(nb.nbformat, 4);
  assert.ok(nb.cells.some((c) => c.cell_type === 'code' && c.source.join('').includes('from tabular_csv import data')));
});

test('the export command reports a broken experiment at its JSON path, and ONNX of an untrained experiment as needing a run folder', { timeout: 120_000 }, async () => {
  const dir = tempDir('export-command-bad');
  const doc = exampleDoc('correlated-regression') as { training: Record<string, unknown> };
  const bad = await runExport({ cliScript: CLI, source: experiment(dir, { ...doc, training: { ...doc.training, batchSize: 0 } }), to: 'keras', outDir: dir, workspaceDir: dir });
  assert.equal(bad.ok, false);
  assert.match(bad.message, /training\.batchSize/);
  assert.doesNotMatch(bad.message, /\bat .*\.js:\d+/, 'no stack trace');
  const onnx = await runExport({ cliScript: CLI, source: experiment(dir, doc), to: 'onnx', outDir: dir, workspaceDir: dir });
  assert.equal(onnx.ok, false);
  assert.match(onnx.message, /--to onnx exports a trained run: .* is not a run folder/);
});

test('a weighting method train.py does not carry: the export refuses at training.weighting.method and writes nothing', { timeout: 120_000 }, async () => {
  const dir = tempDir('export-command-refused');
  const out = path.join(dir, 'out');
  for (const name of ['famo-regression', 'conflicting-tasks-upgrad']) {
    const r = await runExport({ cliScript: CLI, source: experiment(dir, exampleDoc(name)), to: 'notebook', outDir: out, workspaceDir: dir });
    assert.equal(r.ok, false, `${name} is refused`);
    assert.match(r.message, /train\.py cannot train this experiment as Multi-Task Studio does: +training\.weighting\.method: "(famo|upgrad)" is not exported to Keras yet: train\.py trains with equal, static, uncertainty, dwa, pcgrad, mgda\./);
    assert.doesNotMatch(r.message, /\bat .*\.js:\d+/, 'no stack trace');
    assert.equal(fs.existsSync(out), false, 'nothing written');
  }
});

test('a run folder of such a method exports its model and weights, and says train.py will not retrain it', { timeout: 180_000 }, async () => {
  const dir = tempDir('export-command-run-famo');
  const doc = exampleDoc('famo-regression') as { data: { source: Record<string, unknown> }; training: Record<string, unknown> };
  const brief = { ...doc, data: { ...doc.data, source: { ...doc.data.source, samples: 400 } }, training: { ...doc.training, epochs: 1 }, evaluation: { baselines: 'none' } };
  const runs = path.join(dir, 'runs');
  const trained = spawnSync(process.execPath, [CLI, 'train', experiment(dir, brief), '--out', runs], { encoding: 'utf8' });
  assert.equal(trained.status, 0, trained.stderr);
  const experimentDir = path.join(runs, fs.readdirSync(runs)[0]!);
  const runDir = path.join(experimentDir, fs.readdirSync(experimentDir)[0]!);
  const out = path.join(dir, 'out');
  const r = await runExport({ cliScript: CLI, source: runDir, to: 'keras', outDir: out, workspaceDir: dir });
  assert.equal(r.ok, true, r.message);
  assert.ok(fs.existsSync(path.join(r.files[0]!, 'weights', 'model.json')), 'the run\'s weights are exported');
  assert.equal(r.notes?.length, 1);
  assert.match(r.notes![0]!, /^training\.weighting\.method: "famo" is not exported to Keras yet: .* The package loads this run's weights and predicts; its train\.py refuses to retrain\.$/);
});

/** correlated-regression, small, trained with `evaluation` (several times). */
function repeatedDoc(evaluation: Record<string, unknown>): Record<string, unknown> {
  const doc = exampleDoc('correlated-regression') as { data: { source: Record<string, unknown> }; training: Record<string, unknown> };
  return { ...doc, data: { ...doc.data, source: { ...doc.data.source, samples: 600 } }, training: { ...doc.training, epochs: 1 }, evaluation: { baselines: 'none', ...evaluation } };
}

/** The docstring of the package's __init__.py as Python reads it (python3's own parser). */
function docstring(pkg: string): string {
  const r = spawnSync('python3', ['-c', 'import ast, sys; print(ast.get_docstring(ast.parse(open(sys.argv[1]).read())))', path.join(pkg, '__init__.py')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('an experiment with repeats and cross-validation exports with notes that train.py trains once: CLI, host message, docstring, notebook', { timeout: 120_000 }, async () => {
  const dir = tempDir('export-command-repeats');
  const out = path.join(dir, 'out');
  const r = await runExport({ cliScript: CLI, source: experiment(dir, repeatedDoc({ repeats: 3, crossValidation: { folds: 3 } })), to: 'notebook', outDir: out, workspaceDir: dir });
  assert.equal(r.ok, true, r.message);
  const expected = [
    'evaluation.repeats: Multi-Task Studio trains this experiment with 3 seeds (42 to 44) and reports their mean and spread; train.py trains once, with training.seed 42. Change training.seed in experiment.json and run it again to repeat.',
    'evaluation.crossValidation: Multi-Task Studio trains each of its 3 folds; train.py trains once, on the hold-out split of data.split saved in data/dataset.npz, not on the folds.',
  ];
  assert.deepEqual(r.notes, expected); // the "note:" lines of the CLI, which the host's message shows
  assert.equal(docstring(r.files[0]!).trim(), `correlated-regression: a multi-task experiment exported from Multi-Task Studio to Keras 3.\n\n${expected.map((n) => `Note: ${n}`).join('\n\n')}`);
  const nb = JSON.parse(fs.readFileSync(r.files[1]!, 'utf8')) as { cells: Array<{ source: string[] }> };
  for (const n of expected) assert.ok(nb.cells[0]!.source.join('').includes(`**Note:** ${n}`), 'the notebook says it under its title');

  // One fold of the folds (crossValidation.fold), and a single training: no notes at all.
  const one = await runExport({ cliScript: CLI, source: experiment(dir, repeatedDoc({ crossValidation: { folds: 3, fold: 2 } })), to: 'keras', outDir: out, workspaceDir: dir });
  assert.deepEqual(one.notes, ['evaluation.crossValidation: Multi-Task Studio trains fold 2 of 3; train.py trains once, on the hold-out split of data.split saved in data/dataset.npz, not on the folds.']);
  const plain = await runExport({ cliScript: CLI, source: experiment(dir, repeatedDoc({})), to: 'keras', outDir: out, workspaceDir: dir });
  assert.deepEqual(plain.notes, []);
  assert.equal(docstring(plain.files[0]!).trim(), 'correlated-regression: a multi-task experiment exported from Multi-Task Studio to Keras 3.');
});

test('a repeated run folder exports its first training\'s weights and says so (Keras and ONNX)', { timeout: 180_000 }, async () => {
  const dir = tempDir('export-command-run-repeats');
  const runs = path.join(dir, 'runs');
  const trained = spawnSync(process.execPath, [CLI, 'train', experiment(dir, repeatedDoc({ repeats: 2 })), '--out', runs], { encoding: 'utf8' });
  assert.equal(trained.status, 0, trained.stderr);
  const experimentDir = path.join(runs, fs.readdirSync(runs)[0]!);
  const runDir = path.join(experimentDir, fs.readdirSync(experimentDir)[0]!);
  const r = await runExport({ cliScript: CLI, source: runDir, to: 'keras', outDir: path.join(dir, 'out'), workspaceDir: dir });
  assert.equal(r.ok, true, r.message);
  assert.deepEqual(r.notes, [
    'evaluation.repeats: Multi-Task Studio trains this experiment with 2 seeds (42 to 43) and reports their mean and spread; train.py trains once, with training.seed 42. Change training.seed in experiment.json and run it again to repeat.',
    'The exported weights are the run\'s first training\'s (repeat 1 of 2 (seed 42)): the only model a repeated run saves.',
  ]);
  assert.match(docstring(r.files[0]!), /with its run's trained weights\.\n\nNote: evaluation\.repeats: .*\n\nNote: The exported weights are the run's first training's/);
  const onnx = await runExport({ cliScript: CLI, source: runDir, to: 'onnx', outDir: path.join(dir, 'onnx'), workspaceDir: dir });
  assert.equal(onnx.ok, true, onnx.message);
  assert.deepEqual(onnx.notes, [r.notes![1]]);
});

test('mts export into a file, under one, or under /proc: one line naming the folder, exit 1, nothing written', { timeout: 240_000 }, () => {
  // Node's recursive mkdir never returned under /proc (the export hung for ever), and a file in
  // the way ended with "mts: ENOTDIR: not a directory, unlink …".
  const dir = tempDir('export-out');
  const doc = exampleDoc('tabular-csv');
  fs.copyFileSync(path.join(ROOT, 'examples', 'tabular-csv', 'patients.csv'), path.join(dir, 'patients.csv'));
  const file = experiment(dir, doc);
  const before = fs.readdirSync(dir).sort();
  for (const [to, out, message] of [
    ['keras', 'patients.csv', /^mts export: cannot export into patients\.csv: .*patients\.csv is a file, not a folder\.$/],
    ['notebook', 'patients.csv/x', /^mts export: cannot export into patients\.csv\/x: .*patients\.csv is a file, not a folder\.$/],
    ['keras', '/proc/mts-export-test/out', /^mts export: cannot export into \/proc\/mts-export-test\/out: cannot create the folder \/proc\/mts-export-test: no such file or folder \(ENOENT\)\.$/],
    ['keras', '/proc/self', /^mts export: cannot write into \/proc\/self: no such file or folder \(ENOENT\)\.$/],
  ] as const) {
    const r = spawnSync(process.execPath, [CLI, 'export', file, '--to', to, '--out', out], { encoding: 'utf8', cwd: dir, timeout: 100_000 });
    assert.equal(r.status, 1, `${out}: ${r.signal ?? ''} ${r.stderr}`);
    assert.match(r.stderr.trim(), message);
  }
  assert.deepEqual(fs.readdirSync(dir).sort(), before, 'nothing written');
});

test('mts export without --to is a usage error (exit 2)', () => {
  const r = spawnSync(process.execPath, [CLI, 'export', path.join(ROOT, 'examples', 'digits-parity', 'digits-parity.mtl.json')], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /needs --to keras, notebook or onnx/);
});
