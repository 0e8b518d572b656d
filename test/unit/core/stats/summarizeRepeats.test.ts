// The Δm interval of a repeated run, worked by hand from a small fixture: three repeats of a
// classification task (accuracy, higher is better) and a regression task (mae, lower is better),
// each repeat compared with the single-task baselines of its own seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeDeltaM } from '../../../../src/core/deltaM';
import type { RepeatRecord } from '../../../../src/core/stats/repeated';
import { repeatedRows, sharingVerdict } from '../../../../src/core/stats/repeatedText';
import { summarizeRepeats } from '../../../../src/core/stats/summarizeRepeats';

const close = (a: number | undefined, b: number, tol = 1e-5) => assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} vs ${b}`);

const baselines = { a: { accuracy: 0.8 }, b: { mae: 0.4 } };
const repeats: Array<{ seed: number; test: RepeatRecord['test'] }> = [
  { seed: 42, test: { a: { accuracy: 0.84 }, b: { mae: 0.4 } } },
  { seed: 43, test: { a: { accuracy: 0.82 }, b: { mae: 0.38 } } },
  { seed: 44, test: { a: { accuracy: 0.8 }, b: { mae: 0.41 } } },
];

function records(): RepeatRecord[] {
  return repeats.map((r, index) => ({
    index, seed: r.seed, test: r.test, baselines, trainSeconds: 1,
    deltaM: computeDeltaM(r.test, baselines, undefined, 'pairs').deltaM,
  }));
}

test('Δm per repeat and its 95 % t interval, against hand-computed values', () => {
  // Per repeat, the mean over the two pairs of the signed relative change:
  //   seed 42: a (0.84 − 0.80)/0.80 = +0.05,  b −(0.40 − 0.40)/0.40 = 0       -> Δm = +0.025
  //   seed 43: a (0.82 − 0.80)/0.80 = +0.025, b −(0.38 − 0.40)/0.40 = +0.05   -> Δm = +0.0375
  //   seed 44: a (0.80 − 0.80)/0.80 = 0,      b −(0.41 − 0.40)/0.40 = −0.025  -> Δm = −0.0125
  // mean = 0.05 / 3 = 0.0166667; deviations +0.0083333, +0.0208333, −0.0291667;
  // squares 0.0000694 + 0.0004340 + 0.0008507 = 0.0013542; sd = √(0.0013542 / 2) = 0.0260208.
  // half width = t(0.975, 2) · sd / √3 = 4.302653 · 0.0260208 / 1.7320508 = 0.0646393.
  // CI = [−0.0479727, +0.0813060]: it holds 0, so no difference these runs can show.
  const s = summarizeRepeats(records());
  assert.deepEqual(s.units.map((u) => u.deltaM).map((d) => Math.round(d! * 1e6) / 1e6), [0.025, 0.0375, -0.0125]);
  const d = s.deltaM!;
  assert.equal(d.n, 3);
  close(d.mean, 0.0166667);
  close(d.sd, 0.0260208);
  close(d.low, -0.0479727);
  close(d.high, 0.0813060);
  assert.equal(d.verdict, 'no-difference');
  assert.match(sharingVerdict({ repeated: s })!, /^no difference that these runs can show: Δm \+1\.67 % ± 2\.60 \(95 % CI −4\.80 … \+8\.13 %, n = 3\)$/);
});

test("each metric's interval over the repeats: accuracy 0.84, 0.82, 0.80", () => {
  // mean 0.82, sd 0.02, half width 4.302653 · 0.02 / √3 = 0.0496828.
  const s = summarizeRepeats(records());
  const acc = s.test.a!.accuracy!;
  close(acc.mean, 0.82);
  close(acc.sd, 0.02);
  close(acc.low, 0.7703172);
  close(acc.high, 0.8696828);
  // The baselines were the same in every repeat here: no spread, an interval of width 0.
  close(s.baselines!.b!.mae!.sd, 0);
  assert.deepEqual(repeatedRows(s)[0], { task: 'a', metric: 'accuracy', shared: '0.8200 ± 0.0200 (95 % CI 0.7703…0.8697)', baseline: '0.8000 ± 0.0000 (95 % CI 0.8000…0.8000)' });
});

test('the verdict follows the interval, not the mean: consistent gains helped; one run says it is one run', () => {
  const gains = [0.02, 0.03, 0.025, 0.028].map((deltaM, index) => ({ index, seed: 42 + index, test: {}, trainSeconds: 1, deltaM }));
  assert.equal(summarizeRepeats(gains).deltaM!.verdict, 'helped');
  assert.equal(summarizeRepeats(gains.map((g) => ({ ...g, deltaM: -g.deltaM }))).deltaM!.verdict, 'hurt');
  const one = sharingVerdict({ baselines: { test: {}, comparisons: [], deltaM: 0.0034, parameters: 1 } });
  assert.equal(one, 'Δm +0.34 %, one run: repeat it (evaluation.repeats) to know whether the difference is more than noise');
});

test('over folds, the run\'s intervals are the corrected resampled t and say so', () => {
  // The five Δm of correctedResampledT.test.ts, each a fold trained on 800 rows and tested on 200:
  // half width 2.776445 · √((1/5 + 0.25) · 92.5e-6) = 0.0179129122 around 0.016 (holds 0),
  // where Student's t alone (half width 0.0119419) would have said "sharing helped".
  const units: RepeatRecord[] = [0.02, 0.01, 0.03, 0.015, 0.005].map((deltaM, f) => ({
    index: f, seed: 42, fold: { index: f, of: 5 }, test: { a: { accuracy: 0.8 + deltaM } }, trainSeconds: 1, deltaM, rows: { train: 800, test: 200 },
  }));
  const s = summarizeRepeats(units);
  close(s.deltaM!.low, 0.016 - 0.0179129122320406, 1e-9);
  close(s.deltaM!.high, 0.016 + 0.0179129122320406, 1e-9);
  assert.equal(s.deltaM!.verdict, 'no-difference');
  close(s.test.a!.accuracy!.high, 0.816 + 0.0179129122320406, 1e-9);
  assert.match(s.method, /^95 % corrected resampled t interval \(Nadeau and Bengio 2003\), 5 folds × 1 seed: /);
});
