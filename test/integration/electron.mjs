#!/usr/bin/env node
// The same extension-host suite in a desktop VS Code through @vscode/test-electron, for
// machines that can download VS Code (its update host is unreachable on ours; there
// test/integration/runner/run.mjs runs the suite in code-server). Ends with
// `N passed, M failed`. Needs a display (xvfb-run on a headless Linux).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { repoRoot, fixturesRoot } from '../e2e/paths.mjs';
import { buildSuite } from './runner/build-suite.mjs';

execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
const suiteEntry = await buildSuite();
const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-electron-'));
const workspace = path.join(temp, 'workspace');
fs.cpSync(path.join(fixturesRoot, 'demo'), workspace, { recursive: true });
const resultsFile = path.join(temp, 'results.json');

let passed = 0;
let failed = 0;
try {
  await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteEntry,
    extensionTestsEnv: { MTS_TEST_RESULTS: resultsFile },
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust',
      '--user-data-dir', path.join(temp, 'user-data'), '--extensions-dir', path.join(temp, 'extensions')],
  });
} catch (error) {
  // runTests rejects when the suite fails; the results file says what failed.
  if (!fs.existsSync(resultsFile)) {
    failed++;
    console.log(`✘ VS Code test run: ${error?.message ?? error}`);
  }
}
if (fs.existsSync(resultsFile)) {
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const t of results.tests) {
    console.log(`${t.state === 'passed' ? '✔' : '✘'} ${t.title}`);
    if (t.error) console.log(`    ${t.error.split('\n').slice(0, 10).join('\n    ')}`);
  }
  passed += results.passed;
  failed += results.failed;
}
fs.rmSync(temp, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
