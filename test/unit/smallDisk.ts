// Real file-system faults for tests: a tiny tmpfs that fills up (ENOSPC), or one remounted
// read-only (EROFS). Needs root (mount); where it cannot mount, the test is skipped and says why.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { tempDir } from '../tempFolders';

export interface SmallDisk {
  dir: string;
  /** Fills the remaining space with a file, so the next write that needs a new block fails with ENOSPC. */
  fill(): void;
  readOnly(): void;
  unmount(): void;
}

/** Mounts a `sizeKb` tmpfs on a fresh folder; undefined (and the test skipped, with the reason) where that is impossible. */
export function mountSmallDisk(t: TestContext, sizeKb: number): SmallDisk | undefined {
  const dir = tempDir('small-disk');
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    t.skip('a real full or read-only disk needs a tmpfs mount, which needs root on Linux');
    return undefined;
  }
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    t.skip(`cannot mount a tmpfs here: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`);
    return undefined;
  }
  let mounted = true;
  return {
    dir,
    fill() {
      try {
        fs.writeFileSync(path.join(dir, 'filler'), Buffer.alloc(sizeKb * 1024));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
    },
    readOnly() {
      execFileSync('mount', ['-o', 'remount,ro', dir], { stdio: 'pipe' });
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      fs.rmdirSync(dir);
    },
  };
}
