// The files of a case's workspace before and after a command, to tell what it wrote: a command
// refused (exit 2) writes nothing, and no command changes or removes a file that was there.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Relative path -> sha1 of the content ('dir' for a folder); ".cache" (V8's code cache under HOME) is left out. */
export type Snapshot = Map<string, string>;

export function snapshot(dir: string): Snapshot {
  const out: Snapshot = new Map();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? path.join(rel, e.name) : e.name;
      if (!rel && e.name === '.cache') continue;
      if (e.isDirectory()) {
        out.set(r, 'dir');
        walk(r);
      } else if (e.isFile()) out.set(r, createHash('sha1').update(fs.readFileSync(path.join(dir, r))).digest('hex'));
      else out.set(r, e.isSymbolicLink() ? `link:${fs.readlinkSync(path.join(dir, r))}` : 'other');
    }
  };
  walk('');
  return out;
}

export interface SnapshotChange {
  changed: string[];
  removed: string[];
  added: string[];
}

export function compare(before: Snapshot, after: Snapshot): SnapshotChange {
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [f, h] of before) {
    const now = after.get(f);
    if (now === undefined) removed.push(f);
    else if (now !== h) changed.push(f);
  }
  return { changed, removed, added: [...after.keys()].filter((f) => !before.has(f)) };
}
