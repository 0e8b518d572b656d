#!/usr/bin/env node
// `npm test`: build (type check included), lint, then the unit tests, the designer's
// interactions in headless Chromium, the extension-host
// integration suite and the end-to-end scenarios in a real VS Code (code-server). Each
// stage's own summary is read back; each stage ends with its wall time and, on Linux, the CPU
// time of its processes (`=== unit tests: N s, CPU M s`: M near 2N keeps both cores busy),
// repeated in a table at the end; the last line totals the tests: `N passed, M failed`.
// `--skip-e2e` leaves out the two VS Code stages (quick local runs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const skipE2e = process.argv.includes('--skip-e2e');

/**
 * User + system seconds of the child processes ended so far (and of those they waited for):
 * /proc/self/stat's cutime and cstime, in Linux's fixed 100 ticks a second; undefined elsewhere.
 */
function childCpuSeconds() {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ').pop().split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
  const started = Date.now();
  const cpuBefore = childCpuSeconds();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.on('close', (code) => {
      const seconds = Math.round((Date.now() - started) / 1000);
      const cpuAfter = childCpuSeconds();
      const cpu = cpuBefore === undefined || cpuAfter === undefined ? '' : `, CPU ${Math.round(cpuAfter - cpuBefore)} s`;
      const time = `${seconds} s${cpu}`;
      console.log(`=== ${label}: ${time}`);
      resolve({ code, out, time });
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
  // Two files at a time but those that measure threads or time (scripts/unit-tests.mjs says which).
  ['unit tests', process.execPath, ['scripts/unit-tests.mjs'], { counted: true }],
  ['designer interactions in Chromium', process.execPath, ['test/unit/designer/harness/run.mjs', 'interactions'], { counted: true }],
  ['study view interactions in Chromium', process.execPath, ['test/unit/designer/harness/run.mjs', 'studyInteractions'], { counted: true }],
  ['training panel interactions in Chromium (conflict heatmap)', process.execPath, ['test/unit/designer/harness/run.mjs', 'trainingInteractions'], { counted: true }],
  ['shared-weight diagram interactions in Chromium (unit reliance, task affinity)', process.execPath, ['test/unit/designer/harness/run.mjs', 'diagramInteractions'], { counted: true }],
  ...(skipE2e ? [] : [
    // The build stage made dist/ already: the runner's own `node esbuild.mjs` would only repeat it.
    ['extension-host integration suite (code-server)', process.execPath, ['test/integration/runner/run.mjs'], { counted: true, env: { MTS_SKIP_BUILD: '1' } }],
    ['end-to-end scenarios (code-server)', process.execPath, ['test/e2e/run.mjs'], { counted: true }],
  ]),
];

let passed = 0;
let failed = 0;
const failures = [];
const times = [];
const started = Date.now();
for (const [label, cmd, args, opts] of stages) {
  const { code, out, time } = await run(label, cmd, args, opts?.env);
  times.push([label, time]);
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
for (const [label, time] of times) console.log(`${time.padEnd(18)}  ${label}`);
console.log(`${Math.round((Date.now() - started) / 1000)} s in all`);
console.log(failures.length ? `\nfailed stages: ${failures.join(', ')}` : '\nall stages passed');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
