// `node bench/designer-layout.mjs`: how long laying out (the automatic column layout, and elk
// for "Auto-layout") and drawing a 100-layer graph take in the designer, in Node and in
// headless Chromium (/usr/bin/chromium). Prints figures.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildDesigner, buildNodeScript, repoRoot } from '../test/unit/designer/harness/build.mjs';

const bundleDir = await buildDesigner();
const script = await buildNodeScript('bench/designerLayout.ts');
try {
  execFileSync(process.execPath, ['--enable-source-maps', script, bundleDir], {
    stdio: 'inherit', cwd: repoRoot, env: { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') },
  });
} finally {
  fs.rmSync(bundleDir, { recursive: true, force: true });
  fs.rmSync(path.dirname(script), { recursive: true, force: true });
}
