// "Preview data" as the designer asks for it: a real trainer child (dist/trainer.js, run
// `npm run build` first) forked through askDataSummary. The child must answer without
// loading TensorFlow: a preload script records every module it required.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { askDataSummary } from '../../../src/host/designer/dataSummaryProcess';
import { exampleDoc, exampleFile, ROOT, tempDir } from '../trainer/helpers';

const script = path.join(ROOT, 'dist', 'trainer.js');

/** Runs `f` with NODE_OPTIONS preloading a recorder of the child's modules; returns them too. */
async function withModuleRecorder<T>(f: () => Promise<T>): Promise<{ value: T; modules: string[] }> {
  const dir = tempDir('modules');
  const list = path.join(dir, 'modules.json');
  const preload = path.join(dir, 'record.js');
  fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(list)}, JSON.stringify(Object.keys(require.cache))));\n`);
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `--require ${preload}`;
  try {
    const value = await f();
    // The child answers, then exits: the list is written on exit, a moment after the answer.
    for (let waited = 0; waited < 10_000; waited += 50) {
      try {
        return { value, modules: JSON.parse(fs.readFileSync(list, 'utf8')) as string[] };
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    return { value, modules: JSON.parse(fs.readFileSync(list, 'utf8')) as string[] };
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
}

test('a forked trainer answers a data summary of mnist without loading TensorFlow', { timeout: 60_000 }, async () => {
  const workspaceDir = path.dirname(exampleFile('digits-parity'));
  const { value: result, modules } = await withModuleRecorder(() => askDataSummary({ script, cwd: workspaceDir }, { doc: exampleDoc('digits-parity'), workspaceDir }).result);
  assert.ok(result.ok, result.ok ? '' : result.message);
  assert.equal(result.summary.examples, 10_000);
  assert.equal(result.summary.samples?.images.length, 10);
  // The digits come from the mnist package's data files read as bytes (the counts and sample
  // images above), never from its require, whose number arrays cost a second and +100 MB.
  assert.deepEqual(modules.filter((m) => m.includes(`${path.sep}mnist${path.sep}`)), [], 'the mnist package\'s module was required');
  assert.deepEqual(modules.filter((m) => m.includes('@tensorflow')), [], 'no TensorFlow module was loaded');
});

test('a missing data file comes back as the loader\'s message', { timeout: 60_000 }, async () => {
  const workspaceDir = tempDir('preview');
  const doc = exampleDoc('tabular-csv') as { data: { source: Record<string, unknown> } };
  const result = await askDataSummary({ script }, { doc, workspaceDir }).result;
  assert.ok(!result.ok);
  assert.match(result.message, /Data file 'patients\.csv' not found/);
  assert.deepEqual(result.path, ['data', 'source', 'path']);
});

test('a preview that takes too long is stopped with a message', { timeout: 60_000 }, async () => {
  const workspaceDir = path.dirname(exampleFile('multimnist-cnn'));
  const result = await askDataSummary({ script }, { doc: exampleDoc('multimnist-cnn'), workspaceDir, timeoutMs: 50 }).result;
  assert.ok(!result.ok);
  assert.match(result.message, /took longer than/);
});
