// Bundles the extension-host suite into out/test/integration/: index.js (the mocha entry
// VS Code loads as extensionTestsPath) and one *.test.js per test file. `vscode` and
// `mocha` stay external: the host provides the first, and mocha loads its reporters and
// interfaces dynamically, which does not survive bundling.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../e2e/paths.mjs';

export const suiteDir = path.join(repoRoot, 'out', 'test', 'integration');
export const suiteEntry = path.join(suiteDir, 'index.js');

export async function buildSuite() {
  const src = path.join(repoRoot, 'test', 'integration');
  const tests = fs.readdirSync(src).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(src, f));
  await esbuild.build({
    entryPoints: [path.join(src, 'index.ts'), ...tests],
    outdir: suiteDir, bundle: true, platform: 'node', format: 'cjs', target: 'es2022',
    sourcemap: true, external: ['vscode', 'mocha', '@tensorflow/*'], logLevel: 'warning',
  });
  return suiteEntry;
}
