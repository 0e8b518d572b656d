// V8's code cache for the trainer's node_modules (trainer/codeCache.ts). Each case runs in a
// fresh process (this file started again with --child), as a trainer starts: the first start
// compiles and writes the caches at exit, the next compiles from them, a module whose text
// changed (even to the same length, which V8 alone would accept) is compiled anew, a V8 flag
// the trainer turns on later does not spoil them, and a cache folder that cannot be written
// never fails the process.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import v8 from 'node:v8';
import { test } from 'node:test';
import { installCodeCache } from '../../../src/trainer/codeCache';
import { tempDir } from '../../tempFolders';

/**
 * In the child: the cache installed in `dir`, the fixture package required; prints what it saw.
 * `flagsLater`: then, after a turn of the event loop, a V8 flag turned on as the trainer's
 * data/release.ts does (a cache written after it would be rejected by the next start).
 */
async function child(dir: string, pkg: string, flagsLater: boolean): Promise<void> {
  const state = installCodeCache(dir);
  // The module under test is required at run time, through Node's loader (not the bundle).
  const loaded = createRequire(__filename)(pkg) as { value(): string; sibling: string; resolved: string; dirname: string };
  console.log(JSON.stringify({ value: loaded.value(), sibling: loaded.sibling, resolved: loaded.resolved, dirname: loaded.dirname, hits: state.hits, misses: state.misses }));
  if (flagsLater) {
    await new Promise((resolve) => setImmediate(resolve));
    v8.setFlagsFromString('--expose-gc');
  }
}

interface Seen { value: string; sibling: string; resolved: string; dirname: string; hits: number; misses: number }

function inChild(dir: string, pkg: string, flagsLater = false): Seen {
  const out = execFileSync(process.execPath, [__filename, '--child', dir, pkg, String(flagsLater)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return JSON.parse(out.trim().split('\n').pop()!) as Seen;
}

/** A package in a node_modules folder: its main module requires a sibling and resolves a path, as library code does. */
function fixture(root: string, word: string): string {
  const pkg = path.join(root, 'node_modules', 'cache-fixture');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'cache-fixture', main: 'index.js' }));
  fs.writeFileSync(path.join(pkg, 'sibling.js'), "module.exports = 'sibling';\n");
  fs.writeFileSync(path.join(pkg, 'index.js'), `exports.value = function () { return '${word}'; };\nexports.sibling = require('./sibling');\n` +
    "exports.resolved = require.resolve('./sibling');\nexports.dirname = __dirname;\n");
  return pkg;
}

if (process.argv[2] === '--child') {
  void child(process.argv[3]!, process.argv[4]!, process.argv[5] === 'true');
} else {
  test('a second start compiles node_modules from the caches the first wrote; a changed module is compiled anew', () => {
    const root = tempDir('code-cache');
    try {
      const dir = path.join(root, 'cache');
      const pkg = fixture(root, 'alpha');
      const first = inChild(dir, pkg);
      assert.deepEqual(first, { value: 'alpha', sibling: 'sibling', resolved: path.join(pkg, 'sibling.js'), dirname: pkg, hits: 0, misses: 2 });
      // Two modules, two cache files (no temporary file left).
      assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.bin')).length, 2);
      assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
      const second = inChild(dir, pkg);
      assert.deepEqual(second, { ...first, hits: 2, misses: 0 });
      // 'omega' has alpha's length: the file's length is unchanged, its text is not.
      fixture(root, 'omega');
      const third = inChild(dir, pkg);
      assert.deepEqual(third, { ...first, value: 'omega', hits: 1, misses: 1 });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('a V8 flag turned on after the loading leaves the caches usable by the next start', () => {
    const root = tempDir('code-cache');
    try {
      const dir = path.join(root, 'cache');
      const pkg = fixture(root, 'alpha');
      assert.equal(inChild(dir, pkg, true).misses, 2);
      const next = inChild(dir, pkg, true);
      assert.equal(next.value, 'alpha');
      assert.equal(next.hits, 2, 'the caches were written under the changed flags, and rejected');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  test('a cache folder that cannot be made leaves the process working and its exit clean', () => {
    const root = tempDir('code-cache');
    try {
      const pkg = fixture(root, 'alpha');
      // The cache folder's parent is a file: mkdir fails at exit.
      fs.writeFileSync(path.join(root, 'blocked'), '');
      const seen = inChild(path.join(root, 'blocked', 'cache'), pkg);
      assert.equal(seen.value, 'alpha');
      assert.equal(seen.misses, 2);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
}
