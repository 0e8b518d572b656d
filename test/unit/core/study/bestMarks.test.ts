import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markColumn } from '../../../../src/core/study/bestMarks';
import { summarize } from '../../../../src/core/stats/interval';

test('a value whose interval overlaps the best one is within the noise, not a loss (hand-worked intervals)', () => {
  // t(0.975, 2) · sd / √3 = 4.302653 · sd / 1.7320508: 0.0496828 for sd 0.02, 0.0248414 for sd 0.01.
  const a = summarize([0.90, 0.92, 0.94]); // 0.92, CI 0.8703172 … 0.9696828
  const b = summarize([0.95, 0.96, 0.97]); // 0.96, CI 0.9351586 … 0.9848414 (best)
  const c = summarize([0.80, 0.81, 0.82]); // 0.81, CI 0.7851586 … 0.8348414 (apart from the best)
  assert.ok(Math.abs(a.high! - 0.9696828) < 1e-6 && Math.abs(b.low! - 0.9351586) < 1e-6);
  assert.deepEqual(markColumn([a, b, c], true), ['within-noise', 'best', 'worse']);
});

test('intervals 0.0003 apart are apart: the rule is overlap, not closeness of means', () => {
  // 0.87 ± 0.01: high 0.8948414; 0.92 ± 0.01: low 0.8951586 (best). 0.89 ± 0.01: high 0.9148414 overlaps.
  const designed = summarize([0.86, 0.87, 0.88]);
  const pcgrad = summarize([0.91, 0.92, 0.93]);
  const single = summarize([0.88, 0.89, 0.90]);
  assert.deepEqual(markColumn([single, designed, pcgrad], true), ['within-noise', 'worse', 'best']);
});

test('lower is better for losses and errors; ties are all best; one run has no interval to compare', () => {
  const low = summarize([0.10, 0.11, 0.12]);
  const high = summarize([0.30, 0.31, 0.32]);
  assert.deepEqual(markColumn([high, low], false), ['worse', 'best']);
  assert.deepEqual(markColumn([low, summarize([0.10, 0.11, 0.12])], true), ['best', 'best']);
  assert.deepEqual(markColumn([summarize([0.5]), summarize([0.4])], true), ['best', 'no-interval']);
  assert.deepEqual(markColumn([undefined, summarize([]), low], true), ['no-value', 'no-value', 'best']);
});
