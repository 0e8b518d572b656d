// `mts study FILE`: headless, prints the variants x tasks table (or study.json with --json) and
// exits 0; a wrong study file is reported at file:line:column with its JSON path, exit 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { StudyResult } from '../../../src/core/study/studyTypes';
import { ROOT, tempDir } from '../trainer/helpers';
import { tinyStudy, writeStudyFiles } from './fixtures';

const mts = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'mts.js'), ...args], { encoding: 'utf8', timeout: 60_000 });

describe('mts study', () => {
  it('prints the table with mean ± sd, Δm with its interval and the verdict, and exits 0', { timeout: 60_000 }, () => {
    const dir = tempDir('study-cli');
    const r = mts(['study', writeStudyFiles(dir, { ...tinyStudy(2), variants: { branchDepths: true } }), '--epochs', '1']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('variant'));
    assert.ok(header >= 0, r.stdout);
    assert.match(lines[header]!, /variant\s+task1 mae\s+task2 mae\s+runs\s+Δm vs single-task \(95 % CI\)\s+verdict/);
    assert.match(lines[header + 2]!, /^Single-task models\s+\d\.\d{4} ± \d\.\d{4}\s+\d\.\d{4} ± \d\.\d{4}\s+2\/2\s+reference$/);
    assert.match(lines[header + 4]!, /^Split after trunk1 \(depth 1\) .* 2\/2 +[+−]\d+\.\d\d % ± \d+\.\d\d \(95 % CI .*, n = 2\) +(sharing helped|sharing hurt|no difference that these runs can show)$/);
  });

  it('a cross-validated study prints the table over seeds × folds and names the corrected interval', { timeout: 90_000 }, () => {
    const dir = tempDir('study-cli-cv');
    const r = mts(['study', writeStudyFiles(dir, { ...tinyStudy(1), crossValidation: { folds: 2 }, variants: { branchDepths: [1] } }), '--epochs', '1']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('variant'));
    assert.ok(header >= 0, r.stdout);
    assert.match(lines[header + 2]!, /^Single-task models\s+\d\.\d{4} ± \d\.\d{4}\s+\d\.\d{4} ± \d\.\d{4}\s+2\/2\s+reference$/);
    assert.match(lines[header + 4]!, /^Split after trunk1 \(depth 1\) .* 2\/2 +[+−]\d+\.\d\d % ± \d+\.\d\d \(95 % CI .*, n = 2\) +(sharing helped|sharing hurt|no difference that these runs can show)$/);
    assert.match(lines[header + 5]!, /^mean ± sd over 1 seed × 2 folds; intervals: 95 % corrected resampled t interval \(Nadeau and Bengio 2003\), 2 folds × 1 seed: /);
  });

  it('--json prints study.json alone on stdout', { timeout: 60_000 }, () => {
    const dir = tempDir('study-cli-json');
    const r = mts(['study', writeStudyFiles(dir, { ...tinyStudy(1), variants: { singleTask: true } }), '--epochs', '1', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout) as StudyResult;
    assert.equal(result.status, 'completed');
    assert.deepEqual(result.variants.map((v) => [v.variant.id, v.runs.length]), [['single-task', 1], ['as-designed', 1]]);
  });

  it('reports a wrong study file at file:line:column with the JSON path, exit 1', () => {
    const dir = tempDir('study-cli-bad');
    const file = writeStudyFiles(dir, { ...tinyStudy(), repeats: 0 });
    const r = mts(['study', file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:\\d+: error: "repeats" must be an integer ≥ 1 and ≤ 100, got 0\\. \\(repeats\\)`));
    const missing = mts(['study', writeStudyFiles(tempDir('study-cli-missing'), { ...tinyStudy(), experiment: 'nope.mtl.json' })]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /tiny\.mtl-study\.json:3:\d+: error: "experiment": .*no such file or folder \(ENOENT\)/);
  });
});
