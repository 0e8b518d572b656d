// Inputs against the features the data gives: the message says both shapes and what to set,
// the fix is an edit that makes the problem go away, and generated sources are checked by
// validate alone (their count follows from the settings).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inputShapeProblems, knownFeatureShape } from '../../../src/core/dataShape';
import { applyOpsToText, applyOpsToValue } from '../../../src/core/edits';
import type { Problem } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import { convTwoDigits, digitsParity, mixedInputs } from './fixtures';

const raw = (make: () => unknown): Record<string, any> => JSON.parse(JSON.stringify(make()));
const shapeProblems = (problems: Problem[]) => problems.filter((p) => p.path.join('.').match(/^model\.inputs\.\d+\.shape$/));

/** A csv experiment whose one input is [5]. */
function tabular(): Record<string, any> {
  const doc = raw(digitsParity);
  doc.data = { source: { type: 'csv', path: 'wine.csv' }, split: { validation: 0.2, test: 0.2, seed: 1 } };
  doc.model.inputs[0].shape = [5];
  return doc;
}

describe('input shapes against the data', () => {
  it('says the input shape, the count of features and what to set, at model.inputs[i].shape', () => {
    const [p, ...rest] = inputShapeProblems(tabular(), [13]);
    assert.equal(rest.length, 0);
    assert.deepEqual(p!.path, ['model', 'inputs', 0, 'shape']);
    assert.equal(p!.severity, 'error');
    assert.equal(p!.message, 'Input "image" is [5], the data gives 13 features per example: set [13].');
    assert.deepEqual(p!.fix, { label: 'Set shape to [13]', ops: [{ op: 'set', path: ['model', 'inputs', 0, 'shape'], value: [13] }] });
  });

  it('accepts any shape with as many values (the trainer reshapes an example)', () => {
    const doc = tabular();
    doc.model.inputs[0].shape = [13, 1];
    assert.deepEqual(inputShapeProblems(doc, [13]), []);
    doc.model.inputs[0].shape = [28, 28, 1];
    assert.deepEqual(inputShapeProblems(doc, [784]), []);
  });

  it('its fix, applied to the text, changes only the shape and leaves nothing to report', () => {
    const doc = tabular();
    const text = JSON.stringify(doc, null, 2);
    const [p] = inputShapeProblems(doc, [13]);
    const fixed = applyOpsToText(text, p!.fix!.ops);
    assert.deepEqual(JSON.parse(fixed), applyOpsToValue(doc, p!.fix!.ops));
    assert.deepEqual(JSON.parse(fixed).model.inputs[0].shape, [13]);
    assert.equal(fixed.replace(/"shape": \[\s*13\s*\]/, ''), text.replace(/"shape": \[\s*5\s*\]/, ''));
    assert.deepEqual(inputShapeProblems(JSON.parse(fixed), [13]), []);
  });

  it('for image sources names the image shape and keeps a convolutional input as an image', () => {
    const mnist = raw(digitsParity);
    mnist.model.inputs[0].shape = [5];
    const [flat] = shapeProblems(validate(mnist).problems);
    assert.equal(flat!.message, 'Input "image" is [5], the data gives 784 features per example: set [784], or [28, 28, 1] to keep the 28×28 images\' rows and columns.');
    assert.equal(flat!.fix!.label, 'Set shape to [784]');
    const multi = raw(convTwoDigits);
    multi.model.inputs[0].shape = [28, 28, 1];
    const [image] = shapeProblems(validate(multi).problems);
    assert.match(image!.message, /Input "image" is \[28, 28, 1\], the data gives 1296 features per example: set \[1296\], or \[36, 36, 1\]/);
    assert.equal(image!.fix!.label, 'Set shape to [36, 36, 1]');
  });

  it('generated sources are checked by validate without any data (their settings fix the count)', () => {
    assert.deepEqual(knownFeatureShape({ type: 'synthetic-correlated', correlation: 0.5, inputDim: 12 }), [12]);
    assert.deepEqual(knownFeatureShape({ type: 'synthetic-correlated', correlation: 0.5 }), [100]);
    assert.equal(knownFeatureShape({ type: 'csv', path: 'x.csv' }), undefined);
    const doc = raw(digitsParity);
    doc.data.source = { type: 'synthetic-correlated', correlation: 0.5, inputDim: 12 };
    doc.model.inputs[0].shape = [784];
    const [p] = shapeProblems(validate(doc).problems);
    assert.equal(p!.message, 'Input "image" is [784], the data gives 12 features per example: set [12].');
    assert.equal(validate(digitsParity()).problems.length, 0, 'the reference experiment fits its data');
  });

  it('a csv is checked only when the caller counted its features (validate alone cannot)', () => {
    assert.deepEqual(shapeProblems(validate(tabular()).problems), []);
    assert.equal(shapeProblems(validate(tabular(), { featureShape: [13] }).problems).length, 1);
  });

  it('an input that lists its features must hold one value per listed feature', () => {
    const doc = raw(mixedInputs);
    doc.model.inputs[1].features = ['area', 'rooms', 'city=Paris'];
    const [p] = shapeProblems(validate(doc).problems);
    assert.equal(p!.message, 'Input "numbers" is [6], it reads 3 features (its "features" list): set [3].');
    assert.deepEqual(p!.path, ['model', 'inputs', 1, 'shape']);
  });

  it('leaves half-edited inputs to the other checks', () => {
    const doc = tabular();
    doc.model.inputs.push({ id: 'y', shape: 'big' }, { shape: [2] }, null);
    assert.equal(inputShapeProblems(doc, [13]).length, 1);
    assert.deepEqual(inputShapeProblems({ model: 3 }, [13]), []);
    assert.deepEqual(inputShapeProblems(null, [13]), []);
  });
});
