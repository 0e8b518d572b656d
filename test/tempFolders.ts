// Temporary folders for tests, removed when the test file's process exits: node --test runs each
// file in a process of its own, so what a file made is gone when it ends, passed or failed (a
// failure's message names what it read), and /tmp does not fill with a folder a test a run.
// MTS_KEEP_TEMP=1 keeps them, to look inside after a run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];

/** A new empty folder named mts-<prefix>-XXXXXX under the system's temporary folder. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mts-${prefix}-`));
  if (made.length === 0 && process.env.MTS_KEEP_TEMP !== '1') process.on('exit', removeMade);
  made.push(dir);
  return dir;
}

function removeMade(): void {
  for (const dir of made) {
    // A folder a test left read-only, or one a child process still writes to, is left, not thrown over.
    try { fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 }); } catch { /* left in /tmp */ }
  }
}
