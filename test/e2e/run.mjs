#!/usr/bin/env node
// Entry for `npm run test:e2e`: each scenario in a fresh code-server window; ends with the
// line `N passed, M failed` and a non-zero exit on any failure.
//   node test/e2e/run.mjs [name filter]     MTS_VSIX=path  MTS_E2E_EXTENSION=folder
//
// Scenarios still to write, as the features land (not stubs; none of them exists yet):
//   - new experiment: "New multi-task experiment" → pick a template → designer opens with
//     the graph, shared nodes coloured for every task they serve
//   - designer edit: add a layer from the palette, connect it → the *.mtl.json text changes,
//     the tab is dirty, undo restores it, save writes it
//   - train: "Train multi-task model" → curves for each task in the webview, a progress
//     notification and status bar epoch → runs/<name>/<stamp>/ holds run.json "completed",
//     metrics.jsonl, model/, summary.json, report.md
//   - stop training: start, "Stop training" → run.json "cancelled", no trainer process left
//   - shared-weight diagram: "Show shared-weight diagram" on a finished run renders the diagram
//   - invalid experiment: a broken *.mtl.json shows a problem with its JSON path, no stack trace
//   - themes: designer screenshots in light, dark and high-contrast
import fs from 'node:fs';
import path from 'node:path';
import { prepareRun, stopEverything, withSession, RUN_MARKER } from './harness.mjs';
import { processesWithEnv } from './processes.mjs';
import activation from './scenarios/activation.mjs';
import stop from './scenarios/stop.mjs';
import train from './scenarios/train.mjs';

const scenarios = [activation, train, stop];

const filter = process.argv[2];
const selected = scenarios.filter((s) => !filter || s.name.includes(filter));
let passed = 0;
let failed = 0;
let run;

async function cleanup() {
  run?.dispose();
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`[e2e] ${signal}: stopping`);
    // code-server runs in its own process group, so the terminal's signal never reaches it.
    stopEverything().then(cleanup).finally(() => process.exit(130));
  });
}

try {
  run = await prepareRun();
  for (const scenario of selected) {
    console.log(`\n▶ ${scenario.name}`);
    try {
      await withSession(run, scenario, (s) => scenario.run(s));
      passed++;
      console.log(`✔ ${scenario.name}`);
    } catch (error) {
      failed++;
      console.log(`✘ ${scenario.name}\n    ${String(error?.message ?? error).split('\n').join('\n    ')}`);
    }
  }
  const leftovers = processesWithEnv(RUN_MARKER, run.runId);
  if (leftovers.length) {
    failed++;
    console.log(`✘ processes left running after the run:\n${leftovers.map((p) => `    ${p.pid} ${p.cmdline}`).join('\n')}`);
    for (const p of leftovers) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
  }
} catch (error) {
  failed++;
  console.log(`✘ harness setup: ${error?.stack ?? error}`);
} finally {
  await cleanup();
}
if (fs.existsSync(path.resolve('test-output/e2e'))) console.log(`[e2e] screenshots and logs: test-output/e2e/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
