// Validation under hostile input (a campaign of generated bad experiments): names that are
// also Object.prototype's, huge and deep documents, layers TensorFlow would reject. Each
// gives a located problem, never an internal error or a stack overflow.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonSyntaxError, parseTree } from '../../../src/core/jsonScan';
import { JsonIndex, locateJsonPath } from '../../../src/core/jsonPath';
import { MAX_NESTING } from '../../../src/core/nesting';
import { layerParams } from '../../../src/core/params';
import { shortMetricName } from '../../../src/core/runsIndex';
import type { LayerSpec } from '../../../src/core/spec';
import { validate } from '../../../src/core/validate';
import { manyLayers } from '../../fixtures/digitsParity';
import { digitsParity, mixedInputs } from './fixtures';

const PROTO_NAMES = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'];
const errors = (doc: unknown) => validate(doc).problems.filter((p) => p.severity === 'error');
/** Through JSON text, as a document arrives: "__proto__" becomes an own key. */
const parsed = (doc: unknown): any => JSON.parse(JSON.stringify(doc));


describe('names that Object.prototype also has', () => {
  const tags: Array<[string, (d: any, name: string) => void, (string | number)[]]> = [
    ['layer type', (d, n) => { d.model.layers[0].type = n; }, ['model', 'layers', 0, 'type']],
    ['optimizer type', (d, n) => { d.training.optimizer.type = n; }, ['training', 'optimizer', 'type']],
    ['schedule type', (d, n) => { d.training.schedule = { type: n }; }, ['training', 'schedule', 'type']],
    ['weighting method', (d, n) => { d.training.weighting = { method: n }; }, ['training', 'weighting', 'method']],
    ['data source type', (d, n) => { d.data.source = { type: n }; }, ['data', 'source', 'type']],
    ['preprocessing op', (d, n) => { d.data.preprocess = [{ op: n }]; }, ['data', 'preprocess', 0, 'op']],
    ['task kind', (d, n) => { d.tasks[0].kind = n; }, ['tasks', 0, 'kind']],
    ['loss', (d, n) => { d.tasks[0].loss = n; }, ['tasks', 0, 'loss']],
    ['metric', (d, n) => { d.tasks[0].metrics = [n]; }, ['tasks', 0, 'metrics', 0]],
    ['activation', (d, n) => { d.model.layers[0].activation = n; }, ['model', 'layers', 0, 'activation']],
  ];
  for (const [what, set, path] of tags) {
    it(`as a ${what}: an unknown-name problem at ${path.join('.')}`, () => {
      for (const name of PROTO_NAMES) {
        const doc = digitsParity();
        set(doc, name);
        const found = errors(parsed(doc));
        assert.ok(found.some((p) => p.path.join('.') === path.join('.') && p.message.includes(JSON.stringify(name))),
          `${what} ${name}: ${JSON.stringify(found)}`);
      }
    });
  }

  it('as an unknown property: a warning, not a silently accepted setting', () => {
    for (const name of PROTO_NAMES) {
      const doc = parsed(digitsParity());
      Object.defineProperty(doc.training, name, { value: 5, enumerable: true, writable: true, configurable: true });
      const warning = validate(doc).problems.find((p) => p.path.join('.') === `training.${name}`);
      assert.ok(warning && /unknown property/.test(warning.message), name);
    }
  });

  it('as a metric name in a run summary: shown as it is', () => {
    for (const name of PROTO_NAMES) assert.equal(shortMetricName(name), name);
  });

  it('as keys of model.outputs and layout, and as ids of tasks and layers', () => {
    for (const name of PROTO_NAMES) {
      const doc = parsed(digitsParity());
      doc.model.outputs = JSON.parse(`{"${name}": "digitHead", "digit": "digitHead", "parity": "parityHead"}`);
      doc.layout = JSON.parse(`{"${name}": {"x": 1, "y": 2}}`);
      assert.deepEqual(errors(doc).map((p) => p.path.join('.')), [`model.outputs.${name}`], name);
      // Used consistently, such ids are ordinary ids.
      const renamed = parsed(digitsParity());
      renamed.tasks[0].id = name;
      renamed.model.outputs = JSON.parse(`{"${name}": "digitHead", "parity": "parityHead"}`);
      renamed.model.layers[0].id = name;
      renamed.model.layers[1].from = [name];
      assert.deepEqual(errors(renamed), [], name);
    }
  });
});

