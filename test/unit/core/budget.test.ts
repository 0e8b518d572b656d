// The memory estimate worked out by hand on small specs, and the refusals past a budget:
// located at the setting that makes the experiment big, with the figures in the message.
// The findings: `units: 1e7` grew past 14 GB, conv `filters: 1e6` ended in SIGSEGV, synthetic
// `inputDim: 1e9` aborted V8; each is now refused by validation before any work.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBudget, describeEstimate, estimateDocument, estimateMemory, formatBytes, memoryBudget, parseMemorySize, type MemoryBudget } from '../../../src/core/budget';
import type { ExperimentSpec } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import { formatPath } from '../../../src/core/wording';
import { digitsParity } from './fixtures';

const GB = 1024 ** 3;
const budget = (bytes: number): MemoryBudget => ({ bytes, source: 'half this machine\'s 16 GB', raise: 'multiTaskStudio.maxMemory' });

/** x [4] -> h dense 3 -> y dense 1 (regression), adam, batch 8, 100 synthetic examples of 4 features. */
function tiny(): ExperimentSpec {
  return {
    name: 'tiny',
    data: { source: { type: 'synthetic-correlated', samples: 100, inputDim: 4, correlation: 0.5 }, split: { validation: 0.1, test: 0.1, seed: 1 } },
    tasks: [{ id: 'y1', kind: 'regression', target: 'y1' }],
    model: {
      inputs: [{ id: 'x', shape: [4] }],
      layers: [
        { id: 'h', type: 'dense', units: 3, from: ['x'] },
        { id: 'y', type: 'dense', units: 1, from: ['h'] },
      ],
      outputs: { y1: 'y' },
    },
    training: { optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 8, seed: 1 },
  };
}

test('a tiny regression model, worked out by hand', () => {
  const e = estimateMemory(tiny());
  // Parameters: h 4·3+3 = 15, y 3·1+1 = 4: 19. Per parameter: weight, gradient, Adam's two moments and
  // 8 temporaries of its update = 12 floats: 19 · 4 bytes · 12 = 912.
  assert.equal(e.parameters.count, 19);
  assert.equal(e.parameters.optimizerSlots, 2);
  assert.equal(e.parameters.floatsPerParameter, 12);
  assert.equal(e.parameters.bytes, 912);
  // Per example: x 4, h 3 twice (product, bias added), y 1 twice: 12 values. Training: 8 examples · 12 ·
  // 4 bytes · 2 (kept + gradient) = 768; evaluation: all 100 examples at once (fewer than 2,048) · 12 · 4 = 4,800.
  assert.equal(e.activations.perExample, 12);
  assert.equal(e.activations.batchSize, 8);
  assert.equal(e.activations.bytes, 4800);
  assert.equal(e.activations.evaluationBatch, 100);
  assert.deepEqual(e.activations.path, ['model', 'layers', 0, 'units'], 'the widest layer, h');
  // Data: 100 rows · (4 features · 2 copies + target 1 + its device copy 1) · 4 bytes = 4,000.
  assert.equal(e.data.rows, 100);
  assert.equal(e.data.features, 4);
  assert.equal(e.data.bytes, 4000);
  assert.deepEqual(e.data.path, ['data', 'source', 'samples']);
  assert.equal(e.total, 912 + 4800 + 4000);
  assert.equal(e.complete, true);
});

test('a softmax head with plain SGD and a row count from the caller, worked out by hand', () => {
  const spec: ExperimentSpec = {
    ...tiny(),
    data: { source: { type: 'csv', path: 'd.csv' }, split: { validation: 0, test: 0, seed: 1 } },
    tasks: [{ id: 'c', kind: 'multiclass', target: 'c', classes: 3 }],
    model: { inputs: [{ id: 'x', shape: [2] }], layers: [{ id: 'out', type: 'dense', units: 3, activation: 'softmax', from: ['x'] }], outputs: { c: 'out' } },
    training: { optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 1, batchSize: 4, seed: 1 },
  };
  // Without rows, a CSV's data is not counted and evaluation is assumed at 2,048 examples.
  const unknown = estimateMemory(spec);
  assert.equal(unknown.data.rows, undefined);
  assert.equal(unknown.data.bytes, 0);
  assert.equal(unknown.activations.bytes, 2048 * 11 * 4);
  assert.match(describeEstimate(unknown), /data not counted/);

  const e = estimateMemory(spec, { rows: 10 });
  // Parameters 2·3+3 = 9; SGD keeps no state, its update makes 2 temporaries: 9 · 4 · 4 = 144.
  assert.equal(e.parameters.bytes, 144);
  // Per example x 2 + out 3 three times (product, bias, softmax) = 11. Training 4 · 11 · 4 · 2 = 352;
  // evaluation 10 · 11 · 4 = 440.
  assert.equal(e.activations.bytes, 440);
  // Data: 10 · (2 · 2 + class index 1 + one-hot row 3) · 4 = 320.
  assert.equal(e.data.bytes, 320);
  assert.equal(e.total, 904);
  assert.equal(describeEstimate(e), '~ 904 bytes at batch 4');
});

