// `mts export` of a run folder whose model is half-written (a training stopped while it saved,
// a copy cut short, a file removed): every format refuses with one line naming the file, and a
// package exported before into the same folder is kept as it was. The Keras package copied a
// truncated weights.bin as it was (its weights.py then failed in Python), and a cut model.json
// or a missing weights.bin ended with JSON.parse's or ENOENT's words.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runExport, type ExportFormat } from '../../../src/host/export/exportProcess';
import { ROOT, exampleDoc, tempDir } from '../trainer/helpers';

const CLI = path.join(ROOT, 'dist', 'cli.js');

/** A small correlated-regression run, trained by the CLI: its run folder. */
function trainedRun(dir: string): string {
  const doc = exampleDoc('correlated-regression') as { data: { source: Record<string, unknown> }; training: Record<string, unknown> };
  const brief = { ...doc, data: { ...doc.data, source: { ...doc.data.source, samples: 400 } }, training: { ...doc.training, epochs: 1 }, evaluation: { baselines: 'none' } };
  const file = path.join(dir, 'exp.mtl.json');
  fs.writeFileSync(file, JSON.stringify(brief));
  const runs = path.join(dir, 'runs');
  const trained = spawnSync(process.execPath, [CLI, 'train', file, '--out', runs], { encoding: 'utf8' });
  assert.equal(trained.status, 0, trained.stderr);
  const experimentDir = path.join(runs, fs.readdirSync(runs)[0]!);
  return path.join(experimentDir, fs.readdirSync(experimentDir)[0]!);
}

/** Every file under `dir` with its bytes, to see that nothing changed. */
function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true }).map(String).sort()
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]));
}

const BREAKS: Array<[string, (run: string) => void, RegExp]> = [
  ['weights.bin cut short', (run) => fs.truncateSync(path.join(run, 'model', 'weights.bin'), 1000),
    /model[/\\]model\.json: the weight files end before weight \S+; the run's model is incomplete/],
  ['weights.bin missing', (run) => fs.rmSync(path.join(run, 'model', 'weights.bin')),
    /model[/\\]weights\.bin is missing: the run's model is incomplete/],
  ['model.json cut short', (run) => { const f = path.join(run, 'model', 'model.json'); fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 700)); },
    /model[/\\]model\.json is not readable JSON \(.*\): the run's model is incomplete/],
  ['experiment.json cut short', (run) => { const f = path.join(run, 'experiment.json'); fs.writeFileSync(f, fs.readFileSync(f).subarray(0, 300)); },
    /experiment\.json: not readable JSON \(/],
];

test('a half-written run folder: keras, notebook and onnx refuse with the file named, and an earlier export stays as it was', { timeout: 300_000 }, async () => {
  const dir = tempDir('export-half-written');
  const good = trainedRun(dir);
  for (const [label, breakIt, message] of BREAKS) {
    const run = path.join(dir, label.replace(/\W+/g, '-'));
    fs.cpSync(good, run, { recursive: true });
    for (const to of ['keras', 'notebook', 'onnx'] as ExportFormat[]) {
      // An export of the good run into the folder first: the failed one must leave it whole.
      const out = path.join(dir, `out-${to}`);
      const before = await runExport({ cliScript: CLI, source: good, to, outDir: out, workspaceDir: dir });
      assert.equal(before.ok, true, before.message);
      const written = snapshot(out);
      fs.rmSync(run, { recursive: true, force: true });
      fs.cpSync(good, run, { recursive: true });
      breakIt(run);
      const r = await runExport({ cliScript: CLI, source: run, to, outDir: out, workspaceDir: dir });
      assert.equal(r.ok, false, `${label}, ${to}: refused`);
      assert.match(r.message, message, `${label}, ${to}`);
      assert.match(r.message, /^mts export: /, `${label}, ${to}: the export's own words`);
      assert.doesNotMatch(r.message, /\bat .*\.js:\d+|ENOENT|Unexpected end of JSON input$/, `${label}, ${to}: no stack trace or bare system error`);
      assert.deepEqual(snapshot(out), written, `${label}, ${to}: the earlier export is kept`);
    }
  }
});
