import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../src/core/random';
import type { Problem } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import { convTwoDigits, digitsParity, mixedInputs } from './fixtures';

/** The fixture as raw JSON, editable without the types getting in the way. */
const raw = (make: () => unknown = digitsParity): Record<string, any> => JSON.parse(JSON.stringify(make()));
const errors = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');
const at = (problems: Problem[], path: (string | number)[]) => problems.find((p) => JSON.stringify(p.path) === JSON.stringify(path));

describe('validate: structure', () => {
  it('accepts the example documents without a single problem', () => {
    for (const make of [digitsParity, convTwoDigits, mixedInputs]) {
      const result = validate(raw(make));
      assert.deepEqual(result.problems, [], make.name);
      assert.ok(result.spec);
    }
  });

  it('rejects a document that is not an object', () => {
    for (const doc of [42, null, [], 'text']) {
      const result = validate(doc);
      assert.equal(result.spec, undefined);
      assert.match(result.problems[0]!.message, /The document must be an object/);
    }
  });

  it('reports a wrong type at its JSON path, naming the layer and what is expected', () => {
    const doc = raw();
    doc.model.layers[0].units = '128';
    const { spec, problems } = validate(doc);
    assert.equal(spec, undefined);
    const p = at(problems, ['model', 'layers', 0, 'units']);
    assert.equal(p?.severity, 'error');
    assert.equal(p?.message, 'Layer "trunk1": "units" must be an integer ≥ 1 and ≤ 1000000, got "128" (a string).');
  });

  it('reports a non-string reference inside "from" at its index', () => {
    const doc = raw();
    doc.model.layers[3].from = [7];
    assert.match(at(validate(doc).problems, ['model', 'layers', 3, 'from', 0])!.message, /Layer "parityHead": item 1 of "from" must be a non-empty string, got 7/);
  });

  it('reports missing required properties with what they are for', () => {
    const doc = raw();
    delete doc.training.epochs;
    delete doc.model.layers[1].units;
    const { problems } = validate(doc);
    assert.match(at(problems, ['training', 'epochs'])!.message, /missing "epochs" in "training": Passes over the training data/);
    assert.match(at(problems, ['model', 'layers', 1, 'units'])!.message, /^Layer "trunk2": missing "units"/);
  });

  it('lists the known layer types for an unknown one and guesses the intended one', () => {
    const doc = raw();
    doc.model.layers[1].type = 'dense2';
    const p = at(validate(doc).problems, ['model', 'layers', 1, 'type'])!;
    assert.match(p.message, /unknown layer type "dense2"\. Did you mean "dense"\?/);
    for (const type of ['dense', 'conv2d', 'maxPooling2d', 'averagePooling2d', 'flatten', 'reshape', 'dropout', 'batchNormalization', 'lstm', 'gru', 'embedding', 'concatenate', 'add']) {
      assert.ok(p.message.includes(type), type);
    }
  });

  it('reports unknown enum values with the accepted ones', () => {
    const doc = raw();
    doc.model.layers[0].activation = 'rleu';
    doc.tasks[0].kind = 'multi-class';
    doc.training.optimizer.type = 'adamw';
    const { problems } = validate(doc);
    assert.match(at(problems, ['model', 'layers', 0, 'activation'])!.message, /must be one of "linear", "relu".*got "rleu"\. Did you mean "relu"\?/);
    assert.match(at(problems, ['tasks', 0, 'kind'])!.message, /Task "digit": "kind" must be one of "multiclass", "binary", "regression"/);
    assert.match(at(problems, ['training', 'optimizer', 'type'])!.message, /unknown optimizer type "adamw".*Known: sgd, adam, rmsprop, adagrad/);
  });

  it('rejects hyperparameters out of range', () => {
    const doc = raw();
    doc.training.optimizer.learningRate = 0;
    doc.training.epochs = 2.5;
    doc.training.batchSize = 0;
    doc.model.layers.splice(1, 0, { id: 'drop', type: 'dropout', rate: 1, from: ['trunk1'] });
    const { problems } = validate(doc);
    assert.match(at(problems, ['training', 'optimizer', 'learningRate'])!.message, /must be a number > 0 and ≤ 1000, got 0/);
    assert.match(at(problems, ['training', 'epochs'])!.message, /must be an integer ≥ 1 and ≤ 100000, got 2.5/);
    assert.match(at(problems, ['training', 'batchSize'])!.message, /must be an integer ≥ 1 and ≤ 1000000, got 0/);
    assert.match(at(problems, ['model', 'layers', 1, 'rate'])!.message, /must be a number ≥ 0 and < 1, got 1/);
  });

  it('accepts a kernel size as a number or a pair, and nothing else', () => {
    const doc = raw(convTwoDigits);
    doc.model.layers[0].kernelSize = [3];
    assert.match(at(validate(doc).problems, ['model', 'layers', 0, 'kernelSize'])!.message, /a positive integer or a pair \[height, width\], got an array/);
  });

  it('warns about unknown properties (likely typos) but still returns the spec', () => {
    const doc = raw();
    doc.model.layers[0].activaton = 'relu';
    doc.$schema = './node_modules/schema.json';
    const { spec, problems } = validate(doc);
    assert.ok(spec);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.severity, 'warning');
    assert.match(problems[0]!.message, /unknown property "activaton" is ignored\. Did you mean "activation"\?/);
  });

  it('refuses a weighting parameter its method does not take, naming the field, the method, its own parameters and the method it belongs to', () => {
    const doc = raw();
    doc.training.weighting = { method: 'dwa', alpha: 1.5 };
    const { spec, problems } = validate(doc);
    assert.equal(spec, undefined);
    assert.equal(problems.length, 1);
    assert.deepEqual(problems[0]!.path, ['training', 'weighting', 'alpha']);
    assert.equal(problems[0]!.severity, 'error');
    assert.equal(problems[0]!.message, '"alpha" is not a parameter of weighting method "dwa" (it belongs to gradnorm): dwa takes temperature. Remove it, or choose the weighting method it belongs to.');
    // A typo of the method's own parameter is named as such; a method without parameters says so.
    doc.training.weighting = { method: 'dwa', temprature: 2 };
    assert.match(validate(doc).problems[0]!.message, /^"temprature" is not a parameter of weighting method "dwa": dwa takes temperature\. Did you mean "temperature"\?/);
    doc.training.weighting = { method: 'equal', temperature: 2 };
    assert.match(validate(doc).problems[0]!.message, /^"temperature" is not a parameter of weighting method "equal" \(it belongs to dwa\): equal takes no parameters\./);
  });

  it('never throws on damaged documents, and never returns a spec with an error', () => {
    const rand = mulberry32(12345);
    const junk = [null, 'x', '', -1, 0, 2.5, true, [], {}, ['image'], { type: 'dense' }];
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] => {
      if (typeof value !== 'object' || value === null) return [prefix];
      const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
      return [prefix, ...entries.flatMap(([k, v]) => paths(v, [...prefix, k]))];
    };
    for (const make of [digitsParity, convTwoDigits, mixedInputs]) {
      const all = paths(raw(make)).filter((p) => p.length > 0);
      for (let trial = 0; trial < 150; trial++) {
        const doc = raw(make);
        for (let edits = 1 + Math.floor(rand() * 3); edits > 0; edits--) {
          const path = all[Math.floor(rand() * all.length)]!;
          let parent: any = doc;
          for (const key of path.slice(0, -1)) parent = parent?.[key];
          if (parent && typeof parent === 'object') parent[path[path.length - 1]!] = junk[Math.floor(rand() * junk.length)];
        }
        const result = validate(doc);
        if (errors(result.problems).length) assert.equal(result.spec, undefined);
        for (const p of result.problems) assert.ok(p.message.length > 10 && Array.isArray(p.path));
      }
    }
  });
});
