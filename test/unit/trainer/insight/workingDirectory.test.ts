// The trainer tests find the repository from their own place, not the working directory: this file,
// a folder deeper than the trainer's own tests, runs again from a temporary folder and reads an example.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import { exampleDoc, tempDir } from '../helpers';

const AWAY = 'MTS_TEST_AWAY_FROM_ROOT';

if (process.env[AWAY]) {
  test('run from a folder with no examples: the example is read all the same', () => {
    assert.equal(fs.existsSync('examples'), false);
    assert.equal(exampleDoc('digits-parity').name, 'digits-parity');
  });
} else {
  test('a test two folders below the unit tests runs from another working directory', () => {
    const away = tempDir('away');
    // Without NODE_TEST_CONTEXT (set by a parent `node --test`) the child reports in TAP to its own stdout.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const r = spawnSync(process.execPath, ['--test-reporter=tap', __filename], { cwd: away, env: { ...env, [AWAY]: '1' }, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /# pass 1/);
  });
}
