import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Problem } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import { convTwoDigits, digitsParity, mixedInputs } from './fixtures';

const raw = (make: () => unknown = digitsParity): Record<string, any> => JSON.parse(JSON.stringify(make()));
const at = (problems: Problem[], path: (string | number)[]) => problems.find((p) => JSON.stringify(p.path) === JSON.stringify(path));
const only = (problems: Problem[]): Problem => { assert.equal(problems.length, 1, JSON.stringify(problems, null, 1)); return problems[0]!; };

describe('validate: the graph', () => {
  it('names a missing "from" target and the ids that do exist', () => {
    const doc = raw();
    doc.model.layers.splice(2, 0, { id: 'trunk3', type: 'dense', units: 32, from: ['trunk9'] });
    doc.model.layers[3].from = ['trunk3'];
    const { spec, problems } = validate(doc);
    assert.equal(spec, undefined);
    const p = at(problems, ['model', 'layers', 2, 'from', 0])!;
    assert.equal(p.message, 'Layer "trunk3" reads from "trunk9", which does not exist. Known ids: image, trunk1, trunk2, digitHead, parityHead.');
  });

  it('reports a cycle once, on the connection that closes it', () => {
    const doc = raw();
    doc.model.layers[0].from = ['trunk2'];
    const p = only(validate(doc).problems.filter((q) => q.severity === 'error')); // also: input "image" is now unused

    assert.equal(p.message, 'Layers form a cycle: trunk1 → trunk2 → trunk1. A layer cannot depend on its own output: remove one of these connections.');
    assert.deepEqual(p.path, ['model', 'layers', 0, 'from', 0]);
  });

  it('reports duplicate ids on the second use', () => {
    const doc = raw();
    doc.model.layers[1].id = 'image';
    doc.model.layers[2].from = ['image'];
    const p = at(validate(doc).problems, ['model', 'layers', 1, 'id'])!;
    assert.match(p.message, /Id "image" is already used by input #1/);
  });

  it('checks that outputs and tasks match up', () => {
    const doc = raw();
    doc.model.outputs = { digit: 'digitHed', parityy: 'parityHead' };
    const { problems } = validate(doc);
    assert.match(at(problems, ['model', 'outputs', 'digit'])!.message, /output of task "digit" is "digitHed", which does not exist\. Did you mean "digitHead"\?/);
    assert.match(at(problems, ['model', 'outputs', 'parityy'])!.message, /names task "parityy", which is not in "tasks"\. Did you mean "parity"\?/);
    assert.match(at(problems, ['tasks', 1])!.message, /Task "parity" has no output: add "parity": "<layer id>" to model.outputs/);
  });

  it('rejects an input used as an output', () => {
    const doc = raw();
    doc.model.outputs.digit = 'image';
    assert.match(at(validate(doc).problems, ['model', 'outputs', 'digit'])!.message, /is the input "image": point it to a layer/);
  });

  it('warns about a branch that reaches no output but still accepts the document', () => {
    const doc = raw();
    doc.model.layers.push({ id: 'sideBranch', type: 'dense', units: 4, from: ['trunk1'] });
    const { spec, problems } = validate(doc);
    assert.ok(spec);
    const p = only(problems);
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.path, ['model', 'layers', 4]);
    assert.match(p.message, /"sideBranch" feeds no task output/);
  });

  it('surfaces shape problems on the layer', () => {
    const doc = raw(convTwoDigits);
    doc.model.layers.splice(4, 1); // remove leftFlat
    doc.model.layers[4].from = ['leftConv'];
    const p = only(validate(doc).problems);
    assert.deepEqual(p.path, ['model', 'layers', 4]);
    assert.match(p.message, /Layer "leftHead" \(dense\): dense needs a flat vector but receives \[9, 9, 16\] from "leftConv": add a flatten layer before it/);
  });

  it('reports structural and graph problems together while the skeleton is sound', () => {
    const doc = raw();
    doc.model.layers[0].units = -5;
    doc.model.layers[3].from = ['trunk7'];
    const { problems } = validate(doc);
    assert.ok(at(problems, ['model', 'layers', 0, 'units']));
    assert.ok(at(problems, ['model', 'layers', 3, 'from', 0]));
  });
});

