import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { heatmap, histogram, layerStats, tensorStats, weightDetail } from '../../../src/host/diagram/weightStats';
import { decodeWeights, layerOfWeight, parseManifest, readLayersModel, WeightsFormatError } from '../../../src/host/diagram/weightsFile';
import { tempDir } from './fixtures';

/** A layers-format model folder: model.json + one or two shards, float32 unless quantized. */
function writeModel(dir: string, shards: number[][], weights: unknown[], paths?: string[]): string {
  const names = paths ?? shards.map((_, i) => `group1-shard${i + 1}of${shards.length}.bin`);
  shards.forEach((bytes, i) => fs.writeFileSync(path.join(dir, names[i]!), Buffer.from(bytes)));
  const file = path.join(dir, 'model.json');
  fs.writeFileSync(file, JSON.stringify({ modelTopology: {}, format: 'layers-model', weightsManifest: [{ paths: names, weights }] }));
  return file;
}
const f32 = (values: number[]) => [...new Uint8Array(new Float32Array(values).buffer)];

describe('weights.bin without tfjs', () => {
  it('reads float32 weights in manifest order, across shards', () => {
    const dir = tempDir();
    const bytes = f32([1, 2, 3, 4, 5, 6, 0.5, -0.5]);
    const file = writeModel(dir, [bytes.slice(0, 12), bytes.slice(12)], [
      { name: 'dense/kernel', shape: [3, 2], dtype: 'float32' },
      { name: 'dense/bias', shape: [2], dtype: 'float32' },
    ]);
    const tensors = readLayersModel(file);
    assert.deepEqual(tensors.map((t) => [t.name, t.layer, [...t.values]]), [
      ['dense/kernel', 'dense', [1, 2, 3, 4, 5, 6]],
      ['dense/bias', 'dense', [0.5, -0.5]],
    ]);
  });

  it('expands quantized (uint8 with scale and min) and float16 weights', () => {
    const groups = parseManifest({ weightsManifest: [{ paths: ['w.bin'], weights: [
      { name: 'q/kernel', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1 } },
      { name: 'h/kernel', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } },
    ] }] });
    // uint8 0, 2, 4 -> -1, 0, 1; float16 0x3c00 = 1, 0xc000 = -2 (little endian)
    const tensors = decodeWeights(groups, new Uint8Array([0, 2, 4, 0x00, 0x3c, 0x00, 0xc0]));
    assert.deepEqual([...tensors[0]!.values], [-1, 0, 1]);
    assert.deepEqual([...tensors[1]!.values], [1, -2]);
  });

  it('says what is wrong with a broken model instead of throwing a stack trace', () => {
    const dir = tempDir();
    const file = writeModel(dir, [f32([1, 2])], [{ name: 'd/kernel', shape: [2, 2], dtype: 'float32' }]);
    assert.throws(() => readLayersModel(file), (e: Error) => e instanceof WeightsFormatError && /end early/.test(e.message));
    assert.throws(() => parseManifest({}), WeightsFormatError);
    const outside = writeModel(tempDir(), [f32([1])], [{ name: 'd/bias', shape: [1], dtype: 'float32' }], ['../escape.bin']);
    assert.throws(() => readLayersModel(outside), /outside the model folder/);
    assert.equal(layerOfWeight('model/block/lstm/recurrent_kernel'), 'model/block/lstm');
  });

  it('computes L2 per tensor and per layer, mean, spread and RMS', () => {
    const kernel = { name: 'd/kernel', layer: 'd', shape: [2, 2], values: new Float32Array([3, 0, 0, 4]) };
    const bias = { name: 'd/bias', layer: 'd', shape: [2], values: new Float32Array([0, 12]) };
    const s = tensorStats(kernel);
    assert.equal(s.l2, 5);
    assert.equal(s.rms, 2.5);
    assert.equal(s.mean, 1.75);
    assert.deepEqual([s.min, s.max], [0, 4]);
    const [layer] = layerStats([kernel, bias]);
    assert.equal(layer!.l2, 13, 'sqrt(5² + 12²)');
    assert.equal(layer!.count, 6);
  });

  it('bins a histogram that counts every finite weight', () => {
    const values = new Float32Array([-1, -0.5, 0, 0.5, 1, Number.NaN]);
    const h = histogram(values, 4);
    assert.equal(h.counts.reduce((a, b) => a + b, 0), 5);
    assert.deepEqual(h.counts, [1, 1, 1, 2], 'the maximum falls in the last bin');
    assert.deepEqual(histogram(new Float32Array([2, 2]), 2).counts, [0, 2], 'a constant tensor still has a range');
  });

  it('averages a large kernel down to a heatmap, conv kernels flattened to rows × filters', () => {
    const values = new Float32Array(400 * 10).map((_, i) => (Math.floor(i / 10) < 200 ? -1 : 1));
    const map = heatmap({ shape: [400, 10], values }, 100)!;
    assert.deepEqual([map.rows, map.cols, map.sourceRows, map.sourceCols], [100, 10, 400, 10]);
    assert.equal(map.values[0], -1);
    assert.equal(map.values[99 * 10], 1);
    assert.equal(map.maxAbs, 1);
    const conv = heatmap({ shape: [3, 3, 2, 4], values: new Float32Array(72).fill(0.5) })!;
    assert.deepEqual([conv.sourceRows, conv.sourceCols, conv.rows, conv.cols], [18, 4, 18, 4]);
    assert.equal(heatmap({ shape: [5], values: new Float32Array(5) }), undefined);
    assert.equal(weightDetail({ name: 'b', layer: 'x', shape: [5], values: new Float32Array(5) }).heatmap, undefined);
  });
});
