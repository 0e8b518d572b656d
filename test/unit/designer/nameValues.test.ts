import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nameValuesText, parseNameValues } from '../../../webview/designer/nameValues';

describe('a names-to-values field (numpy targets)', () => {
  it('shows a map as "name = value" pairs and reads them back', () => {
    const text = nameValuesText({ label: 'y', size: 'z.npy' });
    assert.equal(text, 'label = y, size = z.npy');
    assert.deepEqual(parseNameValues(text, true), { ok: true, value: { label: 'y', size: 'z.npy' } });
  });

  it('refuses a pair without a name or a value; empty is "Required." only when required', () => {
    assert.equal(parseNameValues('label', true).ok, false);
    assert.equal(parseNameValues('= y', true).ok, false);
    assert.deepEqual(parseNameValues(' ', true), { ok: false, message: 'Required.' });
    assert.deepEqual(parseNameValues('', false), { ok: true, value: undefined });
  });
});
