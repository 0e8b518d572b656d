// The "Export experiment…" child (host/export/exportProcess.ts forks dist/cli.js) writing bytes
// that are not a message on its IPC channel: they threw in the extension host's channel parser
// (an uncaught SyntaxError) and the exporter ran on. Now the export ends with one line, the
// exporter is killed, and the files it said it wrote are kept as they were.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runExport } from '../../../src/host/export/exportProcess';
import { isPidAlive } from '../../../src/host/runFolders';
import { ROOT, tabularExperiment } from '../trainer/helpers';

/** Every file under `dir`, by relative path, with its bytes as base64. */
function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of fs.readdirSync(dir, { recursive: true }).map(String)) {
    const p = path.join(dir, f);
    if (fs.statSync(p).isFile()) out[f] = fs.readFileSync(p).toString('base64');
  }
  return out;
}

test('an exporter that writes bytes that are not a message on its channel: one line, the exporter gone, what it wrote kept', { timeout: 120_000 }, async () => {
  const { dir, file: source } = tabularExperiment('export-channel');
  const note = path.join(dir, 'noise.json');
  // The real exporter, except that once it says it wrote the package (its first line; the
  // notebook is written too by then) it notes its pid and what the output folder holds, writes
  // bytes that are no JSON on the IPC fd (3) and blocks (the host must end it).
  const script = path.join(dir, 'noisy-exporter.js');
  fs.writeFileSync(script, `
    const fs = require('fs');
    const path = require('path');
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = (chunk, ...rest) => {
      const done = write(chunk, ...rest);
      const m = String(chunk).match(/^wrote (.+)$/m);
      if (m) {
        const files = {};
        const out = path.dirname(m[1]);
        for (const f of fs.readdirSync(out, { recursive: true }).map(String)) {
          const p = path.join(out, f);
          if (fs.statSync(p).isFile()) files[f] = fs.readFileSync(p).toString('base64');
        }
        fs.writeFileSync(${JSON.stringify(note)}, JSON.stringify({ pid: process.pid, files }));
        fs.writeSync(3, Buffer.concat([Buffer.from('W0000 native noise '), Buffer.from([0xff, 0xfe]), Buffer.from('\\n')]));
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
      }
      return done;
    };
    require(${JSON.stringify(path.join(ROOT, 'dist', 'cli.js'))});
  `);
  const out = path.join(dir, 'out');
  const r = await runExport({ cliScript: script, source, to: 'notebook', outDir: out, workspaceDir: dir });
  assert.ok(fs.existsSync(note), `the exporter wrote its noise: ${r.message}`);
  const { pid, files } = JSON.parse(fs.readFileSync(note, 'utf8')) as { pid: number; files: Record<string, string> };
  try {
    assert.equal(isPidAlive(pid), false, 'the exporter is gone');
    assert.equal(r.ok, false);
    assert.match(r.message, /^the exporter sent bytes that are not a message on its channel \(.*W0000 nati.*\); the export was stopped, and what it wrote so far is kept$/);
    assert.ok(!r.message.includes('\n'), 'one line');
    assert.deepEqual(r.files, [path.join(out, 'tabular_csv')], 'the package it said it wrote (the notebook\'s line never came)');
    assert.ok(files[path.join('tabular_csv', 'model.py')] && files['tabular_csv.ipynb'], 'the package and the notebook were written before');
    assert.deepEqual(filesUnder(out), files, 'what it wrote is kept as it was');
  } finally {
    if (isPidAlive(pid)) process.kill(pid, 'SIGKILL');
  }
});
