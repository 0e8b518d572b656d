#!/usr/bin/env node
// `npm test`: build (type check included), lint, then the unit tests, the designer's
// interactions in headless Chromium, the extension-host
// integration suite and the end-to-end scenarios in a real VS Code (code-server). Each
// stage's own summary is read back; each stage ends with its wall time
// (`=== unit tests: 412 s`), repeated in a table at the end; the last line totals the tests:
// `N passed, M failed`. `--skip-e2e` leaves out the two VS Code stages (quick local runs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skipE2e = process.argv.includes('--skip-e2e');

function run(label, cmd, args) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('close', (code) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      console.log(`=== ${label}: ${seconds} s`);
      resolve({ code, out, seconds });
    });
  });
}

/** Counts from node's TAP reporter (`# pass N`) or from a plain `N passed, M failed` line. */
function counts(out) {
  const tapPass = [...out.matchAll(/^# pass (\d+)$/gm)].pop();
  const tapFail = [...out.matchAll(/^# fail (\d+)$/gm)].pop();
  if (tapPass && tapFail) return { passed: Number(tapPass[1]), failed: Number(tapFail[1]) };
  const plain = [...out.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed/gm)].pop();
  return plain ? { passed: Number(plain[1]), failed: Number(plain[2]) } : undefined;
}

const stages = [
  ['build', 'npm', ['run', 'build']],
  ['lint', 'npm', ['run', 'lint']],
  ['python reader for TensorBoard files', 'bash', ['scripts/setup-python-reader.sh']],
  ['python with Keras 3 for the export tests', 'bash', ['scripts/setup-keras-venv.sh']],
  ['unit tests', process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=tap', ...listTests('out/test/unit')], { counted: true }],
  ['designer interactions in Chromium', process.execPath, ['test/unit/designer/harness/run.mjs', 'interactions'], { counted: true }],
  ['study view interactions in Chromium', process.execPath, ['test/unit/designer/harness/run.mjs', 'studyInteractions'], { counted: true }],
  ['training panel interactions in Chromium (conflict heatmap)', process.execPath, ['test/unit/designer/harness/run.mjs', 'trainingInteractions'], { counted: true }],
  ['shared-weight diagram interactions in Chromium (unit reliance, task affinity)', process.execPath, ['test/unit/designer/harness/run.mjs', 'diagramInteractions'], { counted: true }],
  ...(skipE2e ? [] : [
    ['extension-host integration suite (code-server)', process.execPath, ['test/integration/runner/run.mjs'], { counted: true }],
    ['end-to-end scenarios (code-server)', process.execPath, ['test/e2e/run.mjs'], { counted: true }],
  ]),
];

function listTests(dir) {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [dir];
  return fs.readdirSync(abs, { recursive: true }).map(String).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(dir, f));
}

let passed = 0;
let failed = 0;
const failures = [];
const times = [];
const started = Date.now();
for (const [label, cmd, args, opts] of stages) {
  // The unit test list is read after the build made it.
  const finalArgs = label === 'unit tests' ? ['--test', '--test-concurrency=1', '--test-reporter=tap', ...listTests('out/test/unit')] : args;
  const { code, out, seconds } = await run(label, cmd, finalArgs);
  times.push([label, seconds]);
  if (opts?.counted) {
    const c = counts(out);
    if (c) { passed += c.passed; failed += c.failed; }
    if (code !== 0 || !c || c.failed > 0) failures.push(label);
    if (!c) failed++;
  } else if (code !== 0) {
    failures.push(label);
    failed++;
    break; // nothing after a failed build or lint is meaningful
  }
}
console.log('\nwall time per stage:');
for (const [label, seconds] of times) console.log(`${String(seconds).padStart(6)} s  ${label}`);
console.log(`${String(Math.round((Date.now() - started) / 1000)).padStart(6)} s  in all`);
console.log(failures.length ? `\nfailed stages: ${failures.join(', ')}` : '\nall stages passed');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
