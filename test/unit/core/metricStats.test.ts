// Metrics from sufficient statistics counted a batch at a time (core/metricStats.ts) against
// hand-worked numbers and against the metric over the concatenated predictions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accuracy, argmaxRows, macroF1, mae, r2, rmse, rocAuc } from '../../../src/core/metrics';
import { MetricStats, runningTrainMetrics } from '../../../src/core/metricStats';
import { withDefaults } from '../../../src/core/defaults';
import { validate } from '../../../src/core/validate';
import type { ExperimentSpec } from '../../../src/core/spec';

const TOL = 1e-12;

test('a softmax head over two steps: accuracy and macroF1 of the counts, hand-worked, equal the metrics of the concatenated predictions', () => {
  const s = new MetricStats({ taskId: 'digit', encoding: 'onehot', units: 3, metrics: ['accuracy', 'macroF1'] });
  // Step 1: predicted 1 0 2, true 1 1 2. Step 2: predicted 2 0 (as probabilities), true 0 0.
  const step1 = [0.1, 0.7, 0.2, 0.5, 0.4, 0.1, 0.2, 0.2, 0.6];
  const step2 = [0.1, 0.3, 0.6, 0.8, 0.1, 0.1];
  s.addPredictions(step1, [1, 1, 2]);
  s.addPredictions(step2, [0, 0]);
  const v = s.values();
  // Right: rows 1, 3 and 5 of 5. Class 0: tp 1, fp 1, fn 1 -> 1/2; class 1: tp 1, fn 1 -> 2/3; class 2: tp 1, fp 1 -> 2/3.
  assert.ok(Math.abs(v.accuracy! - 3 / 5) < TOL, String(v.accuracy));
  assert.ok(Math.abs(v.macroF1! - (1 / 2 + 2 / 3 + 2 / 3) / 3) < TOL, String(v.macroF1));
  const all = argmaxRows([...step1, ...step2], 3);
  assert.ok(Math.abs(v.accuracy! - accuracy(all, [1, 1, 2, 0, 0])) < TOL);
  assert.ok(Math.abs(v.macroF1! - macroF1(all, [1, 1, 2, 0, 0], 3)) < TOL);
});

test('a sigmoid head over two steps: accuracy at 0.5 and the AUC of every row, hand-worked; an unlabelled row is left out', () => {
  const s = new MetricStats({ taskId: 'parity', encoding: 'binary', units: 1, metrics: ['accuracy', 'rocAuc'] });
  s.addPredictions([0.9, 0.3, 0.5], [1, 0, 0]);
  s.addPredictions([0.4, 0.8, 0.2], [1, NaN, 0]);
  const v = s.values();
  // Rows (p, label): (.9, 1) (.3, 0) (.5, 0) (.4, 1) (.2, 0). Classes: 1 0 1 0 0: 3 of 5 right.
  // AUC: positives .9 and .4 over negatives .3 .5 .2: .9 beats 3, .4 beats .3 and .2: 5 of 6 pairs.
  assert.ok(Math.abs(v.accuracy! - 3 / 5) < TOL);
  assert.ok(Math.abs(v.rocAuc! - 5 / 6) < TOL, String(v.rocAuc));
  assert.ok(Math.abs(v.rocAuc! - rocAuc([0.9, 0.3, 0.5, 0.4, 0.2], [1, 0, 0, 1, 0])) < TOL);
  assert.equal(s.rows, 5);
});

test('a two-class softmax head: the AUC of its second column', () => {
  const s = new MetricStats({ taskId: 't', encoding: 'onehot', units: 2, metrics: ['rocAuc'] });
  s.addPredictions([0.2, 0.8, 0.7, 0.3], [1, 0]);
  s.addPredictions([0.6, 0.4], [1]);
  // Scores .8 (1), .3 (0), .4 (1): both positives above the negative.
  assert.equal(s.values().rocAuc, 1);
});

test('a regression head over two steps: mae, rmse and r2 from sums, hand-worked, equal the metrics of the concatenated predictions', () => {
  const s = new MetricStats({ taskId: 'y', encoding: 'value', units: 1, metrics: ['mae', 'rmse', 'r2'] });
  s.addPredictions([2, 1], [3, 1]);
  s.addPredictions([1, 5, 7], [0, 4, NaN]);
  const v = s.values();
  // Rows (truth, prediction): (3, 2) (1, 1) (0, 1) (4, 5); errors -1 0 1 1.
  // mae 3/4, rmse sqrt(3/4); truths' mean 2, squared deviations 1 + 1 + 4 + 4 = 10: r2 = 1 - 3/10.
  assert.ok(Math.abs(v.mae! - 0.75) < TOL);
  assert.ok(Math.abs(v.rmse! - Math.sqrt(0.75)) < TOL);
  assert.ok(Math.abs(v.r2! - 0.7) < TOL, String(v.r2));
  const p = [2, 1, 1, 5], t = [3, 1, 0, 4];
  assert.ok(Math.abs(v.mae! - mae(p, t)) < TOL && Math.abs(v.rmse! - rmse(p, t)) < TOL && Math.abs(v.r2! - r2(p, t)) < TOL);
});

test('sums counted elsewhere (the fused graph) give the same metrics; a constant truth gives r2 0; reset starts again', () => {
  const s = new MetricStats({ taskId: 'y', encoding: 'value', units: 1, metrics: ['mae', 'r2'] });
  s.addErrorSums(3, 3, [3, 1, 0, 4]);
  assert.ok(Math.abs(s.values().mae! - 0.75) < TOL && Math.abs(s.values().r2! - 0.7) < TOL);
  s.reset();
  assert.deepEqual(s.values(), {}, 'no rows, no values');
  s.addPredictions([1, 3], [2, 2]);
  assert.equal(s.values().r2, 0);
  const c = new MetricStats({ taskId: 'c', encoding: 'onehot', units: 3, metrics: ['accuracy'] });
  c.addCounts([2, 0, 0, 1, 1, 0, 0, 0, 0]); // true 0: 2 right; true 1: 1 taken for 0, 1 right
  assert.equal(c.values().accuracy, 3 / 4);
});

const minimal = (evaluation?: ExperimentSpec['evaluation']): ExperimentSpec => ({
  name: 'x', data: { source: { type: 'mnist' }, split: { validation: 0.1, test: 0.1, seed: 1 } }, tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }],
  model: { inputs: [{ id: 'image', shape: [784] }], layers: [{ id: 'h', type: 'dense', units: 10, activation: 'softmax', from: ['image'] }], outputs: { digit: 'h' } },
  training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 32, seed: 1 },
  ...(evaluation ? { evaluation } : {}),
});

test('evaluation.trainMetrics: "running" by default, filled in by the defaults, round-trips; a wrong value is a located problem', () => {
  assert.equal(runningTrainMetrics(minimal()), true);
  assert.equal(withDefaults(minimal()).evaluation?.trainMetrics, 'running');
  const epochEnd = withDefaults(minimal({ trainMetrics: 'epochEnd' }));
  assert.equal(epochEnd.evaluation?.trainMetrics, 'epochEnd');
  assert.equal(runningTrainMetrics(JSON.parse(JSON.stringify(epochEnd)) as ExperimentSpec), false);
  assert.deepEqual(validate(minimal({ trainMetrics: 'epochEnd' })).problems.filter((p) => p.path.join('.').includes('trainMetrics')), []);
  const bad = validate(minimal({ trainMetrics: 'sometimes' as 'running' })).problems.find((p) => p.path.join('.') === 'evaluation.trainMetrics');
  assert.ok(bad, 'a problem at evaluation.trainMetrics');
  assert.match(bad.message, /running/);
});
