// Line coverage of our sources, through the test bundles' source maps:
//   npm run coverage -- out/test/unit/core/graph.test.js ... [--include=src/]   (builds, then node scripts/coverage.mjs ...)
// runs the test files under `node --test` with NODE_V8_COVERAGE and prints, per source file under
// --include (src/ by default; repeatable), its mapped lines, how many ran and the ones that did not.
// Why not Node's own `node --test --experimental-test-coverage`: on Node 20 it sums a bundle's line
// lengths without their newlines (nodejs/node#54240, fixed by #54444 in Node 22, not in 20), so its
// offsets drift a character a line: it puts counts on the wrong lines and, once a bundle's executed
// code lies past the drifted end, fails with "Could not report code coverage. TypeError: Cannot
// read properties of undefined (reading 'line')" and exit code 1 (out/test/unit/trainer/threadChoice.test.js).
// Here a line's offset counts its newline. A line is covered when some generated code mapped to
// it ran: its innermost V8 range (block coverage) has a count above 0.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineRanges, sourceLineCoverage } from './lineCoverage.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function main(args) {
  const include = args.filter((a) => a.startsWith('--include=')).map((a) => a.slice('--include='.length));
  const files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    console.error('usage: npm run coverage -- out/test/unit/<file>.test.js ... [--include=src/]');
    return 2;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mts-coverage-'));
  try {
    const run = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=dot', ...files],
      { stdio: 'inherit', env: { ...process.env, NODE_V8_COVERAGE: dir } });
    const lines = sourceLineCoverage(dir, ROOT);
    const prefixes = include.length ? include : ['src/'];
    const rows = [...lines].filter(([file]) => prefixes.some((p) => file.startsWith(p))).sort(([a], [b]) => a.localeCompare(b));
    let all = 0, ran = 0;
    console.log('file | lines | ran | % | lines that did not run');
    for (const [file, byLine] of rows) {
      const missed = [...byLine].filter(([, hit]) => !hit).map(([n]) => n).sort((a, b) => a - b);
      all += byLine.size; ran += byLine.size - missed.length;
      console.log(`${file} | ${byLine.size} | ${byLine.size - missed.length} | ${((100 * (byLine.size - missed.length)) / byLine.size).toFixed(1)} | ${lineRanges(missed)}`);
    }
    console.log(`all files | ${all} | ${ran} | ${all ? ((100 * ran) / all).toFixed(1) : '-'} |`);
    return run.status ?? 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main(process.argv.slice(2));
