// Old folders of V8's code cache (codeCache.ts keeps one per V8 version, architecture and flags
// tag, 3 MB each): an update of Node or of VS Code's runtime leaves its predecessor's behind for
// good. A folder's modification time says when it was last used: a start refreshes its own (at
// most once a day), and writing a cache into it does too. A folder unused for STALE_AFTER_MS is
// removed, a few per sweep: no process has started with it since, and one that still runs only
// writes into it at exit, which recreates it (codeCache.ts's writes may fail and change nothing).
// It is renamed first, so a process starting now finds no folder rather than part of one.
import fs from 'node:fs';
import path from 'node:path';

export const STALE_AFTER_MS = 30 * 24 * 3600 * 1000;
const REFRESH_EVERY_MS = 24 * 3600 * 1000;
/** At most this many folders are removed by one start: a sweep never holds a start up for long. */
export const MAX_REMOVED = 4;
/** `<V8 version>-<arch>-<flags tag>` as codeCacheDir names them (V8 versions may carry a suffix: 11.3.244.8-node.34), or one being removed. */
const CACHE_FOLDER = /^\d+(?:\.\d+)+(?:-[\w.]+)?-[a-z0-9_]+-\d+(?:\.removing-\d+)*$/;

/**
 * Marks `dir` (this runtime's cache folder) as used and, when it was last marked over a day ago,
 * removes the folders beside it unused for STALE_AFTER_MS. Returns the names removed. Never throws.
 */
export function sweepCodeCaches(dir: string, now = Date.now()): string[] {
  const removed: string[] = [];
  try {
    // No folder yet (the first start of this runtime): nothing was used, nothing to sweep yet.
    if (now - fs.statSync(dir).mtimeMs < REFRESH_EVERY_MS) return removed;
    fs.utimesSync(dir, now / 1000, now / 1000);
    const root = path.dirname(dir);
    for (const name of fs.readdirSync(root)) {
      if (removed.length >= MAX_REMOVED) break;
      const full = path.join(root, name);
      if (full === dir || !CACHE_FOLDER.test(name)) continue;
      try {
        const stat = fs.statSync(full);
        if (!stat.isDirectory() || now - stat.mtimeMs < STALE_AFTER_MS) continue;
        const doomed = `${full}.removing-${process.pid}`;
        fs.renameSync(full, doomed);
        fs.rmSync(doomed, { recursive: true, force: true });
        removed.push(name);
      } catch { /* another start removed it first, or it cannot be: left for later */ }
    }
  } catch { /* a cache folder that cannot be read or touched: as if there were no cache */ }
  return removed;
}