describe('validate: task heads', () => {
  it('wants as many units as classes on a multiclass head', () => {
    const doc = raw();
    doc.model.layers[2].units = 8;
    const p = only(validate(doc).problems);
    assert.deepEqual(p.path, ['model', 'layers', 2, 'units']);
    assert.equal(p.message, 'Task "digit" has 10 classes but its head "digitHead" outputs 8 values: set its units to 10.');
  });

  it('needs "classes" on a multiclass task', () => {
    const doc = raw();
    delete doc.tasks[0].classes;
    assert.match(only(validate(doc).problems).message, /Task "digit" is multiclass: set "classes"/);
  });

  it('accepts a binary head of 1 sigmoid unit or 2 softmax units, and nothing else', () => {
    const doc = raw();
    doc.model.layers[3].units = 2;
    doc.model.layers[3].activation = 'softmax';
    assert.deepEqual(validate(doc).problems, []);
    doc.model.layers[3].units = 3;
    assert.match(only(validate(doc).problems).message, /Task "parity" is binary: its head "parityHead" must output 1 value \(sigmoid\) or 2 \(softmax\), not 3/);
  });

  it('warns when a head activation does not produce what the loss expects', () => {
    const doc = raw();
    doc.model.layers[3].activation = 'relu';
    const p = only(validate(doc).problems);
    assert.equal(p.severity, 'warning');
    assert.deepEqual(p.path, ['model', 'layers', 3, 'activation']);
    assert.match(p.message, /expects "sigmoid"/);
  });

  it('wants one unit, and no softmax, on a regression head', () => {
    const doc = raw(mixedInputs);
    doc.model.layers[6].units = 2;
    assert.match(only(validate(doc).problems).message, /Task "price" is a regression: its head "priceHead" must output 1 value, not 2/);
    doc.model.layers[6].units = 1;
    doc.model.layers[6].activation = 'softmax';
    assert.match(only(validate(doc).problems).message, /softmax over a single output is always 1/);
  });

  it('rejects a loss or a metric that does not fit the task kind', () => {
    const doc = raw(mixedInputs);
    doc.tasks[0].loss = 'binaryCrossentropy';
    doc.tasks[1].metrics = ['accuracy', 'rmse'];
    const { problems } = validate(doc);
    assert.match(at(problems, ['tasks', 0, 'loss'])!.message, /Task "price" \(regression\) cannot use loss "binaryCrossentropy": use meanSquaredError, meanAbsoluteError, huber/);
    assert.match(at(problems, ['tasks', 1, 'metrics', 1])!.message, /cannot report "rmse"/);
    assert.equal(problems.length, 2);
  });
});

describe('validate: settings and data', () => {
  it('rejects splits that leave no training data', () => {
    const doc = raw();
    doc.data.split = { validation: 0.5, test: 0.5, seed: 1 };
    const p = only(validate(doc).problems);
    assert.deepEqual(p.path, ['data', 'split']);
    assert.match(p.message, /validation \(0.5\) \+ test \(0.5\) = 1 leaves no training data/);
  });

  it('warns about settings that would be silently ignored', () => {
    const doc = raw();
    doc.tasks[0].weight = 3;
    doc.training.schedule = { type: 'cosine', warmupEpochs: 10 };
    const { spec, problems } = validate(doc);
    assert.ok(spec);
    assert.match(at(problems, ['tasks', 0, 'weight'])!.message, /only used with training.weighting.method "static" \(now "equal"\)/);
    assert.match(at(problems, ['training', 'schedule', 'warmupEpochs'])!.message, /never starts/);
    doc.training.weighting = { method: 'static' };
    assert.equal(validate(doc).problems.length, 1);
  });

  it('checks column names against the data when the caller knows them', () => {
    const doc = raw(mixedInputs);
    doc.tasks[0].target = 'prise';
    doc.model.inputs[1].features = ['area', 'rooms', 'city=Paris', 'garden'];
    doc.model.inputs[1].shape = [4]; // one value per listed feature (dataShape.ts checks that)
    doc.data.source.categorical = ['city'];
    const { problems } = validate(doc, { columns: ['price', 'sold', 'area', 'rooms', 'city', 'description'] });
    assert.equal(problems.length, 2);
    assert.match(at(problems, ['tasks', 0, 'target'])!.message, /Task "price" reads its target from "prise", which is not in the data \(6 columns\)\. Did you mean "price"\?/);
    assert.match(at(problems, ['model', 'inputs', 1, 'features', 3])!.message, /^Input "numbers" reads feature "garden", which is not a feature of the data \(5 features\)\.$/);
    assert.deepEqual(validate(doc).problems.length, 0); // without data facts, names are not checked
  });

  it('checks that an input holds as many values as each example of the data', () => {
    const doc = raw(convTwoDigits);
    doc.model.inputs[0].shape = [28, 28, 1];
    const p = at(validate(doc, { targets: ['left', 'right'], columns: [], featureShape: [36, 36, 1] }).problems, ['model', 'inputs', 0, 'shape'])!;
    assert.match(p.message, /Input "image" is \[28, 28, 1\], the data gives 1296 features per example: set \[1296\], or \[36, 36, 1\]/);
  });
});
