// A small but complete two-task experiment (digits + parity) with the data the run writer
// and the report take: per-epoch metrics and a run summary.
import { computeDeltaM } from '../../../src/core/deltaM';
import { WHOLE_MODEL, type MetricPoint, type RunSummary } from '../../../src/core/protocol';
import type { ExperimentSpec } from '../../../src/core/spec';
import { digitsParity } from '../../fixtures/digitsParity';

/** digits-parity on 2,000 digits, with a hidden layer of its own in the parity branch. */
export function digitsParitySpec(name = 'digits-parity'): ExperimentSpec {
  const { layout: _layout, ...spec } = digitsParity();
  const layers = spec.model.layers.map((l) => (l.id === 'parityHead' ? { ...l, from: ['parityHidden'] } : l));
  layers.splice(3, 0, { id: 'parityHidden', type: 'dense', units: 16, activation: 'relu', from: ['trunk2'] });
  return {
    ...spec, name,
    data: { ...spec.data, source: { type: 'mnist', limit: 2000 } },
    model: { ...spec.model, layers },
    training: { ...spec.training, epochs: 3 },
  };
}

/** Epoch-end points of a 3-epoch run: train and validation loss and accuracy per task, total loss, lr. */
export function epochPoints(epochs = 3, stepsPerEpoch = 50): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const step = epoch * stepsPerEpoch;
    for (const split of ['train', 'validation'] as const) {
      const gap = split === 'train' ? 0 : 0.05;
      points.push({ step, epoch, split, task: 'digit', metric: 'loss', value: 2 / epoch + gap });
      points.push({ step, epoch, split, task: 'digit', metric: 'accuracy', value: 0.6 + 0.1 * epoch - gap });
      points.push({ step, epoch, split, task: 'parity', metric: 'loss', value: 0.7 / epoch + gap });
      points.push({ step, epoch, split, task: 'parity', metric: 'accuracy', value: 0.7 + 0.05 * epoch - gap });
      points.push({ step, epoch, split, task: WHOLE_MODEL, metric: 'loss', value: 2.7 / epoch + gap });
    }
    points.push({ step, epoch, split: 'train', task: WHOLE_MODEL, metric: 'lr', value: 0.01 });
  }
  return points;
}

export function summary(runDir = '/tmp/run'): RunSummary {
  const shared = 784 * 128 + 128 + 128 * 64 + 64;
  const digit = 650;
  const parity = 64 * 16 + 16 + 17;
  const test = { digit: { loss: 0.3, accuracy: 0.91 }, parity: { loss: 0.2, accuracy: 0.95 } };
  const baselineTest = { digit: { loss: 0.35, accuracy: 0.9 }, parity: { loss: 0.18, accuracy: 0.96 } };
  const { comparisons, deltaM } = computeDeltaM(test, baselineTest);
  return {
    runDir,
    status: 'completed',
    backend: 'tensorflow',
    test,
    parameters: { total: shared + digit + parity, shared, perTask: { digit, parity }, singleTaskTotal: 2 * shared + digit + parity },
    baselines: { test: baselineTest, comparisons, deltaM, parameters: 2 * shared + digit + parity },
    timings: { startedAt: '2024-01-02T03:04:05.000Z', endedAt: '2024-01-02T03:05:00.000Z', trainSeconds: 50.5 },
  };
}
