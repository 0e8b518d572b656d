// `node test/unit/designer/harness/run.mjs [screenshots|interactions|studyInteractions|trainingInteractions|diagramInteractions] [filter]`: builds the
// designer (or the study view, the training panel, or the shared-weight diagram) and runs a harness script against it in headless Chromium (test-output/).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { buildDesigner, buildNodeScript, buildPage, repoRoot, temporaryFolder } from './build.mjs';

const name = process.argv[2] ?? 'screenshots';
const pages = { studyInteractions: 'study', trainingInteractions: 'training', diagramInteractions: 'diagram' };
const bundleDir = pages[name] ? await buildPage(pages[name]) : await buildDesigner();
const script = await buildNodeScript(path.join('test/unit/designer/harness', `${name}.ts`));
// The script finds the repository's files from its own place (test/repoRoot.ts), never from the
// working directory: it runs in an empty temporary one, so a path resolved from the cwd fails here.
// NODE_PATH: playwright-core from this repository (node_modules may be a link the bundle's folder does not see through).
const env = { ...process.env, NODE_PATH: path.join(repoRoot, 'node_modules') };
const cwd = temporaryFolder('mts-harness-cwd-');
// The bundles, the script and the cwd go when this process exits (build.mjs), passed or failed.
execFileSync(process.execPath, ['--enable-source-maps', script, bundleDir, ...process.argv.slice(3)], { stdio: 'inherit', cwd, env });
