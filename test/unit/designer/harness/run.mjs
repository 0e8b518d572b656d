// `node test/unit/designer/harness/run.mjs [screenshots|interactions|studyInteractions|trainingInteractions|diagramInteractions] [filter]`: builds the
// designer (or the study view, the training panel, or the shared-weight diagram) and runs a harness script against it in headless Chromium (test-output/).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildDesigner, buildNodeScript, buildPage, repoRoot } from './build.mjs';

const name = process.argv[2] ?? 'screenshots';
const pages = { studyInteractions: 'study', trainingInteractions: 'training', diagramInteractions: 'diagram' };
const bundleDir = pages[name] ? await buildPage(pages[name]) : await buildDesigner();
const script = await buildNodeScript(path.join('test/unit/designer/harness', `${name}.ts`));
// The script runs from a temp folder: let it find playwright-core in this repository.
const env = { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') };
try {
  execFileSync(process.execPath, ['--enable-source-maps', script, bundleDir, ...process.argv.slice(3)], { stdio: 'inherit', cwd: repoRoot, env });
} finally {
  fs.rmSync(bundleDir, { recursive: true, force: true });
  fs.rmSync(path.dirname(script), { recursive: true, force: true });
}