test('the digits-parity example: about 1.7 MB of parameters and state, 11 MB of activations, 60 MB of data', () => {
  const spec = digitsParity();
  const e = estimateMemory(spec, { rows: 10_000 });
  // 109,451 parameters, SGD without momentum: 4 floats each.
  assert.equal(e.parameters.bytes, 109_451 * 16);
  // Per example 784 + 3 · (128 + 64 + 10 + 1) = 1,393 values (every dense layer has a bias and an
  // activation); evaluation at 2,048 examples outweighs a batch of 32.
  assert.equal(e.activations.bytes, 2048 * 1393 * 4);
  // 10,000 · (784 · 2 + digit 1 + 10 one-hot + parity 1 + 1) · 4.
  assert.equal(e.data.bytes, 10_000 * (784 * 2 + 11 + 2) * 4);
  assert.equal(describeEstimate(e), '~ 73 MB at batch 32');
});

test('units: 1e6 after 784 inputs is refused at that layer\'s units with the estimate and the budget', () => {
  const spec = digitsParity();
  spec.model.layers[0] = { id: 'trunk1', type: 'dense', units: 1_000_000, activation: 'relu', from: ['image'] };
  spec.training.optimizer = { type: 'adam', learningRate: 0.001 };
  const problems = checkBudget(spec, budget(8 * GB));
  assert.equal(problems.length, 1);
  const p = problems[0]!;
  assert.equal(formatPath(p.path), 'model.layers[0].units');
  // 784·1e6 + 1e6 + 1e6·64 + 64 + 650 + 65 parameters, 12 floats each with Adam: 38 GB; evaluating 2,048
  // examples holds 2,048 · (784 + 3 · 1,000,075) values: 23 GB.
  assert.match(p.message, /^Training needs about 61 GB for parameters, gradients and optimizer state 38 GB \(849,000,779 parameters\), activations 23 GB \(evaluation batches of 2,048\);/);
  assert.match(p.message, /the budget is 8 GB \(half this machine's 16 GB\)\. Lower units of layer "trunk1" \(at model\.layers\[0\]\.units\), or raise multiTaskStudio\.maxMemory\./);
  // Through validation: the same problem, and no spec.
  const v = validate(spec, { budget: budget(8 * GB) });
  assert.equal(v.spec, undefined);
  assert.deepEqual(v.problems.map((x) => formatPath(x.path)), ['model.layers[0].units']);
  // Within a larger budget it passes.
  assert.ok(validate(spec, { budget: budget(64 * GB) }).spec);
  assert.equal(validate(spec, { budget: budget(60 * GB) }).spec, undefined);
});

test('the findings past the schema\'s bounds are refused structurally, at their paths, before any estimate', () => {
  const units = digitsParity() as unknown as Record<string, any>;
  units.model.layers[0].units = 1e7;
  const filters = conv(1e6);
  const inputDim = tiny() as unknown as Record<string, any>;
  inputDim.data.source.inputDim = 1e9;
  const batch = digitsParity() as unknown as Record<string, any>;
  batch.training.batchSize = 1e7;
  for (const [doc, path, expected] of [
    [units, 'model.layers[0].units', /≤ 1000000, got 10000000/],
    [filters, 'model.layers[0].filters', /≤ 100000, got 1000000/],
    [inputDim, 'data.source.inputDim', /≤ 1000000, got 1000000000/],
    [batch, 'training.batchSize', /≤ 1000000, got 10000000/],
  ] as const) {
    const v = validate(doc, { budget: budget(8 * GB) });
    const errors = v.problems.filter((p) => p.severity === 'error');
    assert.deepEqual(errors.map((p) => formatPath(p.path)), [path]);
    assert.match(errors[0]!.message, expected);
  }
});

test('non-finite numbers (1e999 in JSON is Infinity) are refused at their paths', () => {
  const doc = JSON.parse(JSON.stringify(digitsParity()).replace('"units":128', '"units":1e999').replace('"learningRate":0.01', '"learningRate":-1e999')) as Record<string, any>;
  assert.equal(doc.model.layers[0].units, Infinity);
  const errors = validate(doc, { budget: budget(8 * GB) }).problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map((p) => formatPath(p.path)), ['model.layers[0].units', 'training.optimizer.learningRate']);
  assert.match(errors[0]!.message, /must be an integer ≥ 1 and ≤ 1000000, got Infinity/);
});

function conv(filters: number): ExperimentSpec {
  const spec = digitsParity();
  spec.model.inputs = [{ id: 'image', shape: [28, 28, 1] }];
  spec.model.layers = [
    { id: 'conv', type: 'conv2d', filters, kernelSize: 3, activation: 'relu', from: ['image'] },
    { id: 'flat', type: 'flatten', from: ['conv'] },
    { id: 'digitHead', type: 'dense', units: 10, activation: 'softmax', from: ['flat'] },
    { id: 'parityHead', type: 'dense', units: 1, activation: 'sigmoid', from: ['flat'] },
  ];
  return spec;
}

test('conv filters at the bound: the activations are refused at the conv layer\'s filters', () => {
  const problems = checkBudget(conv(100_000), budget(8 * GB));
  assert.equal(problems.length, 1);
  // The flattened 26·26·100,000 values feed two heads: the parameters (1.1 GB) are dwarfed by the activations.
  assert.equal(formatPath(problems[0]!.path), 'model.layers[0].filters');
  // Evaluating 2,048 examples at once sets the figure, so a smaller training batch would not help.
  assert.match(problems[0]!.message, /activations 2 TB \(evaluation batches of 2,048\).*Lower filters of layer "conv" \(at/);
  const small = conv(100_000);
  small.data.source = { type: 'mnist', limit: 64 };
  assert.match(checkBudget(small, budget(8 * GB))[0]!.message, /activations at batch 32 \d+ GB.*Lower filters of layer "conv" or training\.batchSize/);
  assert.deepEqual(checkBudget(conv(16), budget(8 * GB)), []);
});

test('a huge batch is refused at training.batchSize, synthetic data at its inputDim', () => {
  const spec = tiny();
  spec.data.source = { type: 'synthetic-correlated', samples: 1_000_000, correlation: 0.5, inputDim: 100 };
  spec.model.inputs = [{ id: 'x', shape: [100] }];
  spec.model.layers[0] = { id: 'h', type: 'dense', units: 4096, from: ['x'] };
  spec.training.batchSize = 1_000_000;
  const [batch] = checkBudget(spec, budget(8 * GB));
  assert.equal(formatPath(batch!.path), 'training.batchSize');
  // 1e6 · (100 + 2 · 4,096 + 2 · 1) values · 4 bytes · 2.
  assert.match(batch!.message, /activations at batch 1,000,000 62 GB/);

  // An input of 50 million values: evaluating 2,048 examples of it is what does not fit.
  const huge = tiny();
  huge.data.source = { type: 'csv', path: 'd.csv' };
  huge.model.inputs = [{ id: 'x', shape: [50_000_000] }];
  const [input] = checkBudget(huge, budget(8 * GB));
  assert.equal(formatPath(input!.path), 'model.inputs[0].shape');
  assert.match(input!.message, /activations 381 GB \(evaluation batches of 2,048\).*Lower the shape of input "x"/);

  const wide = tiny();
  wide.data.source = { type: 'synthetic-correlated', samples: 20_000, correlation: 0.5, inputDim: 1_000_000 };
  wide.model.inputs = [{ id: 'x', shape: [1_000_000] }];
  wide.model.layers[0] = { id: 'h', type: 'dense', units: 1, from: ['x'] };
  const [data] = checkBudget(wide, budget(8 * GB));
  assert.equal(formatPath(data!.path), 'data.source.inputDim');
  // A data preview builds no model: it compares the data alone.
  const [preview] = checkBudget(wide, budget(8 * GB), {}, 'data');
  assert.match(preview!.message, /^The data needs about 149 GB for 20,000 examples of 1,000,000 values; the budget is 8 GB/);
});

test('the budget: the user\'s setting, else half the machine\'s memory; sizes as people write them', () => {
  assert.deepEqual(memoryBudget(undefined, 16 * GB, '--max-memory'), { bytes: 8 * GB, source: 'half this machine\'s 16 GB', raise: '--max-memory' });
  assert.deepEqual(memoryBudget(2 * GB, 16 * GB, '--max-memory'), { bytes: 2 * GB, source: '--max-memory 2 GB', raise: '--max-memory' });
  assert.equal(parseMemorySize('8GB'), 8 * GB);
  assert.equal(parseMemorySize('8 gb'), 8 * GB);
  assert.equal(parseMemorySize('1.5G'), 1.5 * GB);
  assert.equal(parseMemorySize('512MB'), 512 * 1024 ** 2);
  assert.equal(parseMemorySize('512'), 512 * 1024 ** 2, 'a bare number is megabytes');
  assert.equal(parseMemorySize(512), 512 * 1024 ** 2);
  for (const bad of ['', 'lots', '-1GB', '0', 'Infinity', Number.NaN, 0]) assert.equal(parseMemorySize(bad), undefined, String(bad));
  assert.equal(formatBytes(512), '512 bytes');
  assert.equal(formatBytes(1.5 * 1024 ** 2), '1.5 MB');
  assert.equal(formatBytes(38.4 * GB), '38 GB');
});

test('the designer estimates a document still being typed, and none without a batch size', () => {
  const doc = digitsParity() as unknown as Record<string, any>;
  doc.training.optimizer = { type: 'sg' };
  doc.data.source = { type: 'mnist', limit: 'many' };
  doc.tasks.push(null);
  const e = estimateDocument(doc, digitsParity().model);
  assert.ok(e);
  assert.equal(e.parameters.optimizerSlots, 0);
  assert.equal(e.data.rows, undefined);
  assert.equal(describeEstimate(e), `~ ${formatBytes(e.total)} at batch 32 (data not counted)`);
  doc.training.batchSize = 'x';
  assert.equal(estimateDocument(doc, digitsParity().model), undefined);
});

test('an LSTM keeps its gates at every time step, a mixture block every expert and gate: worked out by hand', () => {
  const lstm: ExperimentSpec = {
    ...tiny(),
    model: {
      inputs: [{ id: 'x', shape: [10, 8] }],
      layers: [{ id: 'rnn', type: 'lstm', units: 16, from: ['x'] }, { id: 'y', type: 'dense', units: 1, from: ['rnn'] }],
      outputs: { y1: 'y' },
    },
  };
  // x 80; the LSTM returns 16 values but keeps about 20 per unit per step over 10 steps: 3,200; y 1 twice.
  assert.equal(estimateMemory(lstm).activations.perExample, 80 + 3200 + 2);

  const mmoe: ExperimentSpec = {
    ...tiny(),
    tasks: [{ id: 'y1', kind: 'regression', target: 'y1' }, { id: 'y2', kind: 'regression', target: 'y2' }],
    model: {
      inputs: [{ id: 'x', shape: [4] }],
      layers: [
        { id: 'moe', type: 'mmoe', experts: 3, units: 8, tasks: 2, from: ['x'] },
        { id: 's1', type: 'select', index: 0, from: ['moe'] }, { id: 's2', type: 'select', index: 1, from: ['moe'] },
        { id: 'y', type: 'dense', units: 1, from: ['s1'] }, { id: 'z', type: 'dense', units: 1, from: ['s2'] },
      ],
      outputs: { y1: 'y', y2: 'z' },
    },
  };
  // MMoE: 3 experts x 8 units x 3 (product, bias, ReLU) = 72; 2 gates x 3 experts x (logits, bias,
  // softmax + 8 weighted values) = 66; the 2 x 8 sums = 16: 154. x 4, the selects 8 each, the heads 2 each.
  assert.equal(estimateMemory(mmoe).activations.perExample, 4 + 154 + 16 + 4);
});
