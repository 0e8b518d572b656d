// The sharing blocks' forward pass on native TensorFlow against numbers worked out by hand
// from each paper's formula, on inputs of one or two rows (tolerance 1e-5).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type * as TF from '@tensorflow/tfjs';
import type { BlockLayerSpec } from '../../../src/core/blockLayers';
import { loadBackend, type Tf } from '../../../src/trainer/backend';
import { isGated, makeBlockLayer, tiePenalty } from '../../../src/trainer/model/blockLayers';
import { runData } from '../../../src/host/diagram/diagramData';
import { readLayersModel } from '../../../src/host/diagram/weightsFile';
import type { FromTrainer } from '../../../src/core/protocol';
import { runExperiment } from '../../../src/trainer/run';
import { sharingBlocks } from '../core/fixtures';
import { onlyRun, tempDir } from './helpers';
import path from 'node:path';

let tf: Tf;
before(async () => { tf = (await loadBackend('tensorflow')).tf; });

const close = (actual: number[], expected: number[], what: string): void => {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, i) => assert.ok(Math.abs(a - expected[i]!) < 1e-5, `${what}[${i}]: ${a} vs ${expected[i]}`));
};
const softmax = (z: number[]): number[] => { const e = z.map(Math.exp); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); };

/** A block layer built on `input` (so its weights exist), with some weights set by name. */
function block(l: BlockLayerSpec, input: TF.Tensor, weights: Record<string, number[]> = {}): TF.layers.Layer {
  const layer = makeBlockLayer(tf, l, l.id, 7);
  layer.apply(input);
  for (const w of layer.weights) {
    const key = w.name.split('/').pop()!.replace(/_\d+$/, '');
    if (weights[key]) w.write(tf.tensor(weights[key]!, w.shape as number[]));
  }
  return layer;
}
const out = (layer: TF.layers.Layer, x: TF.Tensor): number[] => Array.from((layer.apply(x) as TF.Tensor).dataSync());

