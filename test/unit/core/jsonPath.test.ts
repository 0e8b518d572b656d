import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineColumnAt, locateJsonPath } from '../../../src/core/jsonPath';
import { validate } from '../../../src/core/validate';
import { digitsParity } from './fixtures';

const text = JSON.stringify(digitsParity(), null, 2);
const slice = (t: string, r: { start: number; end: number }) => t.slice(r.start, r.end);

describe('locating a JSON path in the document text', () => {
  it('finds values of every kind: number, string, array, object, array element', () => {
    const units = locateJsonPath(text, ['model', 'layers', 1, 'units'])!;
    assert.equal(slice(text, units.value), '64');
    assert.equal(slice(text, units.key!), '"units"');
    assert.equal(units.exact, true);
    assert.equal(slice(text, locateJsonPath(text, ['model', 'layers', 3, 'from', 0])!.value), '"trunk2"');
    assert.equal(slice(text, locateJsonPath(text, ['model', 'inputs', 0, 'shape'])!.value).replace(/\s/g, ''), '[784]');
    assert.deepEqual(JSON.parse(slice(text, locateJsonPath(text, ['training', 'optimizer'])!.value)), { type: 'sgd', learningRate: 0.01 });
    assert.equal(slice(text, locateJsonPath(text, ['data', 'preprocess', 0, 'factor'])!.value), '0.00392156862745098');
    assert.deepEqual(locateJsonPath(text, [])!.value, { start: 0, end: text.length });
  });

  it('does not care about whitespace, comments or trailing commas', () => {
    const messy = '\uFEFF // experiment\n{ "a" :\t{"b":[ 1 ,\n /* two */ 2,\r\n {"c" : "x\\"y"} , ] , } }';
    assert.equal(slice(messy, locateJsonPath(messy, ['a', 'b', 1])!.value), '2');
    assert.equal(slice(messy, locateJsonPath(messy, ['a', 'b', 2, 'c'])!.value), '"x\\"y"');
  });

  it('falls back to the deepest existing part of the path, e.g. the layer missing a property', () => {
    const loc = locateJsonPath(text, ['model', 'layers', 2, 'units2'])!;
    assert.equal(loc.exact, false);
    assert.equal(loc.depth, 3);
    assert.equal(JSON.parse(slice(text, loc.value)).id, 'digitHead');
    assert.equal(locateJsonPath(text, ['model', 'layers', 9])!.depth, 2);
    assert.equal(locateJsonPath(text, ['name', 'x'])!.depth, 1); // a path into a string stops at the string
    assert.equal(locateJsonPath('   ', ['a']), undefined);
  });

  it('resolves duplicate keys to the last one, as JSON.parse does', () => {
    const dup = '{"a": 1, "a": 22}';
    assert.equal(slice(dup, locateJsonPath(dup, ['a'])!.value), '22');
  });

  it('still finds what comes before a half-typed tail', () => {
    const broken = '{"name": "x", "model": {"layers": [{"id": "d", "units": 5}, {"id": "e", "uni';
    assert.equal(slice(broken, locateJsonPath(broken, ['model', 'layers', 0, 'units'])!.value), '5');
    const partial = locateJsonPath(broken, ['model', 'layers', 1, 'units'])!;
    assert.equal(partial.exact, false);
    assert.equal(partial.depth, 3);
  });

  it('places every validation problem of a document on the value it is about', () => {
    const doc = digitsParity() as any;
    doc.model.layers[0].units = 'many';
    doc.model.layers[2].from = ['trunk9'];
    const source = JSON.stringify(doc, null, 2);
    const { problems } = validate(JSON.parse(source));
    assert.equal(problems.length, 2);
    const found = problems.map((p) => slice(source, locateJsonPath(source, p.path)!.value));
    assert.deepEqual(found, ['"many"', '"trunk9"']);
    const { line, column } = lineColumnAt(source, locateJsonPath(source, problems[1]!.path)!.value.start);
    assert.equal(source.split('\n')[line]!.slice(column), '"trunk9"');
  });
});
