// Old V8 code-cache folders (codeCache.ts keeps one per V8 version, architecture and flags) were
// never removed: each update of Node or of VS Code's runtime left 3 MB behind for good. A start
// now marks its own folder as used (at most once a day, at exit) and removes the folders no start has used
// for 30 days, a few at a time; the current ones, recent ones and anything not named like a
// cache folder stay.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MAX_REMOVED, STALE_AFTER_MS, sweepCodeCaches } from '../../../src/trainer/codeCacheSweep';
import { ROOT, tempDir } from './helpers';

const DAY = 24 * 3600 * 1000;

/** A folder with one file, last modified `age` ms before `now`. */
function folder(root: string, name: string, now: number, age: number): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'a.bin'), 'cache');
  const t = (now - age) / 1000;
  fs.utimesSync(dir, t, t);
  return dir;
}

test('a sweep removes the cache folders unused for 30 days, at most a few per start, and keeps the current, the recent and the unknown', () => {
  const root = tempDir('code-cache-sweep');
  const now = Date.now();
  const current = folder(root, '11.3.244.8-node.38-x64-2208153205', now, 2 * DAY);
  const stale = [
    folder(root, '11.3.244.8-node.34-x64-1155062015', now, STALE_AFTER_MS + DAY), // an older Node
    folder(root, '12.4.254.21-electron.0-x64-3710263042', now, 90 * DAY), // an older VS Code
    folder(root, '11.3.244.8-node.38-x64-4004009876.removing-77', now, 40 * DAY), // a sweep cut short
  ];
  const kept = [
    folder(root, '11.3.244.8-node.38-x64-1939937016', now, 10 * DAY), // the same Node without the trainer's flags (mts info)
    folder(root, '13.6.233.10-electron.0-x64-2111111111', now, STALE_AFTER_MS - DAY), // used 29 days ago
    folder(root, 'notes', now, 400 * DAY), // not a cache folder
  ];
  fs.writeFileSync(path.join(root, '10.2.154.26-node.26-x64-1234'), 'a file, not a folder');
  const removed = sweepCodeCaches(current, now);
  assert.deepEqual(removed.sort(), stale.map((d) => path.basename(d)).sort());
  for (const d of stale) assert.equal(fs.existsSync(d), false, d);
  for (const d of [current, ...kept]) assert.ok(fs.existsSync(path.join(d, 'a.bin')), d);
  assert.ok(fs.existsSync(path.join(root, '10.2.154.26-node.26-x64-1234')));
  assert.ok(Math.abs(fs.statSync(current).mtimeMs - now) < 1000, 'the current folder is marked as used');
  assert.deepEqual(fs.readdirSync(root).filter((n) => n.includes('.removing-')), [], 'nothing left half removed');

  // Marked less than a day ago: the next start does not look again.
  const unseen = folder(root, '9.4.146.26-node.24-x64-1', now, 100 * DAY);
  assert.deepEqual(sweepCodeCaches(current, now + 1000), []);
  assert.ok(fs.existsSync(unseen));
  // Bounded: at most MAX_REMOVED a start; the rest at later starts.
  const many = tempDir('code-cache-sweep-many');
  const own = folder(many, '11.3.244.8-node.38-x64-2208153205', now, 2 * DAY);
  for (let i = 0; i < MAX_REMOVED + 2; i++) folder(many, `9.4.146.${i}-node.24-x64-1`, now, 100 * DAY);
  assert.equal(sweepCodeCaches(own, now).length, MAX_REMOVED);
  assert.equal(sweepCodeCaches(own, now + 2 * DAY).length, 2);
  assert.deepEqual(fs.readdirSync(many), [path.basename(own)]);
  // A folder that does not exist yet (a runtime's first start): nothing happens.
  assert.deepEqual(sweepCodeCaches(path.join(root, '14.0.0.1-node.40-x64-5'), now), []);
});

test('`mts info` removes a stale cache folder of another runtime and keeps its own', { timeout: 120_000 }, () => {
  const home = tempDir('cli-code-cache-sweep');
  try {
    const env = { ...process.env, XDG_CACHE_HOME: home };
    const info = () => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), 'info'], { encoding: 'utf8', cwd: ROOT, env });
    const root = path.join(home, 'multi-task-studio', 'code-cache');
    const first = info();
    assert.equal(first.status, 0, first.stderr);
    const [own] = fs.readdirSync(root);
    assert.ok(own, 'mts info wrote its caches');
    const now = Date.now();
    const t = (now - 2 * DAY) / 1000;
    fs.utimesSync(path.join(root, own), t, t);
    const stale = folder(root, '10.2.154.26-node.26-x64-1234567', now, 60 * DAY);
    const recent = folder(root, '10.2.154.26-node.26-x64-7654321', now, 3 * DAY);
    const second = info();
    assert.equal(second.status, 0, second.stderr);
    assert.equal(fs.existsSync(stale), false, 'the stale folder is removed');
    assert.ok(fs.existsSync(recent), 'a recently used one stays');
    assert.ok(fs.readdirSync(path.join(root, own)).length > 100, 'its own caches stay');
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
