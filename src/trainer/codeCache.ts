// V8's code cache for the JavaScript the trainer requires from node_modules (TensorFlow.js and
// its parts: several MB of code compiled at every start). Node 20 has no compile cache of its
// own (module.enableCompileCache came in Node 22), so the trainer's CommonJS loader is given
// one here, as the v8-compile-cache package does: each module is compiled as a vm.Script with
// the bytecode V8 wrote for it last time, and a module without one (or whose cache V8 rejects)
// gets its cache written once the loading is done (below: when), with every function run by then.
// Measured (2026-12-01, alternating, load 13-21): the require of @tensorflow/tfjs-node 400-411 ms
// of CPU with the cache against 479-485 without (its native library's load is the rest); in
// bench/startup.ts the trainer's 'TensorFlow loaded' stage 0.453-0.496 s against 0.509-0.553 and its
// CPU time to the first step 1.16-1.23 s against 1.23-1.28 (three runs of 3 starts each); at load
// 3-5, four more: 0.377-0.427 s against 0.434-0.450, 1.02-1.10 s against 1.10-1.12, and the first
// step's wall time 0.899-1.159 s (median 0.98) against 0.999-1.152 (median 1.07); memory
// at that stage +10 MB (the caches read, code deserialised that would be compiled later), the
// peak to the first step +1-2 MB. A start that misses (the first, or after an update) costs
// about 150 ms more CPU than no cache (hashing, and writing 3 MB of caches for 298 files).
// `mts train` (cli.ts; digits-parity, --epochs 1, 2026-12-01, load 4.4-5.2, two runs of 12 starts
// alternating with a build without it): its trainer's CPU time to 'TensorFlow loaded' 43 and 48 ms
// less (medians of the pairs; lower in 10 and 8 of 12), the wall time to the first step inside the noise.
// A cache is keyed by the file's path and checked against a SHA-1 of its text (V8 itself checks
// only the length), in a folder per V8 version, architecture and flags; folders no start has used for
// a month are removed (codeCacheSweep.ts). Nothing here may fail a run:
// a cache that cannot be read or written is compiled or left unwritten as if there were none.
import crypto from 'node:crypto';
import fs from 'node:fs';
import Module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { sweepCodeCaches } from './codeCacheSweep';

interface LoaderModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}

interface ModuleStatics {
  prototype: LoaderModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: LoaderModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: LoaderModule): string[] | null;
  _extensions: unknown;
  _cache: unknown;
}

/**
 * The folder of this runtime's caches. V8 rejects a cache made by another version or under other
 * flags (its version tag hashes them), so each keeps its own: a trainer (core/trainerFlags.ts) and
 * `mts info` or `mts study` (no such flags) would otherwise overwrite each other's at every start.
 */
export function codeCacheDir(): string {
  const root = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(root, 'multi-task-studio', 'code-cache', `${process.versions.v8}-${process.arch}-${v8.cachedDataVersionTag()}`);
}

const HASH_BYTES = 20;
const sha1 = (text: string) => crypto.createHash('sha1').update(text).digest();
/** A cache file: the SHA-1 of the module's text, then V8's cache data. */
const cacheFile = (dir: string, filename: string) => path.join(dir, `${crypto.createHash('sha1').update(filename).digest('hex')}.bin`);

/** The process's main module, as Node's own require functions give it. */
const mainModule = require.main;

let installed: { dir: string; hits: number; misses: number } | undefined;

/**
 * Compiles every module later required from a node_modules folder through the code cache in
 * `dir` (once per process; later calls change nothing). Returns the counts so far: modules
 * compiled from a cache (`hits`) and without one (`misses`, written at exit).
 */
export function installCodeCache(dir: string = codeCacheDir()): { hits: number; misses: number } {
  if (installed) return installed;
  const state = { dir, hits: 0, misses: 0 };
  installed = state;
  const M = Module as unknown as ModuleStatics;
  const original = M.prototype._compile;
  const toWrite: Array<{ file: string; hash: Buffer; script: vm.Script }> = [];
  const inNodeModules = `${path.sep}node_modules${path.sep}`;
  let schedule = () => {};
  M.prototype._compile = function compileCached(this: LoaderModule, content: string, filename: string) {
    if (!filename.includes(inNodeModules)) return original.call(this, content, filename);
    const file = cacheFile(dir, filename);
    const hash = sha1(content);
    let cachedData: Buffer | undefined;
    try {
      const bytes = fs.readFileSync(file);
      if (bytes.length > HASH_BYTES && bytes.subarray(0, HASH_BYTES).equals(hash)) cachedData = bytes.subarray(HASH_BYTES);
    } catch { /* no cache yet */ }
    // A dynamic import() in a module still goes to Node's loader (where the runtime has the option).
    const importer = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
    const script = new vm.Script(M.wrap(content), { filename, ...(cachedData ? { cachedData } : {}), ...(importer ? { importModuleDynamically: importer as never } : {}) });
    if (cachedData && !script.cachedDataRejected) state.hits++;
    else { state.misses++; toWrite.push({ file, hash, script }); schedule(); }
    // What Node's own _compile hands a module: its require (with resolve, main, extensions, cache).
    const moduleRequire = Object.assign((id: string) => this.require(id), {
      resolve: Object.assign((request: string, options?: { paths?: string[] }) => M._resolveFilename(request, this, false, options),
        { paths: (request: string) => M._resolveLookupPaths(request, this) }),
      main: mainModule, extensions: M._extensions, cache: M._cache,
    });
    const fn = script.runInThisContext({ displayErrors: true }) as (...a: unknown[]) => unknown;
    return fn.call(this.exports, this.exports, moduleRequire, this, filename, path.dirname(filename));
  };
  // V8 rejects a cache made under other flags, and the trainer turns one on as it runs
  // (data/release.ts: --expose-gc): the caches are written at the first turn of the event loop
  // after a miss (the require of TensorFlow.js is followed by an await), while the flags are
  // still those of the next start, or at exit if they still are.
  const tag = v8.cachedDataVersionTag();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = toWrite.splice(0);
    if (!batch.length || v8.cachedDataVersionTag() !== tag) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const { file, hash, script } of batch) {
        // A temporary name, then a rename: two trainers starting together never leave half a file.
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, Buffer.concat([hash, script.createCachedData()]));
        fs.renameSync(tmp, file);
      }
    } catch { /* a full or read-only disk: the next start compiles as this one did */ }
  };
  schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush).unref();
  };
  process.once('exit', flush);
  // Folders of earlier runtimes are removed at exit, off the start's path (codeCacheSweep.ts):
  // a command may end without a free turn of the event loop.
  process.once('exit', () => sweepCodeCaches(dir));
  return state;
}
