// V8's code cache (trainer/codeCache.ts) in the headless CLI: `mts train`'s trainer child writes
// the caches of what it requires from node_modules at its first start and compiles from them at
// the next, and `mts info` (no trainer flags, so caches V8 would reject there) keeps its own
// folder instead of overwriting the trainer's. Observed through the files: a start that compiles
// a module without a usable cache writes that module's cache anew (a new file, renamed into place).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { exampleFile, ROOT, tempDir } from './helpers';

const HASH_BYTES = 20;

/** Each cache file of a folder: its inode and modification time (a rewrite changes the inode). */
function filesOf(dir: string): Map<string, string> {
  return new Map(fs.readdirSync(dir).map((f) => {
    const s = fs.statSync(path.join(dir, f));
    return [f, `${s.ino}:${s.mtimeMs}`];
  }));
}

test('a second `mts train` compiles TensorFlow.js from the caches the first wrote; `mts info` leaves them alone', () => {
  const home = tempDir('cli-code-cache');
  try {
    const env = { ...process.env, XDG_CACHE_HOME: home };
    const mts = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), ...args], { encoding: 'utf8', cwd: ROOT, env });
    const train = () => mts('train', exampleFile('correlated-regression'), '--epochs', '1', '--out', path.join(home, 'runs'));
    const root = path.join(home, 'multi-task-studio', 'code-cache');

    const first = train();
    assert.equal(first.status, 0, first.stderr);
    // One folder: the trainer child's (the supervising parent requires nothing from node_modules).
    const folders = fs.readdirSync(root);
    assert.equal(folders.length, 1, folders.join(', '));
    const dir = path.join(root, folders[0]!);
    const written = filesOf(dir);
    assert.ok(written.size > 100, `${written.size} cache files: TensorFlow.js alone is hundreds of modules`);
    assert.deepEqual([...written.keys()].filter((f) => !f.endsWith('.bin')), [], 'no temporary file left');

    // One cache spoiled (its recorded hash no longer the module's): the next start must notice it.
    const spoiled = [...written.keys()].sort()[0]!;
    const bytes = fs.readFileSync(path.join(dir, spoiled));
    bytes.fill(0, 0, HASH_BYTES);
    fs.writeFileSync(path.join(dir, spoiled), bytes);
    const before = filesOf(dir);

    const second = train();
    assert.equal(second.status, 0, second.stderr);
    const after = filesOf(dir);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'no module compiled without a cache');
    const rewritten = [...after].filter(([f, stamp]) => before.get(f) !== stamp).map(([f]) => f);
    assert.deepEqual(rewritten, [spoiled], 'only the spoiled cache is written again; every other module was compiled from its cache');
    assert.notDeepEqual(fs.readFileSync(path.join(dir, spoiled)).subarray(0, HASH_BYTES), Buffer.alloc(HASH_BYTES));

    // `mts info` runs without the trainer's Node flags: V8 would reject the trainer's caches there.
    const info = mts('info');
    assert.equal(info.status, 0, info.stderr);
    assert.equal(fs.readdirSync(root).length, 2, 'mts info keeps caches of its own');
    assert.deepEqual(filesOf(dir), after, "the trainer's caches are untouched");
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
