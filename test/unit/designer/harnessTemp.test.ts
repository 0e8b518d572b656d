// The designer harness (harness/run.mjs) builds a page bundle into the system's temporary folder and
// a script into out/harness-*: both are removed when it fails too. It used to leave the bundle
// (mts-designer-*) whenever a step after the page's build failed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../repoRoot';
import { tempDir } from '../../tempFolders';

const harnessOut = (): string[] => (fs.existsSync(path.join(ROOT, 'out')) ? fs.readdirSync(path.join(ROOT, 'out')).filter((f) => f.startsWith('harness-')) : []);

test('a harness run that fails after building the page leaves no folder behind', { timeout: 300_000 }, () => {
  // Its own temporary folder (TMPDIR), so what it leaves is seen apart from other processes'.
  const tmp = tempDir('harness-tmp');
  const { MTS_KEEP_TEMP: _, ...env } = process.env;
  const outBefore = harnessOut();
  // The page builds; the harness script (no-such-harness.ts) does not exist, so its build fails.
  const r = spawnSync(process.execPath, [path.join(ROOT, 'test/unit/designer/harness/run.mjs'), 'no-such-harness'], { cwd: ROOT, env: { ...env, TMPDIR: tmp }, encoding: 'utf8' });
  assert.notEqual(r.status, 0, 'the harness run fails');
  assert.match(r.stderr, /no-such-harness\.ts/, r.stderr);
  assert.deepEqual(fs.readdirSync(tmp), [], 'left in the temporary folder');
  assert.deepEqual(harnessOut().filter((f) => !outBefore.includes(f)), [], 'left in out/');
});
