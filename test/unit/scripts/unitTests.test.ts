// The unit stage's runner (scripts/unit-tests.mjs) on test files written here: each file's TAP
// output printed whole, the totals summed over the files as the last `# pass` and `# fail` lines
// (scripts/test.mjs reads those), a failing test or a crashing file failing the run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../repoRoot';
import { tempDir } from '../../tempFolders';

const RUNNER = path.join(ROOT, 'scripts', 'unit-tests.mjs');

/** Test files in a fresh folder, by name; returns their paths. */
function testFiles(files: Record<string, string>): string[] {
  const dir = tempDir('unit-runner');
  return Object.entries(files).map(([name, body]) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `const { test } = require('node:test');\n${body}\n`);
    return file;
  });
}

function runner(files: string[]) {
  const r = spawnSync(process.execPath, [RUNNER, '--jobs', '2', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  const last = (name: string) => Number([...r.stdout.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].pop()?.[1]);
  return { status: r.status, out: r.stdout, pass: last('pass'), fail: last('fail') };
}

/** The lines a file's block holds: from its `# file` header to the next. */
function block(out: string, name: string): string {
  const start = out.search(new RegExp(`^# file \\S*${name}: `, 'm'));
  assert.ok(start >= 0, `a block for ${name}`);
  const next = out.slice(start + 1).search(/^# (file|the \d+ slowest)/m);
  return out.slice(start, next < 0 ? undefined : start + 1 + next);
}

test('passing files: the totals add up over the files, each file\'s tests in its own block, exit 0', () => {
  const files = testFiles({
    'one.test.js': "test('first of one', () => {});\ntest('second of one', () => {});",
    'two.test.js': "test('first of two', () => new Promise((r) => setTimeout(r, 200)));",
  });
  const r = runner(files);
  assert.equal(r.status, 0, r.out);
  assert.equal(r.pass, 3);
  assert.equal(r.fail, 0);
  assert.match(block(r.out, 'one.test.js'), /ok 1 - first of one[\s\S]*ok 2 - second of one/);
  assert.doesNotMatch(block(r.out, 'one.test.js'), /first of two/);
  assert.match(block(r.out, 'two.test.js'), /ok 1 - first of two/);
  assert.match(r.out, /^# the 2 slowest files \(2 files/m);
});

test('a failing test and a file that exits before its tests fail the run and are named', () => {
  const files = testFiles({
    'good.test.js': "test('fine', () => {});",
    'bad.test.js': "test('fails', () => { throw new Error('boom'); });",
    'crash.test.js': "process.exit(3);\ntest('never runs', () => {});",
  });
  const r = runner(files);
  assert.equal(r.status, 1, r.out);
  assert.equal(r.pass, 1);
  assert.equal(r.fail, 2, 'the failing test and the crashed file');
  const failed = /^# failed files: (.*)$/m.exec(r.out)?.[1]?.split(', ').map((f) => path.basename(f));
  assert.deepEqual(failed, ['bad.test.js', 'crash.test.js']);
  assert.match(block(r.out, 'bad.test.js'), /not ok 1 - fails[\s\S]*boom/);
});
