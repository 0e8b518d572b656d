import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withDefaults } from '../../../src/core/defaults';
import { validate } from '../../../src/core/validate';
import { convTwoDigits, digitsParity, layerById, mixedInputs } from './fixtures';

describe('withDefaults', () => {
  it('makes the loss, metrics and weight of each task explicit, by kind', () => {
    const spec = withDefaults(mixedInputs());
    assert.deepEqual(spec.tasks, [
      { id: 'price', kind: 'regression', target: 'price', loss: 'meanSquaredError', weight: 1, metrics: ['mae', 'rmse', 'r2'] },
      { id: 'sold', kind: 'binary', target: 'sold', classes: 2, loss: 'binaryCrossentropy', weight: 1, metrics: ['accuracy', 'rocAuc'] },
    ]);
    assert.equal(withDefaults(digitsParity()).tasks[0]!.loss, 'categoricalCrossentropy');
  });

  it('fills layer, optimizer, schedule, weighting and evaluation defaults as tfjs and the trainer apply them', () => {
    const spec = withDefaults(convTwoDigits());
    assert.deepEqual(layerById(spec, 'c1'), { id: 'c1', type: 'conv2d', filters: 8, kernelSize: 3, activation: 'relu', from: ['image'], strides: 1, padding: 'valid', useBias: true });
    assert.deepEqual(layerById(spec, 'p1'), { id: 'p1', type: 'maxPooling2d', poolSize: 2, strides: 2, padding: 'valid', from: ['c1'] });
    assert.deepEqual(layerById(spec, 'bn'), { id: 'bn', type: 'batchNormalization', from: ['p1'], momentum: 0.99, epsilon: 0.001 });
    assert.deepEqual(spec.training.optimizer, { type: 'adam', learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    assert.deepEqual(spec.training.schedule, { type: 'constant', warmupEpochs: 0 });
    assert.deepEqual(spec.training.weighting, { method: 'equal' });
    assert.deepEqual(spec.evaluation, { baselines: 'single-task', deltaM: 'pairs', trainMetrics: 'running' });
    assert.equal(spec.model.inputs[0]!.dtype, 'float32');
    const lstm = layerById(withDefaults(mixedInputs()), 'gru');
    assert.equal(lstm.type === 'gru' && lstm.activation, 'tanh');
  });

  it('keeps what the user wrote, leaves the layout alone and does not modify its argument', () => {
    const original = digitsParity();
    original.tasks[1]!.loss = 'categoricalCrossentropy';
    const before = JSON.parse(JSON.stringify(original));
    const spec = withDefaults(original);
    assert.deepEqual(original, before);
    assert.equal(spec.tasks[1]!.loss, 'categoricalCrossentropy');
    assert.equal(layerById(spec, 'trunk1').type === 'dense' && (layerById(spec, 'trunk1') as { activation?: string }).activation, 'relu');
    assert.deepEqual(spec.layout, original.layout);
  });

  it('produces documents that validate cleanly and do not change when defaulted again', () => {
    for (const make of [digitsParity, convTwoDigits, mixedInputs]) {
      const once = withDefaults(make());
      assert.deepEqual(validate(JSON.parse(JSON.stringify(once))).problems, [], make.name);
      assert.deepEqual(withDefaults(once), once);
    }
  });
});
