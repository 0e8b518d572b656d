// A variant's Δm interval over seeds, paired with the single-task models of the same seed,
// against numbers worked by hand (Δm as Maninis et al. 2019 / Nash-MTL: the mean over task
// metrics of the signed relative change; t(0.975, 2) = 4.302653).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairedDeltaM, studyResult, variantResult } from '../../../src/core/study/aggregate';
import type { StudyRunRecord, StudySpec } from '../../../src/core/study/studyTypes';

const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-5, `${a} ≠ ${b}`);

// Seed by seed: shared model (digit, parity accuracy) and the single-task models of that seed.
const SEEDS = [
  { shared: [0.80, 0.90], single: [0.78, 0.88] },
  { shared: [0.76, 0.85], single: [0.77, 0.86] },
  { shared: [0.82, 0.91], single: [0.79, 0.87] },
];
const metrics = ([d, p]: number[]) => ({ digit: { accuracy: d!, loss: 9 }, parity: { accuracy: p!, loss: 1 } });

describe('study aggregate', () => {
  it('Δm of one run is paired with its own seed\'s single-task models, loss left out', () => {
    // (0.80 − 0.78)/0.78 = 0.0256410, (0.90 − 0.88)/0.88 = 0.0227273, mean 0.0241841
    close(pairedDeltaM(metrics(SEEDS[0]!.shared), metrics(SEEDS[0]!.single)), 0.0241841);
    // (0.76 − 0.77)/0.77 = −0.0129870, (0.85 − 0.86)/0.86 = −0.0116279, mean −0.0123075
    close(pairedDeltaM(metrics(SEEDS[1]!.shared), metrics(SEEDS[1]!.single)), -0.0123075);
  });

  it('the variant\'s Δm interval is the t interval of the per-seed Δm, and its verdict comes from it', () => {
    const runs: StudyRunRecord[] = SEEDS.map((s, r) => ({
      variant: 'as-designed', repeat: r, seed: 42 + r, runDir: `as-designed-r${r}`, status: 'completed',
      test: metrics(s.shared), deltaM: pairedDeltaM(metrics(s.shared), metrics(s.single))!, parameters: 100, trainSeconds: 2 + r,
    }));
    const v = variantResult({ id: 'as-designed', label: 'As designed', kind: 'as-designed' }, runs);
    // Δm per seed 0.0241841, −0.0123075, 0.0419758: mean 0.0179508, sd 0.0276733,
    // half width 4.302653 · 0.0276733 / √3 = 0.0687442: [−0.0507934, 0.0866951].
    close(v.deltaM?.mean, 0.0179508);
    close(v.deltaM?.sd, 0.0276733);
    close(v.deltaM?.low, -0.0507934);
    close(v.deltaM?.high, 0.0866951);
    assert.equal(v.deltaM?.verdict, 'no-difference', 'the mean is positive but the interval holds 0');
    close(v.test.digit?.accuracy?.mean, (0.80 + 0.76 + 0.82) / 3);
    assert.equal(v.parameters, 100);
    close(v.trainSeconds?.mean, 3);
  });

  it('runs not completed count for nothing; the study reads running until none is pending', () => {
    const spec: StudySpec = { name: 's', experiment: 'e.mtl.json', repeats: 2, variants: {} };
    const runs: StudyRunRecord[] = [
      { variant: 'as-designed', repeat: 0, seed: 1, runDir: 'as-designed-r0', status: 'completed', test: metrics([0.8, 0.9]), deltaM: 0.01 },
      { variant: 'as-designed', repeat: 1, seed: 2, runDir: 'as-designed-r1', status: 'pending' },
    ];
    const variants = [{ id: 'as-designed', label: 'As designed', kind: 'as-designed' as const }];
    const r = studyResult({ study: spec, studyFile: 's', experiment: 'e', startedAt: 'now', variants, runs });
    assert.equal(r.status, 'running');
    assert.equal(r.variants[0]!.deltaM?.n, 1);
    assert.equal(r.variants[0]!.deltaM?.verdict, 'unknown', 'one seed says nothing about the noise');
    runs[1]!.status = 'failed';
    assert.equal(studyResult({ study: spec, studyFile: 's', experiment: 'e', startedAt: 'now', variants, runs }).status, 'failed');
    assert.equal(studyResult({ study: spec, studyFile: 's', experiment: 'e', startedAt: 'now', variants, runs, stopped: 'cancelled' }).status, 'cancelled');
  });

  it('with folds: Δm paired per seed and fold, and the corrected resampled t interval over the 2 seeds × 2 folds', () => {
    // Per (seed, fold): shared model and the single-task models of that same seed and fold.
    //   42/f0: digit (0.84 − 0.80)/0.80 = +0.05,  parity (0.90 − 0.90)/0.90 = 0     -> Δm +0.025
    //   43/f0: digit (0.82 − 0.80)/0.80 = +0.025, parity (0.88 − 0.80)/0.80 = +0.1  -> Δm +0.0625
    //   42/f1: digit (0.81 − 0.90)/0.90 = −0.1,   parity (0.99 − 0.90)/0.90 = +0.1  -> Δm 0
    //   43/f1: digit (0.88 − 0.80)/0.80 = +0.1,   parity (0.80 − 0.80)/0.80 = 0     -> Δm +0.05
    const UNITS = [
      { seed: 42, fold: 0, shared: [0.84, 0.90], single: [0.80, 0.90] },
      { seed: 43, fold: 0, shared: [0.82, 0.88], single: [0.80, 0.80] },
      { seed: 42, fold: 1, shared: [0.81, 0.99], single: [0.90, 0.90] },
      { seed: 43, fold: 1, shared: [0.88, 0.80], single: [0.80, 0.80] },
    ];
    const runs: StudyRunRecord[] = UNITS.map((u) => ({
      variant: 'branch-1', repeat: u.seed - 42, seed: u.seed, fold: { index: u.fold, of: 2 }, runDir: `branch-1-r${u.seed - 42}-f${u.fold}`, status: 'completed',
      test: metrics(u.shared), deltaM: pairedDeltaM(metrics(u.shared), metrics(u.single))!, rows: { train: 300, test: 100 },
    }));
    assert.deepEqual(runs.map((r) => Math.round(r.deltaM! * 1e9) / 1e9), [0.025, 0.0625, 0, 0.05]);
    const v = variantResult({ id: 'branch-1', label: 'Split after trunk1 (depth 1)', kind: 'branch' }, runs);
    // mean 0.1375 / 4 = 0.034375; deviations −0.009375, +0.028125, −0.034375, +0.015625;
    // squares sum 0.0023046875; s² = 0.0023046875 / 3 = 0.000768229166667.
    // n_test/n_train = 100/300: variance of the mean (1/4 + 1/3) · s² = 0.000448133680556;
    // half width t(0.975, 3) · √ = 3.182446 · 0.0211691681 = 0.0673697345318040.
    const tight = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) <= 1e-9, `${a} ≠ ${b}`);
    tight(v.deltaM?.mean, 0.034375);
    tight(v.deltaM?.sd, Math.sqrt(0.0023046875 / 3));
    tight(v.deltaM?.low, 0.034375 - 0.0673697345318040);
    tight(v.deltaM?.high, 0.034375 + 0.0673697345318040);
    assert.equal(v.deltaM?.n, 4);
    assert.equal(v.deltaM?.verdict, 'no-difference');
    // The metrics' intervals too: digit accuracy 0.84, 0.82, 0.81, 0.88, mean 0.8375, corrected half width 0.0752450157.
    tight(v.test.digit?.accuracy?.low, 0.7622549842595344);
    const spec: StudySpec = { name: 's', experiment: 'e.mtl.json', repeats: 2, crossValidation: { folds: 2 }, variants: {} };
    const r = studyResult({ study: spec, studyFile: 's', experiment: 'e', startedAt: 'now', variants: [v.variant], runs });
    assert.match(r.method, /^95 % corrected resampled t interval \(Nadeau and Bengio 2003\), 2 folds × 2 seeds: /);
  });
});
