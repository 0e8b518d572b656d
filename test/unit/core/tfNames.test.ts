import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { idsOfTfNames, tfNames } from '../../../src/core/tfNames';

const model = (ids: string[]) => ({ inputs: [{ id: ids[0]!, shape: [1] }], layers: ids.slice(1).map((id) => ({ id, type: 'flatten' as const, from: [] })) });
const TF_NAME = /^[A-Za-z0-9.][A-Za-z0-9_.-]*$/;

describe('TensorFlow names of ids', () => {
  it('keeps ids that are valid names, so ordinary models save as before', () => {
    assert.deepEqual([...tfNames(model(['image', 'trunk1', 'head.2', 'x-y'])).values()], ['image', 'trunk1', 'head.2', 'x-y']);
  });

  it('gives any other id a valid, unique name, even beside ids that look like the escaped form', () => {
    const ids = ['x y', 'x_y', 'x_y_1', '🔥', 'ünï', '_a', 'a/b', '', ' '];
    const names = tfNames(model(ids));
    assert.equal(new Set(names.values()).size, ids.length);
    for (const [id, name] of names) assert.match(name, TF_NAME, JSON.stringify(id));
    assert.equal(names.get('x_y'), 'x_y');
    assert.equal(names.get('x_y_1'), 'x_y_1');
    assert.equal(names.get('x y'), 'x_y_2');
    const back = idsOfTfNames(model(ids));
    for (const id of ids) assert.equal(back.get(names.get(id)!), id);
  });
});
