// The repository's root, found from the running file's place rather than the working directory, so
// a test runs from any folder. Each test is its own bundle (out/test/unit/<folder>/…/x.test.js), at a
// depth that depends on its folder: the root is the nearest folder above that holds package.json and examples/.
import fs from 'node:fs';
import path from 'node:path';

function rootAbove(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'examples'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root (package.json and examples/) above ${start}`);
  }
}

export const ROOT = rootAbove(__dirname);
