// The corrected resampled t interval (Nadeau and Bengio 2003) against numbers worked by hand:
// five fold estimates whose plain Student's t interval lies above 0 ("sharing helped") while
// the corrected one, which accounts for the folds' shared training rows, holds 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { correctedSummarize, intervalOver, resampledMethod, resamplingOf } from '../../../../src/core/stats/correctedResampledT';
import { summarize, verdictOf } from '../../../../src/core/stats/interval';

const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) <= 1e-9, `${a} ≠ ${b}`);

// Δm of 5 folds; each fold trained on 800 rows and tested on 200: n_test/n_train = 0.25.
const FOLDS = [0.02, 0.01, 0.03, 0.015, 0.005];

describe('corrected resampled t', () => {
  it('widens the variance of the mean from s²/J to (1/J + n_test/n_train)·s²', () => {
    // mean = 0.08 / 5 = 0.016; deviations +0.004, −0.006, +0.014, −0.001, −0.011;
    // squares 16e-6 + 36e-6 + 196e-6 + 1e-6 + 121e-6 = 370e-6; s² = 370e-6 / 4 = 92.5e-6.
    // Corrected: (1/5 + 0.25) · 92.5e-6 = 41.625e-6; √ = 0.00645174395028197;
    // half width t(0.975, 4) · √ = 2.776445 · 0.00645174395028197 = 0.0179129122320406.
    const s = correctedSummarize(FOLDS, 200 / 800);
    assert.equal(s.n, 5);
    close(s.mean, 0.016);
    close(s.sd, Math.sqrt(92.5e-6));
    close(s.low, 0.016 - 0.0179129122320406);
    close(s.high, 0.016 + 0.0179129122320406);
    assert.equal(verdictOf(s), 'no-difference');
    // Plain Student's t: 2.776445 · √(92.5e-6 / 5) = 0.0119419414880271, [+0.00406, +0.02794]: it would say "helped".
    const plain = summarize(FOLDS);
    close(plain.low, 0.016 - 0.0119419414880271);
    assert.equal(verdictOf(plain), 'helped');
  });

  it('knows the resampling from the units: folds, seeds and the mean n_test/n_train; none without folds', () => {
    const rows = [{ train: 400, test: 100 }, { train: 390, test: 110 }, { train: 410, test: 90 }];
    const units = [0, 1].flatMap((r) => [0, 1, 2].map((f) => ({ seed: 42 + r, fold: { index: f, of: 3 }, rows: rows[f]! })));
    const r = resamplingOf(units)!;
    assert.deepEqual([r.folds, r.seeds], [3, 2]);
    // (100/400 + 110/390 + 90/410) / 3 = (0.25 + 0.282051282 + 0.219512195) / 3 = 0.250521159
    close(r.testToTrain, 0.2505211590577444);
    assert.equal(resamplingOf([{ seed: 1 }, { seed: 2 }]), undefined);
    close(resamplingOf([{ seed: 1, fold: { index: 0, of: 5 } }])!.testToTrain, 0.25);
    assert.deepEqual(intervalOver([1, 2, 3], undefined), summarize([1, 2, 3]));
    assert.match(resampledMethod({ folds: 5, seeds: 2 }), /^95 % corrected resampled t interval \(Nadeau and Bengio 2003\), 5 folds × 2 seeds: /);
  });

  it('one value has no interval, as with Student\'s t', () => {
    assert.deepEqual(correctedSummarize([0.3], 0.25), { n: 1, mean: 0.3, sd: 0 });
  });
});
