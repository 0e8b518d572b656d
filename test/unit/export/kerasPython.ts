// The Python with Keras 3 and TensorFlow (scripts/setup-keras-venv.sh) that runs the exported
// packages in the export tests. Absent: the test fails under CI (CI=true) and is skipped
// locally with a message saying how to set it up.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

const VENV = process.env.MTS_KERAS_VENV ?? path.join(os.homedir(), '.cache', 'multi-task-studio', 'keras-venv');
let found: string | null | undefined;

function kerasPython(): string | undefined {
  if (found === undefined) {
    const python = path.join(VENV, 'bin', 'python');
    const ok = existsSync(python) && spawnSync(python, ['-c', 'import keras, tensorflow'], { stdio: 'ignore', timeout: 120_000 }).status === 0;
    found = ok ? python : null;
  }
  return found ?? undefined;
}

export function requireKeras(t: TestContext): string | undefined {
  const python = kerasPython();
  if (python) return python;
  const message = `no python with keras and tensorflow in ${VENV}: run \`bash scripts/setup-keras-venv.sh\``;
  if (process.env.CI === 'true') assert.fail(message);
  t.skip(message);
  return undefined;
}

/** Runs a Python script in `cwd` (TensorFlow's start-up chatter silenced); its stdout. */
export function runPython(python: string, script: string, cwd: string, env: Record<string, string> = {}): string {
  return execFileSync(python, ['-c', script], {
    cwd, encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '-1', ...env },
  });
}