describe('sharing blocks, forward pass by hand', () => {
  it('mmoe: f_k(x) = sum_i softmax(W_gk x + b_gk)_i relu(x W_i + b_i)', () => {
    const x = tf.tensor2d([[1, 2], [-1, 1]]);
    const layer = block({ id: 'moe', type: 'mmoe', experts: 2, units: 1, tasks: 2, from: [] }, x, {
      experts: [1, 0, 0, 1], // expert 0 reads x1, expert 1 reads x2
      expert_bias: [0, 0.5],
      gates: [0, 0, 0, 0, /* gate 1 */ 1, 0, 0, 0], // gate 0 uniform; gate 1 logits [x1, 0]
    });
    // Row 1: experts relu(1) = 1, relu(2 + 0.5) = 2.5. Row 2: relu(-1) = 0, relu(1 + 0.5) = 1.5.
    const g1 = softmax([1, 0]), g2 = softmax([-1, 0]);
    close(out(layer, x), [0.5 * 1 + 0.5 * 2.5, g1[0]! * 1 + g1[1]! * 2.5, 0.5 * 0 + 0.5 * 1.5, g2[0]! * 0 + g2[1]! * 1.5], 'mmoe [2, 2, 1]');
    close(out(layer, x).slice(0, 2), [1.75, 1.4034121], 'row 1 worked out');
    assert.ok(isGated(layer));
    close(Array.from((layer as unknown as { gateWeights(x: TF.Tensor): TF.Tensor }).gateWeights(x).dataSync()), [0.5, 0.5, ...g1, 0.5, 0.5, ...g2], 'gate weights');
    // A gate bias of [ln 3, 0] on gate 0: weights [3/4, 1/4] whatever the input.
    layer.weights.find((w) => w.name.includes('gate_bias'))!.write(tf.tensor2d([[Math.log(3), 0], [0, 0]]));
    close(out(layer, x).filter((_, i) => i % 2 === 0), [0.75 * 1 + 0.25 * 2.5, 0.75 * 0 + 0.25 * 1.5], 'gate 0 with bias');
  });

  it('ple (two levels, linear experts): task experts read the task\'s input, shared experts and gate the shared input', () => {
    const x = tf.tensor2d([[2]]);
    const layer = block({ id: 'ple', type: 'ple', sharedExperts: 1, taskExperts: 1, units: 1, tasks: 2, levels: 2, activation: 'linear', from: [] }, x, {
      l0_task0_experts: [1], l0_task1_experts: [-1], l0_task1_bias: [1], l0_shared_experts: [0.5],
      l0_gates: [0, 0, 1, 0], l0_shared_gate: [0, 0, 0], l0_gate_bias: [0, 0, 0, -1], l0_shared_gate_bias: [0, 0, 0],
      l1_task0_experts: [2], l1_task1_experts: [1], l1_task1_bias: [1], l1_shared_experts: [3],
      l1_gates: [1, -1, 0, 0],
    });
    // Level 1 on x = 2: experts task0 2, task1 -1, shared 1.
    const a = softmax([2, 0 - 1]); // task 1's gate: logits [x, 0] plus bias [0, -1]
    const h0 = 0.5 * 2 + 0.5 * 1, h1 = a[0]! * -1 + a[1]! * 1, hs = (2 - 1 + 1) / 3; // shared gate uniform over all 3
    close([h1], [(-Math.exp(3) + 1) / (Math.exp(3) + 1)], 'task 1 after level 1: -tanh(3/2)');
    // Level 2: task0 expert 2 h0, task1 expert h1 + 1, shared expert 3 hs (= 2) on the shared input.
    const b = softmax([h0, -h0]);
    close(out(layer, x), [b[0]! * 2 * h0 + b[1]! * 3 * hs, 0.5 * (h1 + 1) + 0.5 * 3 * hs], 'ple [1, 2, 1]');
    close(out(layer, x), [2.9525741, 0.5 * (1 - Math.tanh(1.5)) + 1], 'worked out');
    close(Array.from((layer as unknown as { gateWeights(x: TF.Tensor): TF.Tensor }).gateWeights(x).dataSync()), [...b, 0.5, 0.5], 'top-level gates');
  });

  it('cgc (one level) has no shared gate, and each task\'s gate weighs its own experts then the shared ones', () => {
    const x = tf.tensor2d([[1, -1]]);
    const layer = block({ id: 'cgc', type: 'ple', sharedExperts: 1, taskExperts: 1, units: 1, tasks: 2, from: [] }, x, {
      l0_task0_experts: [1, 0], l0_task1_experts: [0, -1], l0_shared_experts: [2, 1], l0_gates: [0, 0, 0, 0, 1, 0, 0, 1],
    });
    assert.equal(layer.weights.some((w) => w.name.includes('shared_gate')), false);
    // relu experts: task0 relu(1) = 1, task1 relu(1) = 1, shared relu(2 - 1) = 1; gate 1 logits [1, -1].
    const g = softmax([1, -1]);
    close(out(layer, x), [1, g[0]! + g[1]!], 'cgc');
  });

  it('crossStitch: column i = sum_j alpha_ij column j, alpha starting at selfWeight and sharing the rest of each row', () => {
    const x = tf.tensor3d([[[1, 2], [3, 4]]]);
    const layer = block({ id: 's', type: 'crossStitch', from: [] }, x);
    close(out(layer, x), [0.9 * 1 + 0.1 * 3, 0.9 * 2 + 0.1 * 4, 0.1 * 1 + 0.9 * 3, 0.1 * 2 + 0.9 * 4], 'initial alpha 0.9 / 0.1');
    layer.weights[0]!.write(tf.tensor2d([[1, 2], [3, 4]]));
    close(out(layer, x), [7, 10, 15, 22], 'alpha [[1, 2], [3, 4]]');
    const three = tf.tensor3d([[[1], [2], [3]]]);
    close(out(block({ id: 's3', type: 'crossStitch', selfWeight: 0.7, from: [] }, three), three), [0.7 + 0.15 * 5, 1.4 + 0.15 * 4, 2.1 + 0.15 * 3], 'three columns');
  });

  it("crossStitch in a baseline, cut to 3 of a unit's 4 columns: each row still sums to 1", () => {
    // selfWeight 0.7 over the 3 kept columns: 0.7 on the diagonal, (1 - 0.7) / (3 - 1) = 0.15 off it,
    // each row 0.7 + 0.15 + 0.15 = 1 (the shared 4-column unit's corner: 0.7 + 2 x 0.1 = 0.9).
    // On columns [1], [2], [3]: 0.7 x 1 + 0.15 x (2 + 3) = 1.45, 0.7 x 2 + 0.15 x (1 + 3) = 2,
    // 0.7 x 3 + 0.15 x (1 + 2) = 2.55.
    const three = tf.tensor3d([[[1], [2], [3]]]);
    const layer = makeBlockLayer(tf, { id: 'cut', type: 'crossStitch', selfWeight: 0.7, from: [] }, 'cut', 7, { columns: [0, 2, 3], of: 4 });
    close(out(layer, three), [1.45, 2, 2.55], 'a unit of the kept columns');
    close(Array.from(layer.weights[0]!.read().dataSync()), [0.7, 0.15, 0.15, 0.15, 0.7, 0.15, 0.15, 0.15, 0.7], 'alpha');
  });

  it('parallelDense: every column reads a vector, or column c reads column c; tieL2 adds lambda sum_{i<j} ||W_i - W_j||^2', () => {
    const flat = tf.tensor2d([[1, 2]]), stacked = tf.tensor3d([[[1, 2], [3, 4]]]);
    const spec: BlockLayerSpec = { id: 'p', type: 'parallelDense', columns: 2, units: 1, tieL2: 0.5, from: [] };
    const weights = { kernel: [1, 1, 2, -1], bias: [0, 1] };
    close(out(block(spec, flat, weights), flat), [1 + 2, 2 - 2 + 1], 'on a vector');
    close(out(block(spec, stacked, weights), stacked), [1 + 2, 6 - 4 + 1], 'on columns');
    const penalty = tiePenalty(tf, [block(spec, flat, weights)])!;
    close([penalty().dataSync()[0]!], [0.5 * ((1 - 2) ** 2 + (1 + 1) ** 2)], 'two columns');
    const three = block({ ...spec, columns: 3 }, flat, { kernel: [1, 1, 2, -1, 0, 0] });
    close([tiePenalty(tf, [three])!().dataSync()[0]!], [0.5 * (5 + 2 + 5)], 'three columns: pairs 01, 02, 12');
    assert.equal(tiePenalty(tf, [block({ ...spec, tieL2: 0 }, flat)]), undefined);
  });

  it('select hands on one column', () => {
    const x = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    close(out(block({ id: 'c', type: 'select', index: 1, from: [] }, x), x), [3, 4, 7, 8], 'column 1');
  });
});

