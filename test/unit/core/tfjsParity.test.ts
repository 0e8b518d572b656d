// Shapes and parameter counts checked against the real thing: each fixture is built with
// tfjs-layers directly (not through the trainer) and compared with what core computes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { singleTaskSpec } from '../../../src/core/baseline';
import { analyzeGraph } from '../../../src/core/graph';
import { countParams } from '../../../src/core/params';
import { inferShapes } from '../../../src/core/shapes';
import type { ExperimentSpec, LayerSpec } from '../../../src/core/spec';
import { makeBlockLayer } from '../../../src/trainer/model/blockLayers';
import { buildModel } from '../../../src/trainer/model/build';
import { convTwoDigits, digitsParity, mixedInputs, sharingBlocks } from './fixtures';

function tfLayer(l: LayerSpec): tf.layers.Layer {
  const name = l.id;
  switch (l.type) {
    case 'dense': return tf.layers.dense({ name, units: l.units, activation: l.activation ?? 'linear', useBias: l.useBias ?? true });
    case 'conv2d': return tf.layers.conv2d({ name, filters: l.filters, kernelSize: l.kernelSize, strides: l.strides ?? 1, padding: l.padding ?? 'valid', useBias: l.useBias ?? true });
    case 'maxPooling2d': return tf.layers.maxPooling2d({ name, poolSize: l.poolSize ?? 2, ...(l.strides ? { strides: l.strides } : {}), padding: l.padding ?? 'valid' });
    case 'averagePooling2d': return tf.layers.averagePooling2d({ name, poolSize: l.poolSize ?? 2, ...(l.strides ? { strides: l.strides } : {}), padding: l.padding ?? 'valid' });
    case 'flatten': return tf.layers.flatten({ name });
    case 'reshape': return tf.layers.reshape({ name, targetShape: l.targetShape });
    case 'dropout': return tf.layers.dropout({ name, rate: l.rate });
    case 'batchNormalization': return tf.layers.batchNormalization({ name });
    case 'lstm': return tf.layers.lstm({ name, units: l.units, returnSequences: l.returnSequences ?? false });
    case 'gru': return tf.layers.gru({ name, units: l.units, returnSequences: l.returnSequences ?? false });
    case 'embedding': return tf.layers.embedding({ name, inputDim: l.inputDim, outputDim: l.outputDim });
    case 'concatenate': return tf.layers.concatenate({ name, axis: l.axis ?? -1 });
    case 'add': return tf.layers.add({ name });
    default: return makeBlockLayer(tf, l, name, 1);
  }
}

function build(spec: ExperimentSpec): tf.LayersModel {
  const graph = analyzeGraph(spec);
  const tensors = new Map<string, tf.SymbolicTensor>();
  for (const id of graph.order) {
    const node = graph.nodes.get(id)!;
    if (node.kind === 'input') {
      tensors.set(id, tf.input({ name: id, shape: node.input.shape, dtype: node.input.dtype ?? 'float32' }));
      continue;
    }
    const inputs = node.from.map((s) => tensors.get(s)!);
    tensors.set(id, tfLayer(node.layer).apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor);
  }
  const used = new Set(spec.model.inputs.map((i) => i.id).filter((id) => (graph.serves.get(id) ?? []).length > 0));
  return tf.model({
    inputs: [...used].map((id) => tensors.get(id)!),
    outputs: Object.values(spec.model.outputs).map((id) => tensors.get(id)!),
  });
}

function withReshapeBranch(): ExperimentSpec {
  const spec = digitsParity();
  spec.model.layers.push(
    { id: 'asImage', type: 'reshape', targetShape: [28, 28, 1], from: ['image'] },
    { id: 'conv', type: 'conv2d', filters: 3, kernelSize: [5, 3], strides: [2, 3], padding: 'same', useBias: false, from: ['asImage'] },
    { id: 'pool', type: 'averagePooling2d', poolSize: [3, 2], padding: 'same', from: ['conv'] },
    { id: 'bn2', type: 'batchNormalization', from: ['pool'] },
    { id: 'flat', type: 'flatten', from: ['bn2'] },
    { id: 'both', type: 'concatenate', from: ['flat', 'trunk2'] },
    { id: 'extraHead', type: 'dense', units: 3, activation: 'softmax', from: ['both'] },
  );
  spec.tasks.push({ id: 'extra', kind: 'multiclass', target: 'label', classes: 3 });
  spec.model.outputs.extra = 'extraHead';
  return spec;
}

describe('agreement with tfjs-layers', () => {
  const cases: [string, () => ExperimentSpec][] = [
    ['digits-parity MLP', digitsParity], ['conv trunk', convTwoDigits],
    ['embedding, LSTM, GRU, add, concatenate', mixedInputs], ['reshape, strided same-padded conv and pooling', withReshapeBranch],
    ['sharing blocks: mmoe, ple, parallelDense, crossStitch, select', sharingBlocks],
  ];
  for (const [name, make] of cases) {
    it(`${name}: same output shapes and countParams()`, () => {
      const spec = make();
      const model = build(spec);
      try {
        const { shapes, problems } = inferShapes(spec);
        assert.deepEqual(problems, []);
        for (const layer of spec.model.layers) {
          const expected = (model.getLayer(layer.id).outputShape as number[]).slice(1);
          assert.deepEqual(shapes.get(layer.id), expected, `shape of ${layer.id}`);
          assert.equal(countParams(spec).perNode.get(layer.id), model.getLayer(layer.id).countParams(), `params of ${layer.id}`);
        }
        assert.equal(countParams(spec).total, model.countParams());
      } finally {
        model.dispose();
      }
    });
  }
});

describe('single-task models as the trainer builds them', () => {
  it("each task's baseline of the sharing blocks holds what core counts as its single-task model", () => {
    const spec = sharingBlocks();
    let sum = 0;
    for (const task of spec.tasks) {
      const baseline = singleTaskSpec(spec, task.id);
      assert.deepEqual(inferShapes(baseline).problems, [], `baseline of ${task.id}`);
      const built = buildModel(tf, baseline, analyzeGraph(baseline).order, 1);
      try {
        assert.equal(countParams(baseline).total, built.model.countParams(), `baseline of ${task.id}`);
        sum += built.model.countParams();
      } finally {
        built.model.dispose();
      }
    }
    assert.equal(countParams(spec).singleTaskTotal, sum);
  });
});
