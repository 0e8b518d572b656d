// `mts train`'s supervisor and its trainer child's IPC channel: bytes on it that are not a
// message threw in the supervisor (an uncaught SyntaxError and a stack), which left the trainer,
// detached in its own process group, training on with nobody to end it. Now the supervisor ends
// the trainer, marks run.json failed with one line, says that line and exits 1.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RUN_FILES, type RunRecord } from '../../../src/core/runLayout';
import { isPidAlive } from '../../../src/host/runFolders';
import { readJson } from './helpers';
import { trainWithHook } from './hookedTrain';

const noteOf = (dir: string) => path.join(dir, 'noise.json');

test('mts train whose trainer writes bytes that are not a message on its channel: one line, exit 1, the trainer gone, run.json failed, files kept', { timeout: 120_000 }, async () => {
  // Preloaded (--require) in the command and, through its execArgv, in the trainer child, where
  // alone it acts: once epoch 2 is printed it notes its pid and what the run folder holds, writes
  // bytes that are no JSON on the IPC fd (3) and blocks (the supervisor must end it).
  const { dir, child, output, closed } = trainWithHook('supervisor-channel', 200, (folder) => `
    if (process.env.MTS_TRAIN_CHILD === '1') {
      const fs = require('fs');
      const path = require('path');
      const write = process.stdout.write.bind(process.stdout);
      let runDir;
      process.stdout.write = (chunk, ...rest) => {
        const done = write(chunk, ...rest);
        const text = String(chunk);
        const m = text.match(/^run folder: (.+)$/m);
        if (m) runDir = path.resolve(m[1].trim());
        if (runDir && /epoch 2\\//.test(text)) {
          const files = {};
          for (const f of fs.readdirSync(runDir)) if (fs.statSync(path.join(runDir, f)).isFile()) files[f] = fs.readFileSync(path.join(runDir, f), 'utf8');
          fs.writeFileSync(${JSON.stringify(noteOf(folder))}, JSON.stringify({ pid: process.pid, runDir, files }));
          fs.writeSync(3, Buffer.concat([Buffer.from('W0000 native noise '), Buffer.from([0xff, 0xfe]), Buffer.from('\\n')]));
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
        }
        return done;
      };
    }
  `);
  const { code } = await new Promise<{ code: number | null }>((resolve) => child.on('exit', (c) => resolve({ code: c })));
  const note = noteOf(dir);
  assert.ok(fs.existsSync(note), `the trainer wrote its noise: ${output.stdout}\n${output.stderr}`);
  const { pid, runDir, files } = JSON.parse(fs.readFileSync(note, 'utf8')) as { pid: number; runDir: string; files: Record<string, string> };
  // Looked at as the command exits: an orphan would hold its output open (and train on).
  const orphaned = isPidAlive(pid);
  if (orphaned) process.kill(pid, 'SIGKILL');
  await closed;
  assert.equal(orphaned, false, 'the trainer is gone, not left running on its own');
  assert.equal(code, 1, output.stderr);
  const said = output.stderr.split('\n').filter((l) => /^error: /.test(l));
  assert.equal(said.length, 1, output.stderr);
  assert.match(said[0]!, /^error: the trainer sent bytes that are not a message on its channel \(.*W0000 nati.*\); the run was stopped, and what it wrote so far is kept \(run\.json of .+ marked failed\)$/);
  assert.doesNotMatch(output.stderr, /^\s+at /m, 'no stack trace');
  const record = readJson(path.join(runDir, RUN_FILES.run)) as unknown as RunRecord;
  assert.equal(record.status, 'failed');
  assert.match(record.error?.message ?? '', /^the trainer sent bytes that are not a message on its channel/);
  assert.ok(files[RUN_FILES.experiment], 'experiment.json was written before');
  for (const [name, text] of Object.entries(files)) {
    if (name === RUN_FILES.run) continue; // rewritten: failed, with the reason
    assert.ok(fs.readFileSync(path.join(runDir, name), 'utf8').startsWith(text), `${name} kept`);
  }
});
