// The trainer tests find the repository from their own place, not the working directory: this file,
// a folder deeper than the trainer's own tests, runs again from a temporary folder and reads an example.
// That folder is removed after: it was left in /tmp (mts-away-*) by every run of the suite.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import { exampleDoc, tempDir } from '../helpers';

const AWAY = 'MTS_TEST_AWAY_FROM_ROOT';
/** Set when this file runs again to see what it leaves in a temporary folder of its own. */
const LEAVES = 'MTS_TEST_AWAY_LEAVES';

/** This file's tests run in a child from `cwd` (TAP to its stdout: without NODE_TEST_CONTEXT, set by a parent `node --test`). */
function runSelf(cwd: string, env: Record<string, string>) {
  const { NODE_TEST_CONTEXT: _, ...rest } = process.env;
  return spawnSync(process.execPath, ['--test-reporter=tap', __filename], { cwd, env: { ...rest, ...env }, encoding: 'utf8' });
}

if (process.env[AWAY]) {
  test('run from a folder with no examples: the example is read all the same', () => {
    assert.equal(fs.existsSync('examples'), false);
    assert.equal(exampleDoc('digits-parity').name, 'digits-parity');
  });
} else {
  test('a test two folders below the unit tests runs from another working directory', (t) => {
    const away = tempDir('away');
    t.after(() => fs.rmSync(away, { recursive: true, force: true }));
    const r = runSelf(away, { [AWAY]: '1' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /# pass 1/);
  });
  if (!process.env[LEAVES]) {
    test('the test above leaves nothing in the temporary folder', (t) => {
      const tmp = tempDir('away-check');
      t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
      const r = runSelf(tmp, { [LEAVES]: '1', TMPDIR: tmp });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.deepEqual(fs.readdirSync(tmp), []);
    });
  }
}
