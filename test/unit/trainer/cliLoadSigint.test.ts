// Ctrl+C while `mts` loads its bundle (dist/cli.js): it killed mts by the signal. Without timing:
// a preloaded hook holds the require of dist/cli.js until the test, having seen it start and sent
// SIGINT, creates a file; the signal is pending in the process before the file exists.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { trainWithHook } from './hookedTrain';

const release = (dir: string) => path.join(dir, 'release');

test('Ctrl+C while mts train loads its bundle: exit 130, not killed by the signal, no stack', { timeout: 120_000, skip: process.platform === 'win32' && 'POSIX signals' }, async () => {
  // In the command only (not its trainer child): says "loading" as dist/cli.js is required, then
  // waits for the release file before letting it load.
  const { dir, child, output, closed } = trainWithHook('load-sigint', 2, (folder) => `
    if (process.env.MTS_TRAIN_CHILD !== '1') {
      const fs = require('fs');
      const Module = require('module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (/dist[\\\\/]cli\\.js$/.test(request)) {
          Module._load = load;
          fs.writeSync(1, 'loading\\n');
          while (!fs.existsSync(${JSON.stringify(release(folder))})) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        }
        return load.call(this, request, ...rest);
      };
    }
  `);
  await new Promise<void>((resolve) => child.stdout!.on('data', () => {
    if (output.stdout.startsWith('loading\n')) resolve();
  }));
  child.kill('SIGINT');
  fs.writeFileSync(release(dir), '');
  const { code, signal } = await closed;
  assert.equal(signal, null, 'not killed by the signal');
  assert.equal(code, 130, output.stderr);
  assert.doesNotMatch(output.stderr, /^\s+at /m, 'no stack trace');
});
