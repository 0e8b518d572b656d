import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countParams, layerParams } from '../../../src/core/params';
import type { LayerSpec } from '../../../src/core/spec';
import { convTwoDigits, digitsParity, mixedInputs } from './fixtures';

describe('parameter counts', () => {
  it('counts the digits-parity MLP: shared trunk, two heads, and the saving over two separate models', () => {
    const p = countParams(digitsParity());
    const trunk = (784 * 128 + 128) + (128 * 64 + 64);
    const digit = 64 * 10 + 10;
    const parity = 64 + 1;
    assert.equal(p.total, trunk + digit + parity);
    assert.equal(p.total, 109_451);
    assert.equal(p.shared, trunk);
    assert.deepEqual(p.perTask, { digit, parity });
    assert.equal(p.singleTaskTotal, 2 * trunk + digit + parity);
    assert.equal(p.saving, trunk);
    assert.ok(Math.abs(p.savingFraction - trunk / (2 * trunk + digit + parity)) < 1e-12);
    assert.equal(p.complete, true);
    assert.equal(p.perNode.get('image'), 0);
  });

  it('counts conv, batch normalization (4 per channel) and bias-free dense layers', () => {
    const p = countParams(convTwoDigits());
    assert.equal(p.perNode.get('c1'), 3 * 3 * 1 * 8 + 8);
    assert.equal(p.perNode.get('bn'), 4 * 8);
    assert.equal(p.perNode.get('leftConv'), 3 * 5 * 8 * 16 + 16);
    assert.equal(p.perNode.get('rightHead'), 512 * 10);
    assert.equal(p.shared, 80 + 32);
    assert.deepEqual(p.perTask, { left: 1936 + 12970, right: 5120 });
    assert.equal(p.total, 20138);
    assert.equal(p.singleTaskTotal, 20250);
  });

  it('counts embeddings and recurrent layers (LSTM 4 gates, GRU 3 gates)', () => {
    const p = countParams(mixedInputs());
    assert.equal(p.perNode.get('embed'), 500 * 8);
    assert.equal(p.perNode.get('seq'), 4 * (16 * (8 + 16) + 16));
    assert.equal(p.perNode.get('gru'), 3 * (8 * (16 + 8) + 8));
    assert.equal(p.shared, 56);
    assert.deepEqual(p.perTask, { price: 4000 + 1600 + 600 + 17, sold: 9 });
    assert.equal(p.total, 6282);
    assert.equal(p.singleTaskTotal, 6338);
  });

  it('leaves out layers that reach no output, as the built model would', () => {
    const spec = digitsParity();
    spec.model.layers.push({ id: 'orphan', type: 'dense', units: 1000, from: ['trunk1'] });
    const p = countParams(spec);
    assert.equal(p.perNode.get('orphan'), 128 * 1000 + 1000);
    assert.equal(p.total, 109_451);
  });

  it('reports an unknown count instead of a wrong one when a shape is unknown', () => {
    const spec = digitsParity();
    spec.model.layers[0]!.from = ['missing'];
    const p = countParams(spec);
    assert.equal(p.complete, false);
    assert.equal(p.perNode.has('trunk1'), false);
    assert.equal(layerParams({ id: 'd', type: 'dense', units: '12', from: [] } as unknown as LayerSpec, [4]), undefined);
  });
});