describe('sharing blocks in a run', () => {
  it('a model with every block trains, saves a model that loads again, and records the gates the diagram shows', { timeout: 120_000 }, async () => {
    const runsDir = tempDir('blocks');
    const messages: FromTrainer[] = [];
    // Every block trains on the compiled step (native/), as the log says; the saved model and the gates are the tfjs model's.
    const spec = sharingBlocks();
    const doc = { ...spec, training: { ...spec.training, optimizer: { type: 'sgd', learningRate: 0.01 } }, evaluation: { baselines: 'none' } };
    const outcome = await runExperiment({ doc, workspaceDir: runsDir, runsDir, backend: 'tensorflow', epochs: 2, emit: (m) => messages.push(m), cancelled: () => false });
    assert.deepEqual(messages.filter((m) => m.type === 'error' || m.type === 'problems'), []);
    assert.equal(outcome, 'completed');
    const log = messages.filter((m) => m.type === 'log').map((m) => (m as { message: string }).message).join('\n');
    assert.match(log, /shared model: \d+ steps, training step native$/m);
    const done = messages.find((m) => m.type === 'done');
    assert.ok(done?.type === 'done');
    const gates = done.summary.gates!;
    assert.deepEqual(gates.map((g) => [g.layer, g.columns, g.experts]), [
      ['moe', ['y0', 'y1'], ['expert 0', 'expert 1', 'expert 2']],
      ['ple', ['y1', 'y2'], ['own 0', 'shared 0', 'shared 1']],
    ]);
    for (const g of gates) for (const row of g.weights) close([row.reduce((a, b) => a + b, 0)], [1], `${g.layer} gate row`);
    // The cross-stitch unit's 2 x 2 alphas are the sharing itself: shared, not a column owner's (core/params.ts).
    assert.deepEqual(done.summary.parameters.perTask, { y0: 55, y1: 135, y2: 139 });
    const runDir = onlyRun(runsDir, 'sharing-blocks');
    const diagram = runData(runDir);
    assert.deepEqual(diagram.gates, gates);
    assert.ok(diagram.weights?.layers.some((l) => l.layer === 'ple' && l.weights.some((w) => w.name === 'ple/l1_gates')), 'block weights readable by the diagram');
    const saved = await tf.loadLayersModel(`file://${path.join(runDir, 'model', 'model.json')}`);
    assert.equal(saved.countParams(), 575);
    saved.dispose();
  });
});

