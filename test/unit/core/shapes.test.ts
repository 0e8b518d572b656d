import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inferShapes, layerOutputShape, type LayerShapeResult } from '../../../src/core/shapes';
import type { LayerSpec } from '../../../src/core/spec';
import { convTwoDigits, digitsParity, mixedInputs } from './fixtures';

const shapeOf = (r: LayerShapeResult): number[] | undefined => ('shape' in r ? r.shape : undefined);
const problemOf = (r: LayerShapeResult): string => ('problem' in r ? r.problem : '');
const layer = (l: Omit<LayerSpec, 'id' | 'from'> & Record<string, unknown>): LayerSpec => ({ id: 'x', from: ['in'], ...l }) as LayerSpec;

describe('shape inference', () => {
  it('follows a dense trunk to both heads', () => {
    const { shapes, problems } = inferShapes(digitsParity());
    assert.deepEqual(problems, []);
    assert.deepEqual(Object.fromEntries(shapes), { image: [784], trunk1: [128], trunk2: [64], digitHead: [10], parityHead: [1] });
  });

  it('computes conv and pooling sizes for valid and same padding, strides and rectangular kernels', () => {
    const { shapes, problems } = inferShapes(convTwoDigits());
    assert.deepEqual(problems, []);
    assert.deepEqual(shapes.get('c1'), [34, 34, 8]);
    assert.deepEqual(shapes.get('p1'), [17, 17, 8]);
    assert.deepEqual(shapes.get('leftConv'), [9, 9, 16]);   // same, stride 2: ceil(17 / 2)
    assert.deepEqual(shapes.get('rightPool'), [8, 8, 8]);   // valid, window 3, stride 2: ceil(15 / 2)
    assert.deepEqual(shapes.get('leftFlat'), [1296]);
    assert.deepEqual(shapes.get('rightHead'), [10]);
  });

  it('handles embeddings, recurrent layers and merges', () => {
    const { shapes, problems } = inferShapes(mixedInputs());
    assert.deepEqual(problems, []);
    assert.deepEqual(shapes.get('embed'), [12, 8]);
    assert.deepEqual(shapes.get('seq'), [12, 16]);
    assert.deepEqual(shapes.get('gru'), [8]);
    assert.deepEqual(shapes.get('sum'), [8]);
    assert.deepEqual(shapes.get('joined'), [16]);
  });

  it('tells the user to flatten before a dense layer on an image', () => {
    const r = layerOutputShape(layer({ type: 'dense', units: 10 }), [[28, 28, 1]], ['image']);
    assert.match(problemOf(r), /receives \[28, 28, 1\] from "image".*add a flatten layer before it/);
  });

  it('rejects a conv window that does not fit, suggesting same padding', () => {
    const r = layerOutputShape(layer({ type: 'conv2d', filters: 4, kernelSize: 5 }), [[3, 3, 2]]);
    assert.match(problemOf(r), /does not fit its 3×3 input.*"same"/);
    assert.deepEqual(shapeOf(layerOutputShape(layer({ type: 'conv2d', filters: 4, kernelSize: 5, padding: 'same' }), [[3, 3, 2]])), [3, 3, 4]);
    assert.match(problemOf(layerOutputShape(layer({ type: 'maxPooling2d' }), [[784]])), /needs an image \[height, width, channels\]/);
  });

  it('checks that reshape keeps the number of elements', () => {
    assert.deepEqual(shapeOf(layerOutputShape(layer({ type: 'reshape', targetShape: [28, 28, 1] }), [[784]])), [28, 28, 1]);
    assert.match(problemOf(layerOutputShape(layer({ type: 'reshape', targetShape: [27, 28] }), [[784]])), /holds 756 values.*784 values/);
  });

  it('needs a sequence for recurrent layers and returns the last state or the whole sequence', () => {
    assert.match(problemOf(layerOutputShape(layer({ type: 'lstm', units: 4 }), [[20]])), /needs a sequence \[steps, features\]/);
    assert.deepEqual(shapeOf(layerOutputShape(layer({ type: 'gru', units: 4 }), [[20, 3]])), [4]);
    assert.deepEqual(shapeOf(layerOutputShape(layer({ type: 'gru', units: 4, returnSequences: true }), [[20, 3]])), [20, 4]);
  });

  it('concatenates along the chosen axis (Keras numbering) and checks the other sizes', () => {
    const concat = (axis: number | undefined, inputs: number[][]) =>
      layerOutputShape(layer({ type: 'concatenate', ...(axis === undefined ? {} : { axis }) }), inputs, inputs.map((_, i) => `in${i}`));
    assert.deepEqual(shapeOf(concat(undefined, [[4, 4, 3], [4, 4, 5]])), [4, 4, 8]);
    assert.deepEqual(shapeOf(concat(1, [[4, 2], [6, 2]])), [10, 2]);
    assert.deepEqual(shapeOf(concat(-2, [[4, 2], [6, 2]])), [10, 2]);
    assert.match(problemOf(concat(-1, [[4, 2], [6, 2]])), /equal sizes except along axis -1; got \[4, 2\] from "in0", \[6, 2\] from "in1"/);
    assert.match(problemOf(concat(0, [[4], [6]])), /axis 0 is not an axis/);
    assert.match(problemOf(concat(-1, [[4], [6, 2]])), /same rank/);
  });

  it('needs identical shapes for add, and flags a flatten on a vector', () => {
    assert.match(problemOf(layerOutputShape(layer({ type: 'add' }), [[8], [9]])), /identical shape/);
    assert.match(problemOf(layerOutputShape(layer({ type: 'flatten' }), [[64]])), /already flat: remove this layer/);
  });

  it('reports wrong input counts on the layer and stops at the first broken layer', () => {
    const spec = digitsParity();
    spec.model.layers[0] = { id: 'trunk1', type: 'dense', units: 128, from: ['image', 'image'] };
    spec.model.layers.push({ id: 'merge', type: 'add', from: ['trunk2'] }, { id: 'lonely', type: 'dense', units: 2, from: [] });
    const { shapes, problems } = inferShapes(spec);
    const paths = problems.map((p) => JSON.stringify(p.path)).sort();
    assert.deepEqual(paths, [['model', 'layers', 0, 'from'], ['model', 'layers', 4, 'from'], ['model', 'layers', 5, 'from']].map((p) => JSON.stringify(p)));
    const messages = problems.map((p) => p.message).join('\n');
    assert.match(messages, /Layer "trunk1" \(dense\): takes exactly one input but has 2/);
    assert.match(messages, /Layer "merge" \(add\): merges two or more inputs but has only "trunk2"/);
    assert.match(messages, /Layer "lonely" \(dense\): has no input/);
    assert.equal(problems.length, 3);
    assert.equal(shapes.has('trunk2'), false); // nothing downstream of a broken layer gets a shape
    assert.equal(shapes.has('digitHead'), false);
  });
});
