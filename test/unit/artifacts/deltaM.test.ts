import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { computeDeltaM, DELTA_M_CONVENTIONS, higherIsBetter, relativeImprovement } from '../../../src/core/deltaM';

describe('Δm', () => {
  it('knows which metrics are better lower', () => {
    for (const m of ['loss', 'mae', 'rmse', 'mse', 'val_loss', 'meanSquaredError', 'binaryCrossentropy']) assert.equal(higherIsBetter(m), false, m);
    for (const m of ['accuracy', 'macroF1', 'rocAuc', 'r2']) assert.equal(higherIsBetter(m), true, m);
  });

  it('counts a higher accuracy and a lower error both as improvements, and the reverse as losses', () => {
    assert.ok(Math.abs(relativeImprovement(0.9, 0.8, true)! - 0.125) < 1e-12);
    assert.ok(Math.abs(relativeImprovement(0.8, 0.9, true)! - -1 / 9) < 1e-12);
    assert.ok(Math.abs(relativeImprovement(0.4, 0.5, false)! - 0.2) < 1e-12);
    assert.ok(Math.abs(relativeImprovement(0.6, 0.5, false)! - -0.2) < 1e-12);
    // A negative baseline (r2 can be) still signs by direction, not by the baseline's sign.
    assert.ok(relativeImprovement(-0.1, -0.2, true)! > 0);
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

  it('leaves a pair whose baseline is 0 out (its relative change is undefined), and says so', () => {
    assert.equal(relativeImprovement(0.3, 0, true), undefined);
    assert.equal(relativeImprovement(0, 0, false), undefined);
    // Before: mae counted as -100 % and Δm was (-1 + 0.25) / 2 = -37.5 %.
    const r = computeDeltaM({ t: { mae: 0.1, accuracy: 0.5 } }, { t: { mae: 0, accuracy: 0.4 } });
    assert.deepEqual(r.comparisons.map((c) => c.metric), ['accuracy']);
    assert.ok(Math.abs(r.deltaM - 0.25) < 1e-12);
    assert.equal(r.excluded.length, 1);
    assert.equal(r.excluded[0]!.metric, 'mae');
    assert.match(r.excluded[0]!.reason, /baseline is 0.*undefined/);
    // Nothing left to compare: Δm has no value either.
    assert.ok(Number.isNaN(computeDeltaM({ t: { accuracy: 0.5 } }, { t: { accuracy: 0 } }).deltaM));
  });

  it('averages over pairs (Nash-MTL) or over tasks (LibMTL Δp), by hand-worked numbers', () => {
    // a: accuracy 0.9 vs 0.8 -> +0.1/0.8 = +0.125; mae 0.4 vs 0.5 (lower is better) -> +0.1/0.5 = +0.2.
    // b: accuracy 0.6 vs 0.75 -> -0.15/0.75 = -0.2.
    const shared = { a: { accuracy: 0.9, mae: 0.4 }, b: { accuracy: 0.6 } };
    const baseline = { a: { accuracy: 0.8, mae: 0.5 }, b: { accuracy: 0.75 } };
    const pairs = computeDeltaM(shared, baseline, undefined, 'pairs');
    const tasks = computeDeltaM(shared, baseline, undefined, 'tasks');
    // pairs: (0.125 + 0.2 - 0.2) / 3 = 0.041667; tasks: ((0.125 + 0.2) / 2 + (-0.2)) / 2 = -0.01875.
    assert.ok(Math.abs(pairs.deltaM - 0.125 / 3) < 1e-5, `${pairs.deltaM}`);
    assert.ok(Math.abs(tasks.deltaM - -0.01875) < 1e-5, `${tasks.deltaM}`);
    assert.equal(pairs.convention, 'pairs');
    assert.equal(tasks.convention, 'tasks');
    // The default is the mean over pairs.
    assert.equal(computeDeltaM(shared, baseline).deltaM, pairs.deltaM);
    // A task whose only pair is left out (baseline 0) does not count as a task.
    const dropped = computeDeltaM({ ...shared, c: { accuracy: 0.3 } }, { ...baseline, c: { accuracy: 0 } }, undefined, 'tasks');
    assert.ok(Math.abs(dropped.deltaM - -0.01875) < 1e-5);
  });

  it('leaves non-finite values out instead of poisoning Δm, and says so', () => {
    const r = computeDeltaM({ a: { loss: Number.NaN, accuracy: 0.5 } }, { a: { loss: 0.3, accuracy: 0.5 } });
    assert.equal(r.comparisons.length, 1);
    assert.equal(r.excluded[0]?.metric, 'loss');
    assert.equal(r.deltaM, 0);
    // In words: a user reading "NaN" takes it for our bug.
    assert.equal(r.excluded[0]?.reason, "the shared model's is not defined");
    const auc = computeDeltaM({ a: { rocAuc: Number.NaN, r2: 0.5 } }, { a: { rocAuc: Number.NaN, r2: Number.POSITIVE_INFINITY } }).excluded;
    assert.deepEqual(auc.map((x) => x.reason), [
      "the shared model's is not defined and the baseline's is not defined (an AUC needs both classes among the test split's labelled rows)",
      "the baseline's is infinite",
    ]);
    assert.ok(Number.isNaN(computeDeltaM({}, {}).deltaM));
  });

  it('documents each convention with its formula', () => {
    assert.match(DELTA_M_CONVENTIONS.pairs.formula, /Δm = \(1\/K\)/);
    assert.match(DELTA_M_CONVENTIONS.tasks.formula, /Δm = \(1\/T\) · Σₜ \(1\/Mₜ\)/);
    for (const c of Object.values(DELTA_M_CONVENTIONS)) {
      assert.match(c.formula, /lower is better/);
      assert.match(c.formula, /baseline is 0/);
    }
    assert.match(DELTA_M_CONVENTIONS.pairs.label, /Nash-MTL/);
    assert.match(DELTA_M_CONVENTIONS.tasks.label, /LibMTL/);
  });
});
