// scripts/lineCoverage.mjs (npm run coverage): line coverage through a source map, with each line's newline counted
// (Node 20's own source-mapped coverage drops it: see scripts/coverage.mjs' header).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../tempFolders';
// @ts-expect-error: a plain ES module of the scripts, without types
import { decodeMappings, lineRanges, lineStarts, sourceLineCoverage } from '../../scripts/lineCoverage.mjs';

test('a source map segment decodes to generated line and column, source and original line, each field relative', () => {
  // Base64 digits: A = 0, C = 2 (VLQ +1), D = 3 (VLQ -1), E = 4 (VLQ +2).
  // Line 0 "AAAA": column 0, source 0, line 0. Line 1 "AACA": column 0 (columns restart each line),
  // line 0 + 1 = 1; "EAAE": column 0 + 2 = 2, line 1. Line 2 "AADA": line 1 - 1 = 0. "AA": no source.
  assert.deepEqual(decodeMappings('AAAA;AACA,EAAE;AADA,AA'), [[0, 0, 0, 0], [1, 0, 0, 1], [1, 2, 0, 1], [2, 0, 0, 0]]);
});

test("each line starts after the previous one's newline", () => {
  // "a\n" takes offsets 0-1, "bc\n" 2-4, "" starts at 5.
  assert.deepEqual(lineStarts('a\nbc\n'), [0, 2, 5]);
  assert.equal(lineRanges([3, 4, 5, 9, 11, 12]), '3-5 9 11-12');
});

test('past 300 lines, a function that ran is covered and one that did not is not, on its own source lines', () => {
  const dir = tempDir('coverage-map');
  // orig.ts lines 1-300 fillers, 301-303 used(), 304-306 unused(), 307 the call; gen.js is the
  // same text with a map line to line: "AAAA" then "AACA" (next original line) for each line.
  const lines = [...Array.from({ length: 300 }, (_, i) => `var x${i} = ${i};`),
    'function used() {', '  return 1;', '}', 'function unused() {', '  return 2;', '}', 'used();'];
  fs.writeFileSync(path.join(dir, 'orig.ts'), `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(dir, 'gen.js'), `${lines.join('\n')}\n//# sourceMappingURL=gen.js.map\n`);
  const mappings = ['AAAA', ...lines.slice(1).map(() => 'AACA')].join(';');
  fs.writeFileSync(path.join(dir, 'gen.js.map'), JSON.stringify({ version: 3, sources: ['orig.ts'], names: [], mappings }));
  const coverage = path.join(dir, 'coverage');
  const run = spawnSync(process.execPath, [path.join(dir, 'gen.js')], { env: { ...process.env, NODE_V8_COVERAGE: coverage }, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  const byLine = (sourceLineCoverage(coverage, dir) as Map<string, Map<number, boolean>>).get('orig.ts');
  assert.ok(byLine, 'orig.ts is mapped');
  assert.equal(byLine.get(150), true, 'a filler line ran');
  assert.equal(byLine.get(302), true, "used()'s body ran");
  assert.equal(byLine.get(305), false, "unused()'s body did not run");
  assert.equal(byLine.get(307), true, 'the call ran');
});
