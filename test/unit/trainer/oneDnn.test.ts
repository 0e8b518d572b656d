// TensorFlow's oneDNN switch (trainer/oneDnn.ts): a dense model loads TensorFlow without oneDNN,
// whose allocator keeps every large tensor's memory after it is freed; with it off, freed memory
// goes back to the system. The switch is read once per process, so each case runs in a fresh
// process (this file, started again with --child).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { test } from 'node:test';
import type { ExperimentSpec } from '../../../src/core/spec';
import { loadBackend } from '../../../src/trainer/backend';
import { oneDnnFor } from '../../../src/trainer/oneDnn';
import { exampleDoc } from './helpers';

const example = (name: string) => exampleDoc(name) as unknown as ExperimentSpec;

/** Private resident memory of this process, MB (Linux). */
const privateMb = () => Number(/^RssAnon:\s+(\d+)/m.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

/**
 * In the child: tensors of 40 MB made, written and freed; prints how much private memory they
 * left behind. 40 MB is above any threshold glibc's malloc moves its mmap threshold to (32 MB at
 * most), so without oneDNN's pool each block goes back to the system as it is freed.
 */
async function child(oneDnn: boolean): Promise<void> {
  const { tf, oneDnn: loaded } = await loadBackend('tensorflow', { oneDnn });
  const before = privateMb();
  for (let round = 0; round < 2; round++) {
    const blocks = Array.from({ length: 2 }, (_, i) => tf.fill([10 * 1024 * 1024], round + i));
    tf.dispose(tf.addN(blocks));
    tf.dispose(blocks);
  }
  console.log(JSON.stringify({ loaded, leftMb: privateMb() - before }));
}

function inChild(oneDnn: boolean): { loaded: boolean; leftMb: number } {
  const env = { ...process.env };
  delete env.TF_ENABLE_ONEDNN_OPTS;
  const out = execFileSync(process.execPath, [__filename, '--child', String(oneDnn)], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out.trim().split('\n').pop()!) as { loaded: boolean; leftMb: number };
}

if (process.argv[2] === '--child') {
  void child(process.argv[3] === 'true');
} else {
  test('dense models turn oneDNN off; convolutional and recurrent ones keep it', () => {
    assert.equal(oneDnnFor(example('digits-parity')), false);
    assert.equal(oneDnnFor(example('mmoe-regression')), false);
    assert.equal(oneDnnFor(example('multimnist-cnn')), true);
    assert.equal(oneDnnFor(example('sequence-lstm')), true);
  });

  test('loaded without oneDNN, TensorFlow gives freed tensors\' memory back (with it, its pool keeps them)', { skip: process.platform !== 'linux' && 'reads /proc' }, (t) => {
    const off = inChild(false);
    assert.equal(off.loaded, false);
    assert.ok(off.leftMb < 16, `${off.leftMb.toFixed(1)} MB of the 120 MB freed stayed resident`);
    const on = inChild(true);
    assert.equal(on.loaded, true);
    // The premise of oneDnn.ts, a property of TensorFlow's oneDNN on the CPU at hand, not of our code:
    // seen on Intel machines here (60+ MB kept), not on an AMD EPYC (2026-12-01: 4.3 MB). Said, not failed.
    if (on.leftMb <= 60) t.diagnostic(`with oneDNN only ${on.leftMb.toFixed(1)} MB stayed on this CPU (${cpuModel()}): its pool keeps no freed memory here, so turning it off saves no memory on this machine`);
  });
}

function cpuModel(): string {
  return /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
}
