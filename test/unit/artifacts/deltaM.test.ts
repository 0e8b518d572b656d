import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDeltaM, DELTA_M_FORMULA, higherIsBetter, relativeImprovement } from '../../../src/core/deltaM';

describe('Δm', () => {
  it('knows which metrics are better lower', () => {
    for (const m of ['loss', 'mae', 'rmse', 'mse', 'val_loss', 'meanSquaredError', 'binaryCrossentropy']) assert.equal(higherIsBetter(m), false, m);
    for (const m of ['accuracy', 'macroF1', 'rocAuc', 'r2']) assert.equal(higherIsBetter(m), true, m);
  });

  it('counts a higher accuracy and a lower error both as improvements, and the reverse as losses', () => {
    assert.ok(Math.abs(relativeImprovement(0.9, 0.8, true) - 0.125) < 1e-12);
    assert.ok(Math.abs(relativeImprovement(0.8, 0.9, true) - -1 / 9) < 1e-12);
    assert.ok(Math.abs(relativeImprovement(0.4, 0.5, false) - 0.2) < 1e-12);
    assert.ok(Math.abs(relativeImprovement(0.6, 0.5, false) - -0.2) < 1e-12);
    // A negative baseline (r2 can be) still signs by direction, not by the baseline's sign.
    assert.ok(relativeImprovement(-0.1, -0.2, true) > 0);
  });

  it('averages over every task-metric pair the two models share', () => {
    const shared = { digit: { accuracy: 0.99, loss: 0.04 }, parity: { accuracy: 0.9, extra: 1 }, onlyShared: { accuracy: 1 } };
    const baseline = { digit: { accuracy: 0.9, loss: 0.05 }, parity: { accuracy: 1.0 } };
    const r = computeDeltaM(shared, baseline);
    assert.deepEqual(r.comparisons.map((c) => `${c.task}/${c.metric}`), ['digit/accuracy', 'digit/loss', 'parity/accuracy']);
    const expected = (0.09 / 0.9 + 0.01 / 0.05 + -0.1 / 1.0) / 3;
    assert.ok(Math.abs(r.deltaM - expected) < 1e-12, `${r.deltaM} vs ${expected}`);
    assert.equal(r.comparisons[1]?.higherIsBetter, false);
    const withoutLoss = computeDeltaM(shared, baseline, (_t, m) => m !== 'loss');
    assert.equal(withoutLoss.comparisons.length, 2);
  });

  it('stays finite when a baseline is 0', () => {
    assert.equal(relativeImprovement(0, 0, true), 0);
    assert.equal(relativeImprovement(0.3, 0, true), 1);
    assert.equal(relativeImprovement(0.3, 0, false), -1);
    const r = computeDeltaM({ t: { mae: 0, accuracy: 0.5 } }, { t: { mae: 0, accuracy: 0 } });
    assert.equal(r.deltaM, 0.5);
    assert.ok(JSON.stringify(r).includes('"deltaM":0.5'));
  });

  it('leaves non-finite values out instead of poisoning Δm, and says so', () => {
    const r = computeDeltaM({ a: { loss: Number.NaN, accuracy: 0.5 } }, { a: { loss: 0.3, accuracy: 0.5 } });
    assert.equal(r.comparisons.length, 1);
    assert.equal(r.skipped[0]?.metric, 'loss');
    assert.equal(r.deltaM, 0);
    assert.ok(Number.isNaN(computeDeltaM({}, {}).deltaM));
  });

  it('documents its formula', () => {
    assert.match(DELTA_M_FORMULA, /Δm = \(1\/K\)/);
    assert.match(DELTA_M_FORMULA, /lower is better/);
  });
});
