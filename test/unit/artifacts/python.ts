// Finds the Python that has the `tensorboard` package (set up by
// scripts/setup-python-reader.sh) for tests that check our files with an independent reader.
// Absent: the test fails under CI (CI=true) and is skipped locally with a message saying why.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

const SETUP_HINT = 'run `bash scripts/setup-python-reader.sh` or set MTS_PYTHON to a python with tensorboard';

function works(python: string, module: string): boolean {
  try {
    execFileSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

function candidates(): string[] {
  const list = [process.env.MTS_PYTHON, path.join(os.homedir(), '.cache', 'multi-task-studio', 'pyenv', 'bin', 'python')];
  return list.filter((p): p is string => !!p && existsSync(p));
}

const found = new Map<string, string | undefined>();

/** A python that can `import module`, or undefined. The tensorboard venv first, then python3. */
export function findPython(module: string): string | undefined {
  if (!found.has(module)) {
    const all = [...candidates(), 'python3'];
    found.set(module, all.find((p) => works(p, module)));
  }
  return found.get(module);
}

/** The python for this test, or undefined after skipping it (locally) / failing it (CI). */
export function requirePython(t: TestContext, module: string): string | undefined {
  const python = findPython(module);
  if (python) return python;
  const message = `no python with \`${module}\`: ${SETUP_HINT}`;
  if (process.env.CI === 'true') assert.fail(message);
  t.skip(message);
  return undefined;
}

export function runPython(python: string, script: string, args: string[] = []): string {
  return execFileSync(python, ['-c', script, ...args], { encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
}
