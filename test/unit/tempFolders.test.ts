// Tests' temporary folders (test/tempFolders.ts) are gone when a test file's process ends, passed
// or failed: this file runs itself as that process (a child that makes folders, then exits) and
// looks for them afterwards. And no unit test makes one in the system's temporary folder another
// way (each such way leaked: mts-oracle-, mts-messy-, mts-runs-, mts-faults-, ...).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../repoRoot';
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

  // The two places that make them; the harness's is for plain Node scripts, which cannot import TypeScript.
  const MAKERS = new Set(['test/unit/designer/harness/build.mjs: export function temporaryFolder(prefix, parent = os.tmpdir()) {']);

  test('no unit test makes a folder in the system temporary folder but through tempDir', () => {
    const sources = fs.readdirSync(path.join(ROOT, 'test', 'unit'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|mjs)$/.test(f) && f !== 'tempFolders.test.ts').map((f) => path.join('test', 'unit', f));
    assert.ok(sources.length > 100, `only ${sources.length} sources under test/unit`);
    const offenders = sources.flatMap((file) => fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')
      .flatMap((line) => (/tmpdir\(\)/.test(line) ? [`${file}: ${line.trim()}`] : []))).filter((l) => !MAKERS.has(l));
    assert.deepEqual(offenders, [], 'use tempDir (test/tempFolders.ts) or, in a harness script, temporaryFolder (harness/build.mjs): removed when the process ends, passed or failed');
  });
}
