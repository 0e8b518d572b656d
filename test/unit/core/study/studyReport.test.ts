import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SHARING_VERDICT_TEXT } from '../../../../src/core/stats/interval';
import { DELTA_M_CHART, renderStudyReport, scatterFile } from '../../../../src/core/study/studyReport';
import { studyColumns } from '../../../../src/core/study/studyColumns';
import { studyFixture } from './fixtures';

const rowOf = (markdown: string, label: string): string => {
  const row = markdown.split('\n').find((l) => l.startsWith(`| `) && l.includes(label));
  assert.ok(row, `no row for ${label}`);
  return row;
};

test('the table marks the best of each task, and says "within the noise" where the intervals overlap', () => {
  const { markdown } = renderStudyReport(studyFixture());
  const table = markdown.slice(markdown.indexOf('## Test metrics'), markdown.indexOf('## Sharing'));
  assert.match(table, /\| Variant \| digit accuracy ↑ \| parity accuracy ↑ \|/);
  // digit: as designed 0.96 ± 0.01 best; single-task 0.92 ± 0.02 overlaps it; PCGrad 0.81 ± 0.01 apart.
  // parity: PCGrad 0.92 best; single-task 0.89 overlaps; as designed 0.87 (CI high 0.89484 < 0.89516) apart.
  assert.equal(rowOf(table, 'Single-task models'), '| 1. Single-task models | 0.92 ± 0.02 ≈ within the noise of the best | 0.89 ± 0.01 ≈ within the noise of the best |');
  assert.equal(rowOf(table, 'As designed'), '| 2. As designed | **0.96 ± 0.01** best | 0.87 ± 0.01 below the best |');
  assert.equal(rowOf(table, 'PCGrad'), '| 3. PCGrad (parameters) | 0.81 ± 0.01 below the best | **0.92 ± 0.01** best |');
});

test('each variant\'s verdict on sharing comes from its Δm interval, not its mean', () => {
  const { markdown } = renderStudyReport(studyFixture());
  const table = markdown.slice(markdown.indexOf('## Sharing'));
  // As designed: Δm +0.5 % (positive mean) but 95 % CI −1.53 … +2.53 % holds 0.
  const designed = rowOf(table, 'As designed');
  assert.ok(designed.includes('+0.50 % ± 0.82 (95 % CI −1.53 … +2.53 %, n = 3)'), designed);
  assert.ok(designed.includes(SHARING_VERDICT_TEXT['no-difference']));
  assert.ok(!designed.includes(SHARING_VERDICT_TEXT.helped));
  const pcgrad = rowOf(table, 'PCGrad');
  assert.ok(pcgrad.includes(SHARING_VERDICT_TEXT.hurt), pcgrad);
  assert.ok(rowOf(table, 'Single-task models').includes('reference'));
  // Parameters and training time per run (mean ± sd of 14, 15, 16 s).
  assert.ok(pcgrad.includes('101,770') && pcgrad.includes('15.0 s ± 1.0') && pcgrad.includes('3 of 3'), pcgrad);
});

test('the charts are listed, linked from the report, and the scatter draws every run and the front of the means', () => {
  const result = studyFixture();
  const { markdown, charts } = renderStudyReport(result);
  const [digit, parity] = studyColumns(result);
  assert.deepEqual(charts.map((c) => c.file), [DELTA_M_CHART, scatterFile(digit!, parity!)]);
  for (const c of charts) assert.ok(markdown.includes(`](${c.file})`), c.file);
  const scatter = charts[1]!.svg;
  assert.equal(scatter.match(/<circle class="run"/g)?.length, 9);
  // Means (digit, parity): PCGrad (0.81, 0.92), single-task (0.92, 0.89), as designed (0.96, 0.87):
  // none beats another on both, so the front joins all three, in order of digit accuracy.
  assert.equal(scatter.match(/<g class="mean front">/g)?.length, 3);
  const front = /<polyline class="pareto" points="([^"]+)"/.exec(scatter)?.[1]?.split(' ').map((p) => Number(p.split(',')[0]));
  assert.equal(front?.length, 3);
  assert.ok(front![0]! < front![1]! && front![1]! < front![2]!);
  assert.ok(charts[0]!.svg.includes(SHARING_VERDICT_TEXT.hurt));
});

test('a dominated variant is off the front; a failed run is reported with its message and not drawn', () => {
  const result = studyFixture();
  const pcgrad = result.variants[2]!;
  // PCGrad now below single-task on both tasks: (0.81, 0.85) is beaten by (0.92, 0.89).
  pcgrad.test.parity!.accuracy = { ...pcgrad.test.parity!.accuracy!, mean: 0.85 };
  pcgrad.runs[1] = { ...pcgrad.runs[1]!, status: 'failed', error: 'the trainer ran out of memory', test: undefined } as typeof pcgrad.runs[1];
  const { markdown, charts } = renderStudyReport(result);
  const scatter = charts[1]!.svg;
  assert.equal(scatter.match(/<g class="mean front">/g)?.length, 2);
  assert.equal(scatter.match(/<circle class="run"/g)?.length, 8);
  assert.match(markdown, /## Runs that failed\n\n- PCGrad \(parameters\), repeat 2 \(`weighting-pcgrad-r1`\): the trainer ran out of memory/);
  assert.ok(rowOf(markdown.slice(markdown.indexOf('## Sharing')), 'PCGrad').includes('2 of 3'));
});
