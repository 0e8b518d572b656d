// Small waiting assertions for scenarios: each polls what the user sees until it holds, and
// on timeout says what was there instead.
import fs from 'node:fs';
import path from 'node:path';

const STEP_TIMEOUT = Number(process.env.MTS_E2E_TIMEOUT_MS ?? 60_000);
const squash = (t) => (t ?? '').replaceAll('\u00a0', ' ').replace(/\s+/g, ' ').trim();

/** Waits until the text of `locator` (its first match) matches `pattern` (RegExp or substring); returns the text. */
export async function expectText(locator, pattern, what = 'text', timeout = STEP_TIMEOUT) {
  const test = (t) => (typeof pattern === 'string' ? t.includes(pattern) : pattern.test(t));
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = squash(await locator.first().textContent({ timeout: Math.max(1, Math.min(5_000, deadline - Date.now())) }).catch(() => undefined));
    if (last !== undefined && test(last)) return last;
    if (Date.now() > deadline) throw new Error(`${what}: expected ${pattern}, found ${last === undefined ? 'no such element' : JSON.stringify(last.slice(0, 300))}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Run folders under <workspace>/runs/<experiment>/ (the layout ARCHITECTURE.md gives). */
export function runFolders(workspace) {
  const root = path.join(workspace, 'runs');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((e) => fs.readdirSync(path.join(root, e)).map((r) => path.join(root, e, r)));
}

/** run.json's status, or undefined while it cannot be read. */
export function runStatus(dir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8')).status;
  } catch {
    return undefined;
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}
