#!/usr/bin/env node
// The unit stage of `npm test`: every out/test/unit/**/*.test.js in its own node process, two
// files at a time. Most tests keep TensorFlow on one intra-op thread
// (src/trainer/threads.ts) or wait on child processes and files, so one file leaves a core of a
// two-core machine idle; the files in SERIAL measure threads, CPU shares, memory or time limits
// and run alone after the others. Each file's TAP output is printed whole when it ends (never
// interleaved), then the slowest files and the totals as node's TAP summary (`# pass N`,
// `# fail N`), which scripts/test.mjs reads back.
// `node scripts/unit-tests.mjs [--jobs N] [file ...]`; MTS_TEST_JOBS=1 runs every file alone.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const UNIT_DIR = 'out/test/unit';

/** Files run with nothing beside them, each with why (paths under out/test/unit). */
export const SERIAL = new Map([
  ['trainer/cli.test.js', 'the step in halves on two cores needs both'],
  ['trainer/sessionThreads.test.js', 'measures the main thread\'s share of CPU time'],
  ['trainer/halvesThreads.test.js', 'inter-op pools of two threads'],
  ['trainer/graphStepHalves.test.js', 'steps in halves on two inter-op threads'],
  ['trainer/graphDeterminism.test.js', 'bit-for-bit runs on an inter-op pool of two threads'],
  ['trainer/oneDnn.test.js', 'measures resident memory'],
  ['fuzz/fuzz.test.js', 'a case past its time limit counts as a hang'],
  ['fuzz/faults.test.js', 'kills and races real trainers against time limits'],
  ['export/kerasMultiWorker.test.js', 'two TensorFlow workers on ports it picked and released'],
]);

const SLOWEST = 15;

/** Test files as paths from the repository root. */
function listTests() {
  const abs = path.join(root, UNIT_DIR);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true }).map(String).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join(UNIT_DIR, f));
}

/** A file's name in the log and in SERIAL: its path under out/test/unit, or as given when elsewhere. */
function shortName(file) {
  const rel = path.relative(UNIT_DIR, path.relative(root, path.resolve(root, file)));
  return rel.startsWith('..') ? file : rel;
}

// A runner started by a test (its own test does so) must still run the files: node:test skips
// them in a process that inherits a test's context.
const childEnv = { ...process.env };
delete childEnv.NODE_TEST_CONTEXT;

/** `# name N` of node's TAP summary. */
function summaryCount(out, name) {
  const m = [...out.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].pop();
  return m ? Number(m[1]) : undefined;
}

function runFile(file) {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    // The file runs as a plain script (node:test reports from inside it): `node --test` would start
    // a second process for each file, 0.2 s more CPU a file (30 files of core/: 14 s of CPU against
    // 8.6 s in one `node --test`, and 8.1 s as plain scripts; load 19-25, 2026-12-01).
    const child = spawn(process.execPath, ['--test-reporter=tap', path.resolve(root, file)], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ rel: shortName(file), code, signal, out, err, seconds });
    });
  });
}

/** Runs `files` with at most `jobs` at once; `done` gets each result as it ends. */
async function pool(files, jobs, done) {
  const queue = [...files];
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) done(await runFile(file));
  };
  await Promise.all(Array.from({ length: Math.min(jobs, files.length) }, worker));
}

export async function runUnitTests(files, jobs) {
  const results = [];
  const totals = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
  const failedFiles = [];
  const report = (r) => {
    results.push(r);
    const counts = Object.fromEntries(Object.keys(totals).map((k) => [k, summaryCount(r.out, k)]));
    for (const k of Object.keys(totals)) totals[k] += counts[k] ?? 0;
    // A file that exits badly or prints no summary (a crash at load) fails once more than its tests say.
    const broken = r.code !== 0 && !(counts.fail > 0) || counts.pass === undefined;
    if (broken) totals.fail += 1;
    if (broken || counts.fail > 0) failedFiles.push(r.rel);
    process.stdout.write(`# file ${r.rel}: ${r.seconds.toFixed(1)} s, exit ${r.signal ?? r.code}\n${r.out}${r.err ? `# stderr of ${r.rel}:\n${r.err.replace(/^/gm, '# ')}\n` : ''}`);
  };
  const started = Date.now();
  const alone = files.filter((f) => SERIAL.has(shortName(f)));
  await pool(files.filter((f) => !alone.includes(f)), jobs, report);
  await pool(alone, 1, report);
  const wall = (Date.now() - started) / 1000;
  const slowest = [...results].sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST);
  console.log(`# the ${slowest.length} slowest files (${files.length} files, ${jobs} at a time but ${alone.length} alone, ${wall.toFixed(0)} s):`);
  for (const r of slowest) console.log(`#   ${r.seconds.toFixed(1).padStart(6)} s  ${r.rel}${SERIAL.has(r.rel) ? ' (alone)' : ''}`);
  if (failedFiles.length) console.log(`# failed files: ${failedFiles.sort().join(', ')}`);
  for (const [k, v] of Object.entries(totals)) console.log(`# ${k} ${v}`);
  console.log(`# duration_ms ${wall * 1000}`);
  return failedFiles.length === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--jobs');
  const jobsArg = at >= 0 ? args.splice(at, 2)[1] : process.env.MTS_TEST_JOBS;
  const jobs = Math.max(1, Number(jobsArg) || Math.min(2, os.availableParallelism()));
  const files = args.length ? args : listTests();
  const gone = args.length ? [] : [...SERIAL.keys()].filter((f) => !files.includes(path.join(UNIT_DIR, f)));
  if (gone.length) {
    console.error(`unit-tests.mjs SERIAL names files that are no longer built: ${gone.join(', ')}`);
    process.exit(1);
  }
  if (!files.length) {
    console.error(`no test files under ${UNIT_DIR}: run \`npm run build\` first`);
    process.exit(1);
  }
  process.exit((await runUnitTests(files, jobs)) ? 0 : 1);
}
