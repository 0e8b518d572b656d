// Ctrl+C while `mts` loads its bundle (dist/cli.js): it killed mts by the signal. Without timing:
// a preloaded hook holds the require of dist/cli.js until the test, having seen it start and sent
// SIGINT, creates a file; the signal is pending in the process before the file exists.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { exampleDoc, ROOT, tempDir } from './helpers';

const MTS = path.join(ROOT, 'bin', 'mts.js');

test('Ctrl+C while mts train loads its bundle: exit 130, not killed by the signal, no stack', { timeout: 120_000, skip: process.platform === 'win32' && 'POSIX signals' }, async () => {
  const dir = tempDir('load-sigint');
  const doc = { ...exampleDoc('correlated-regression'), evaluation: { baselines: 'none' } } as Record<string, unknown>;
  (doc.data as { source: Record<string, unknown> }).source.samples = 300;
  const file = path.join(dir, 'exp.mtl.json');
  fs.writeFileSync(file, JSON.stringify(doc));
  const release = path.join(dir, 'release');
  const hook = path.join(dir, 'hold-load.js');
  // In the command only (not its trainer child): says "loading" as dist/cli.js is required, then
  // waits for the release file before letting it load.
  fs.writeFileSync(hook, `
    if (process.env.MTS_TRAIN_CHILD !== '1') {
      const fs = require('fs');
      const Module = require('module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (/dist[\\\\/]cli\\.js$/.test(request)) {
          Module._load = load;
          fs.writeSync(1, 'loading\\n');
          while (!fs.existsSync(${JSON.stringify(release)})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        }
        return load.call(this, request, ...rest);
      };
    }
  `);
  const child = spawn(process.execPath, ['--require', hook, MTS, 'train', file, '--epochs', '2', '--out', path.join(dir, 'runs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '', stderr = '';
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve) => child.stdout!.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.startsWith('loading\n')) resolve();
  }));
  child.kill('SIGINT');
  fs.writeFileSync(release, '');
  const { code, signal } = await exited;
  assert.equal(signal, null, 'not killed by the signal');
  assert.equal(code, 130, stderr);
  assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace');
});
