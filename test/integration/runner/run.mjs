#!/usr/bin/env node
// Runs the extension-host suite (test/integration/*.test.ts) inside code-server, the way
// @vscode/test-electron would in a desktop VS Code (ENVIRONMENT.md §3): the page URL
// carries a payload with extensionDevelopmentPath and extensionTestsPath; the suite's
// run() writes its results to $MTS_TEST_RESULTS, which this runner waits for and prints.
// Ends with `N passed, M failed`; non-zero exit on any failure.
//   MTS_EXTENSION_PATH=dir   test that extension folder instead of the repo (after a build)
//   MTS_SKIP_BUILD=1         do not run `node esbuild.mjs` first
//   MTS_INTEGRATION_TIMEOUT_MS (default 180000)
//   MTS_INTEGRATION_GREP=text run only the tests whose full title contains text (code-server and
//                            its extension host inherit this environment; index.ts reads it)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { prepareRun, stopEverything, withSession, RUN_MARKER } from '../../e2e/harness.mjs';
import { repoRoot } from '../../e2e/paths.mjs';
import { processesWithEnv } from '../../e2e/processes.mjs';
import { buildSuite } from './build-suite.mjs';

const timeoutMs = Number(process.env.MTS_INTEGRATION_TIMEOUT_MS ?? 180_000);
const log = (msg) => console.log(`[integration] ${msg}`);

/** The payload VS Code reads from the URL: paths are on the remote (code-server) side. */
function payloadUrl(base, extensionPath, suiteEntry) {
  const port = new URL(base).port;
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)], ['extensionTestsPath', remote(suiteEntry)]];
  return `${base}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function waitForResults(file, isAlive) {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`no results after ${timeoutMs} ms (the suite did not finish or did not load)`);
    if (!isAlive()) throw new Error('code-server exited before the suite finished');
    await new Promise((r) => setTimeout(r, 250));
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

let passed = 0;
let failed = 0;
let run;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    // code-server runs in its own process group, so the terminal's signal never reaches it.
    stopEverything().then(() => run?.dispose()).finally(() => process.exit(130));
  });
}
try {
  const extensionPath = path.resolve(process.env.MTS_EXTENSION_PATH ?? repoRoot);
  if (!process.env.MTS_SKIP_BUILD && !process.env.MTS_EXTENSION_PATH) {
    log('$ node esbuild.mjs');
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const suiteEntry = await buildSuite();
  run = await prepareRun({ installExtension: false });
  const resultsFile = path.join(run.tempRoot, 'results.json');
  log(`extension under test: ${extensionPath}`);
  await withSession(run, {
    name: 'integration suite',
    env: { MTS_TEST_RESULTS: resultsFile },
    url: (base) => payloadUrl(base, extensionPath, suiteEntry),
  }, async (s) => {
    const results = await waitForResults(resultsFile, () => processesWithEnv(RUN_MARKER, run.runId).length > 0);
    for (const t of results.tests) {
      console.log(`${t.state === 'passed' ? '✔' : '✘'} ${t.title}`);
      if (t.error) console.log(`    ${t.error.split('\n').slice(0, 10).join('\n    ')}`);
    }
    passed = results.passed;
    failed = results.failed;
    if (failed) await s.screenshot('after-failures');
  });
} catch (error) {
  failed++;
  console.log(`✘ integration runner: ${error?.message ?? error}`);
} finally {
  run?.dispose();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
