import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatInterval, summarize, tQuantile975, verdictOf } from '../../../../src/core/stats/interval';

const close = (a: number | undefined, b: number, tol = 1e-6) => assert.ok(a !== undefined && Math.abs(a - b) <= tol, `${a} vs ${b}`);

test('the 95 % t interval of five Δm values, worked by hand', () => {
  // Δm per seed: 1 %, 3 %, 2 %, 4 %, 0 %. mean = 0.10 / 5 = 0.02.
  // Squared deviations: 1e-4 + 1e-4 + 0 + 4e-4 + 4e-4 = 1e-3; sd = sqrt(1e-3 / 4) = 0.0158114.
  // Half width = t(0.975, 4) · sd / √5 = 2.776445 · 0.0158114 / 2.2360680 = 0.0196324.
  // CI = [0.0003676, 0.0396324] (scipy.stats.t.interval gives 0.00036757, 0.03963243): above 0.
  const s = summarize([0.01, 0.03, 0.02, 0.04, 0.0]);
  assert.equal(s.n, 5);
  close(s.mean, 0.02, 1e-12);
  close(s.sd, 0.0158114, 1e-7);
  close(s.low, 0.0003676, 1e-7);
  close(s.high, 0.0396324, 1e-7);
  assert.equal(verdictOf(s), 'helped');
});

test('an interval holding 0 is no difference; below 0 is hurt; one run is unknown', () => {
  // 1.2 %, −0.4 %, 0.7 %: mean 0.5 %, sd 0.8185 %, half = 4.302653 · 0.00818535 / √3 = 0.0203335.
  const s = summarize([0.012, -0.004, 0.007]);
  close(s.low, -0.0153335, 1e-7);
  close(s.high, 0.0253335, 1e-7);
  assert.equal(verdictOf(s), 'no-difference');
  assert.equal(verdictOf(summarize([-0.05, -0.06, -0.055])), 'hurt');
  const one = summarize([0.03]);
  assert.equal(one.low, undefined);
  assert.equal(verdictOf(one), 'unknown');
  assert.equal(verdictOf(summarize([])), 'unknown');
});

test('non-finite values are not counted as measurements', () => {
  const s = summarize([0.01, Number.NaN, 0.03, Number.POSITIVE_INFINITY]);
  assert.equal(s.n, 2);
  close(s.mean, 0.02, 1e-12);
});

test('t quantiles match scipy (table and expansion)', () => {
  close(tQuantile975(1), 12.706205);
  close(tQuantile975(30), 2.042272);
  close(tQuantile975(31), 2.039513, 1e-5);
  close(tQuantile975(120), 1.979930, 1e-5);
  assert.throws(() => tQuantile975(0), /positive integer/);
});

test('intervals are printed with their width and n', () => {
  assert.equal(formatInterval(summarize([0.01, 0.03, 0.02, 0.04, 0.0])), '+2.00 % ± 1.58 (95 % CI +0.04 … +3.96 %, n = 5)');
  assert.equal(formatInterval(summarize([-0.02])), '−2.00 % (one run, no interval)');
});