describe('soft parameter sharing in training', () => {
  /** ||W_0 - W_1|| of the trained columns of a two-column parallelDense, trained with `tieL2`. */
  async function columnDistance(tieL2: number, weighting: Record<string, unknown> = { method: 'equal' }): Promise<number> {
    const runsDir = tempDir('tie');
    const doc = {
      name: 'tie', data: { source: { type: 'synthetic-correlated', correlation: 0.2, inputDim: 8, samples: 400, seed: 1 }, split: { validation: 0.1, test: 0.1, seed: 1 } },
      tasks: [{ id: 'a', kind: 'regression', target: 'y1' }, { id: 'b', kind: 'regression', target: 'y2' }],
      model: {
        inputs: [{ id: 'x', shape: [8] }],
        layers: [
          { id: 'cols', type: 'parallelDense', columns: 2, units: 4, activation: 'tanh', tieL2, from: ['x'] },
          { id: 'ca', type: 'select', index: 0, from: ['cols'] }, { id: 'outA', type: 'dense', units: 1, from: ['ca'] },
          { id: 'cb', type: 'select', index: 1, from: ['cols'] }, { id: 'outB', type: 'dense', units: 1, from: ['cb'] },
        ],
        outputs: { a: 'outA', b: 'outB' },
      },
      training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 4, batchSize: 16, seed: 3, weighting },
      evaluation: { baselines: 'none' },
    };
    const outcome = await runExperiment({ doc, workspaceDir: runsDir, runsDir, backend: 'tensorflow', emit: () => undefined, cancelled: () => false });
    assert.equal(outcome, 'completed');
    const kernel = readLayersModel(path.join(onlyRun(runsDir, 'tie'), 'model', 'model.json')).find((w) => w.name === 'cols/kernel')!;
    const half = kernel.values.length / 2;
    return Math.sqrt(kernel.values.slice(0, half).reduce((s, v, i) => s + (v - kernel.values[half + i]!) ** 2, 0));
  }

  it('tieL2 pulls the columns\' kernels together (Duong et al. 2015); 0 leaves them apart', { timeout: 120_000 }, async () => {
    const free = await columnDistance(0), tied = await columnDistance(10);
    assert.ok(free > 0.5, `independent columns differ (${free})`);
    assert.ok(tied < 0.1 * free, `tied columns nearly equal (${tied} vs ${free})`);
    // A gradient method's step (combining the tasks' gradients) adds the penalty's gradient too.
    const gradnorm = await columnDistance(10, { method: 'gradnorm' });
    assert.ok(gradnorm < 0.1 * free, `tied under GradNorm (${gradnorm} vs ${free})`);
  });
});
