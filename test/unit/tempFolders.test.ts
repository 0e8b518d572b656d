// Tests' temporary folders (test/tempFolders.ts) are gone when a test file's process ends, passed
// or failed: this file runs itself as that process (a child that makes folders, then exits) and
// looks for them afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../tempFolders';

if (process.argv[2] === '--child') {
  // Two folders, one holding a file in a subfolder; printed, then the process ends with this code.
  const a = tempDir('temp-check');
  const b = tempDir('temp-check');
  fs.mkdirSync(path.join(b, 'run'));
  fs.writeFileSync(path.join(b, 'run', 'metrics.jsonl'), '{}\n');
  console.log(JSON.stringify([a, b]));
  process.exitCode = Number(process.argv[3]);
} else {
  const { NODE_TEST_CONTEXT: _, MTS_KEEP_TEMP: __, ...env } = process.env;
  const child = (code: number, extra: Record<string, string> = {}): string[] => {
    const r = spawnSync(process.execPath, [__filename, '--child', String(code)], { env: { ...env, ...extra }, encoding: 'utf8' });
    assert.equal(r.status, code, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as string[];
  };

  test("a test file's temporary folders are removed when its process exits, passed or failed", () => {
    for (const code of [0, 1]) {
      const dirs = child(code);
      assert.equal(dirs.length, 2);
      for (const dir of dirs) assert.equal(fs.existsSync(dir), false, `${dir} left after an exit with code ${code}`);
    }
  });

  test('MTS_KEEP_TEMP=1 keeps them to look inside', () => {
    const dirs = child(0, { MTS_KEEP_TEMP: '1' });
    try {
      for (const dir of dirs) assert.equal(fs.existsSync(dir), true, dir);
    } finally {
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
