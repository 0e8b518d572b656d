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