describe('size and depth', () => {
  it('a chain of 6,000 layers validates (graph analysis is iterative)', () => {
    const v = validate(manyLayers(6000, true));
    assert.ok(v.spec, JSON.stringify(v.problems.slice(0, 2)));
  });

  it('10,000 layers validate, and one index places all 10,000 problems on their values', () => {
    const doc = manyLayers(10_000, false); // every layer but the last feeds nothing: one warning each
    const text = JSON.stringify(doc, null, 2);
    const { problems, spec } = validate(JSON.parse(text));
    assert.ok(spec);
    assert.equal(problems.length, 9_999);
    const index = new JsonIndex(text);
    for (const p of problems.filter((_, i) => i % 997 === 0)) {
      const loc = index.locate(p.path)!;
      assert.deepEqual(loc, locateJsonPath(text, p.path));
      const { line } = index.lineColumn(loc.value.start);
      assert.match(text.split('\n')[line + 1]!, new RegExp(`"id": "${spec.model.layers[p.path[2] as number]!.id}"`));
    }
  });

  it(`a document nested 10,000 deep is refused where it passes ${MAX_NESTING} levels`, () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const doc = JSON.parse(`{"name": "x", "description": ${deep}}`);
    const found = validate(doc).problems;
    assert.equal(found.length, 1);
    assert.deepEqual(found[0]!.path, ['description', ...Array<number>(MAX_NESTING - 1).fill(0)]);
    assert.match(found[0]!.message, /nests deeper than 64 levels/);
    // The text scanners cope too: the locator (iterative) and the strict parser (bounded).
    const text = `{"description": ${deep}, "name": 7}`;
    assert.equal(text.slice(locateJsonPath(text, ['name'])!.value.start).slice(0, 1), '7');
    assert.match(jsonSyntaxError(`${text}}`)!.message, /deeper than 64 levels/);
    assert.throws(() => parseTree(text), /deeper than 64 levels/);
  });
});

describe('layers TensorFlow would reject', () => {
  it('an embedding on a float input: say to set dtype int32, at the layer', () => {
    const doc = mixedInputs() as any;
    delete doc.model.inputs[0].dtype;
    const found = errors(doc);
    assert.deepEqual(found.map((p) => p.path), [['model', 'layers', 0, 'from']]);
    assert.match(found[0]!.message, /input "words" is float32: set "dtype": "int32"/);
  });

  it('an embedding after another layer (float output)', () => {
    const doc = mixedInputs() as any;
    doc.model.layers[0].from = ['num'];
    doc.model.layers.unshift(doc.model.layers.splice(3, 1)[0]); // "num" first, so "embed" is layer 1
    const found = errors(doc);
    assert.deepEqual(found.map((p) => p.path), [['model', 'layers', 1, 'from']]);
    assert.match(found[0]!.message, /reads layer "num" \(dense\), whose output is float/);
  });
});

describe('half-typed layers the designer counts while the user types', () => {
  it('a conv2d kernelSize that is null, an object or a string has an unknown count, not an internal error', () => {
    for (const kernelSize of [null, {}, 'x', [3]]) {
      assert.equal(layerParams({ id: 'c', type: 'conv2d', filters: 8, kernelSize, from: ['x'] } as unknown as LayerSpec, [28, 28, 1]), undefined, JSON.stringify(kernelSize));
    }
    assert.equal(layerParams({ id: 'c', type: 'conv2d', filters: 8, kernelSize: [3, 5], from: ['x'] }, [28, 28, 1]), 3 * 5 * 8 + 8);
  });
});

describe('splits that leave a part empty', () => {
  it('test 0: no test examples means no results, said at data.split.test', () => {
    const doc = digitsParity();
    doc.data.split = { validation: 0, test: 0, seed: 1 };
    assert.deepEqual(errors(doc).map((p) => p.path), [['data', 'split', 'test']]);
    doc.data.split.test = 0.1; // validation 0 is fine when nothing watches it
    assert.deepEqual(errors(doc), []);
  });
});
