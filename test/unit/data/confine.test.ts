// Data paths stay inside the experiment's workspace or a folder the user allowed: refused
// before any byte is read, at data.source.path, and no file content in the message. Real
// files and links in a temporary workspace; the refused targets are real system files.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { DataSpec, TaskSpec } from '../../../src/core/spec';
import { datasetColumns } from '../../../src/trainer/data/columns';
import { DataError } from '../../../src/trainer/data/errors';
import { parseJsonl } from '../../../src/trainer/data/jsonl';
import { loadExperimentData, type LoadOptions } from '../../../src/trainer/data/load';
import { dataSummaryOf } from '../../../src/trainer/dataSummaryOf';
import { tempDir } from '../../tempFolders';

const SECRET = 'mts-secret-3f9a1c';
const CSV = `x,y\n${Array.from({ length: 40 }, (_, i) => `${i},${i % 2}`).join('\n')}\n`;
const tasks: TaskSpec[] = [{ id: 't', kind: 'binary', target: 'y' }];
const dataOf = (p: string): { data: DataSpec; tasks: TaskSpec[] } => ({ data: { source: { type: 'csv', path: p }, split: { validation: 0.2, test: 0.2, seed: 1 } }, tasks });

/** ws/ (the workspace) with ws/exp/ (the experiment's folder) and ws/data/ok.csv; outside/ beside it with a secret file. */
function layout() {
  const top = tempDir('confine');
  const ws = path.join(top, 'ws');
  fs.mkdirSync(path.join(ws, 'exp'), { recursive: true });
  fs.mkdirSync(path.join(ws, 'data'));
  fs.writeFileSync(path.join(ws, 'data', 'ok.csv'), CSV);
  fs.mkdirSync(path.join(top, 'outside'));
  fs.writeFileSync(path.join(top, 'outside', 'secret.csv'), `${SECRET},${SECRET}\n1,0\n`);
  const options: LoadOptions = { workspaceDir: path.join(ws, 'exp'), allowedRoots: [ws] };
  return { top, ws, options };
}

async function refused(p: string, options: LoadOptions, secret?: RegExp): Promise<DataError> {
  let caught: unknown;
  try { loadExperimentData(dataOf(p), options); } catch (err) { caught = err; }
  assert.ok(caught instanceof DataError, `expected a DataError for ${p}, got ${String(caught)}`);
  assert.deepEqual(caught.path, ['data', 'source', 'path']);
  assert.match(caught.message, /^data\.source\.path '.*' (is|leads through a symbolic link to a place) outside the folders data may be read from/);
  assert.match(caught.message, /allowedDataFolders.*--allow-path/);
  if (secret) assert.doesNotMatch(caught.message, secret);
  // The summary (the designer's preview, `mts data`) says the same, at the same place.
  const summary = await dataSummaryOf(dataOf(p), options.workspaceDir, options.allowedRoots);
  assert.equal(summary.ok, false);
  if (!summary.ok) { assert.equal(summary.message, caught.message); assert.deepEqual(summary.path, ['data', 'source', 'path']); }
  return caught;
}

test('/proc/self/environ is refused and no environment variable appears in the message', async () => {
  process.env.MTS_CONFINE_CANARY = SECRET;
  const { options } = layout();
  await refused('/proc/self/environ', options, new RegExp(SECRET));
  // Also when the workspace is the experiment's folder alone (no allowedRoots given).
  await refused('/proc/self/environ', { workspaceDir: options.workspaceDir }, new RegExp(SECRET));
});

test('a symbolic link inside the workspace to /etc/passwd is refused; its first line is never shown', async () => {
  const { ws, options } = layout();
  fs.symlinkSync('/etc/passwd', path.join(ws, 'data', 'users.csv'));
  const err = await refused('../data/users.csv', options, /root:/);
  assert.match(err.message, /symbolic link/);
  // A linked folder leading out is refused the same way.
  fs.symlinkSync('/etc', path.join(ws, 'etc'));
  await refused('../etc/passwd', options, /root:/);
});

test('a ../ escape out of the workspace is refused, also for a file that exists; ../ inside the workspace is fine', async () => {
  const { options } = layout();
  await refused('../../outside/secret.csv', options, new RegExp(SECRET));
  await refused('../../outside/none.csv', options);
  const data = loadExperimentData(dataOf('../data/ok.csv'), options);
  assert.equal(data.train.n + data.validation.n + data.test.n, 40);
  assert.deepEqual(datasetColumns(dataOf('../data/ok.csv'), options.workspaceDir, options.allowedRoots).targets, ['x', 'y']);
  assert.throws(() => datasetColumns(dataOf('../../outside/secret.csv'), options.workspaceDir, options.allowedRoots), /outside the folders/);
});

test('a folder the user allowed (setting or --allow-path) may be read, by absolute or relative path', async () => {
  const { top, ws, options } = layout();
  fs.writeFileSync(path.join(top, 'outside', 'shared.csv'), CSV);
  const allowed: LoadOptions = { ...options, allowedRoots: [ws, path.join(top, 'outside')] };
  for (const p of [path.join(top, 'outside', 'shared.csv'), '../../outside/shared.csv']) {
    const data = loadExperimentData(dataOf(p), allowed);
    assert.equal(data.train.n + data.validation.n + data.test.n, 40);
  }
  // Allowing one folder does not allow its neighbours.
  await refused('/proc/self/environ', allowed);
});

test('a missing file inside the workspace is "not found" at data.source.path; an empty path says what to do', async () => {
  const { options } = layout();
  assert.throws(() => loadExperimentData(dataOf('../data/none.csv'), options), (err: unknown) =>
    err instanceof DataError && /^Data file '\.\.\/data\/none\.csv' not found/.test(err.message) && err.path?.join('.') === 'data.source.path');
  assert.throws(() => loadExperimentData(dataOf(' '), options), /data\.source\.path is empty/);
});

test('inside the workspace too, messages quote no file content: a missing column names only the file\'s column count, no JSONL line text', () => {
  const { ws, options } = layout();
  const secretHeader = `${SECRET}:${'x'.repeat(200)}`;
  const many = Array.from({ length: 30 }, (_, i) => `c${i}`);
  fs.writeFileSync(path.join(ws, 'data', 'wide.csv'), `${secretHeader},${many.join(',')}\n1,${many.map(() => 0).join(',')}\n`);
  assert.throws(() => loadExperimentData(dataOf('../data/wide.csv'), options), (err: unknown) => {
    assert.ok(err instanceof DataError);
    assert.match(err.message, /Column 'y' \(target of task 't'\) is not in \.\.\/data\/wide\.csv \(31 columns\)\./);
    assert.doesNotMatch(err.message, new RegExp(SECRET));
    return true;
  });
  fs.writeFileSync(path.join(ws, 'data', 'lines.jsonl'), `{"x": 1, "y": 0}\nroot:${SECRET}:0:0\n{"x": 2, "y": 1}\n`);
  const { problems } = parseJsonl(fs.readFileSync(path.join(ws, 'data', 'lines.jsonl'), 'utf8'), 'lines.jsonl');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.line, 2);
  assert.match(problems[0]!.message, /^not valid JSON at column 1: /);
  assert.doesNotMatch(problems[0]!.message, new RegExp(SECRET));
});
