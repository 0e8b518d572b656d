// Checks of evaluation.repeats and evaluation.crossValidation, each at its JSON path.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate } from '../../../src/core/validate';
import { withDefaults } from '../../../src/core/defaults';
import { repeatUnits } from '../../../src/core/repeats';
import type { ExperimentSpec } from '../../../src/core/spec';

function doc(evaluation: Record<string, unknown>, split = { validation: 0.1, test: 0.2, seed: 1 }) {
  return {
    name: 'e',
    data: { source: { type: 'mnist', limit: 100 }, split },
    tasks: [{ id: 'digit', kind: 'multiclass', target: 'label', classes: 10 }, { id: 'parity', kind: 'binary', target: 'parity' }],
    model: {
      inputs: [{ id: 'image', shape: [784] }],
      layers: [
        { id: 'trunk', type: 'dense', units: 8, activation: 'relu', from: ['image'] },
        { id: 'd', type: 'dense', units: 10, activation: 'softmax', from: ['trunk'] },
        { id: 'p', type: 'dense', units: 1, activation: 'sigmoid', from: ['trunk'] },
      ],
      outputs: { digit: 'd', parity: 'p' },
    },
    training: { optimizer: { type: 'sgd', learningRate: 0.01 }, epochs: 1, batchSize: 8, seed: 42 },
    evaluation,
  };
}

const at = (problems: ReturnType<typeof validate>['problems'], path: string) => problems.filter((p) => p.path.join('.') === path);

test('repeats outside 1..100 and folds < 2 are refused at their paths (a study\'s repeats have the same bound); more than 10 repeats warns of the cost', () => {
  assert.equal(at(validate(doc({ repeats: 0 })).problems, 'evaluation.repeats')[0]?.severity, 'error');
  assert.equal(at(validate(doc({ repeats: 101 })).problems, 'evaluation.repeats')[0]?.severity, 'error');
  // 100, the bound of a study's repeats too, is a cost warning, not an error (it was refused past 50).
  assert.deepEqual(at(validate(doc({ repeats: 100 })).problems, 'evaluation.repeats').map((p) => p.severity), ['warning']);
  assert.equal(at(validate(doc({ crossValidation: { folds: 1 } })).problems, 'evaluation.crossValidation.folds')[0]?.severity, 'error');
  assert.equal(at(validate(doc({ crossValidation: { folds: 3, test: 'both' } })).problems, 'evaluation.crossValidation.test')[0]?.severity, 'error');
  assert.deepEqual(at(validate(doc({ repeats: 10 })).problems, 'evaluation.repeats'), []);
  const cost = at(validate(doc({ repeats: 12 })).problems, 'evaluation.repeats');
  assert.equal(cost[0]?.severity, 'warning');
  assert.match(cost[0]!.message, /12 repeats train 36 models \(3 per repeat\)/);
});

test('a fold must hold enough rows, counted from the rows the folds share', () => {
  // Fixed: 100 rows, 20 kept for testing; 80 / 20 folds = 4 rows each, below 5.
  const small = at(validate(doc({ crossValidation: { folds: 20 } }, { validation: 0, test: 0.2, seed: 1 }), { rows: 100 }).problems, 'evaluation.crossValidation.folds');
  assert.equal(small[0]?.severity, 'error');
  assert.match(small[0]!.message, /20 folds of 80 rows \(the rows outside the test split\) hold 4 rows each/);
  // 16 folds of 80 rows hold 5: enough. Nested folds share all 100 rows: 20 folds of 5.
  assert.deepEqual(at(validate(doc({ crossValidation: { folds: 16 } }, { validation: 0, test: 0.2, seed: 1 }), { rows: 100 }).problems, 'evaluation.crossValidation.folds'), []);
  assert.deepEqual(at(validate(doc({ crossValidation: { folds: 20, test: 'nested' } }), { rows: 100 }).problems, 'evaluation.crossValidation.folds'), []);
});

test('the split fraction a cross-validation does not use is named; nested needs no test fraction', () => {
  assert.equal(at(validate(doc({ crossValidation: { folds: 3 } })).problems, 'data.split.validation')[0]?.severity, 'warning');
  const nested = validate(doc({ crossValidation: { folds: 3, test: 'nested' } }, { validation: 0.1, test: 0, seed: 1 }));
  assert.ok(nested.spec, JSON.stringify(nested.problems));
  assert.deepEqual(at(nested.problems, 'data.split.test'), []);
  assert.equal(at(validate(doc({ crossValidation: { folds: 3, test: 'nested' } })).problems, 'data.split.test')[0]?.severity, 'warning');
  // Early stopping needs a validation part: with fixed folds each fold is one, with nested folds data.split.validation is.
  const early = (evaluation: Record<string, unknown>) => {
    const d = doc(evaluation, { validation: 0, test: 0.2, seed: 1 });
    return at(validate({ ...d, training: { ...d.training, earlyStopping: { patience: 2 } } }).problems, 'training.earlyStopping');
  };
  assert.deepEqual(early({ crossValidation: { folds: 3 } }), []);
  assert.equal(early({ crossValidation: { folds: 3, test: 'nested' } })[0]?.severity, 'error');
  assert.equal(early({})[0]?.severity, 'error');
});

test('defaults: one training unless asked; folds rotate a fixed test split; units go fold by fold, seed by seed', () => {
  const plain = withDefaults(validate(doc({})).spec!);
  assert.deepEqual(repeatUnits(plain), [{ index: 0, seed: 42 }]);
  const cv = withDefaults(validate(doc({ repeats: 2, crossValidation: { folds: 2 } })).spec!) as ExperimentSpec;
  assert.equal(cv.evaluation?.crossValidation?.test, 'fixed');
  assert.deepEqual(repeatUnits(cv).map((u) => [u.index, u.seed, u.fold?.index]), [[0, 42, 0], [1, 43, 0], [2, 42, 1], [3, 43, 1]]);
});

test('crossValidation.fold trains that one fold (a study\'s run) and must be one of the folds', () => {
  const one = withDefaults(validate(doc({ repeats: 2, crossValidation: { folds: 3, fold: 2 } })).spec!);
  assert.deepEqual(repeatUnits(one), [
    { index: 0, seed: 42, fold: { index: 1, of: 3 } },
    { index: 1, seed: 43, fold: { index: 1, of: 3 } },
  ]);
  const problems = validate(doc({ crossValidation: { folds: 3, fold: 4 } })).problems;
  assert.deepEqual(at(problems, 'evaluation.crossValidation.fold').map((p) => [p.severity, p.message]), [['error', 'fold 4 does not exist: there are 3 folds (1 to 3).']]);
  assert.match(at(validate(doc({ crossValidation: { folds: 3, fold: 0 } })).problems, 'evaluation.crossValidation.fold')[0]?.message ?? '', /≥ 1/);
});
