// The designer's side panels as the host reads them back from workspaceState: whatever was
// stored (nothing yet, an older shape, a hand-edited value), a panel is hidden only when the
// stored value says so, never lost to a bad value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PANELS, panelsOf } from '../../../src/core/designerProtocol';

describe('designer panels from a stored value', () => {
  it('nothing stored: both panels shown', () => {
    assert.deepEqual(panelsOf(undefined), DEFAULT_PANELS);
    assert.deepEqual(DEFAULT_PANELS, { palette: true, inspector: true });
  });
  it('keeps what was stored', () => {
    assert.deepEqual(panelsOf({ palette: false, inspector: true }), { palette: false, inspector: true });
    assert.deepEqual(panelsOf({ palette: true, inspector: false }), { palette: true, inspector: false });
  });
  it('a flag missing or not false shows its panel; other shapes read as nothing stored', () => {
    assert.deepEqual(panelsOf({ palette: false }), { palette: false, inspector: true });
    assert.deepEqual(panelsOf({ palette: 'no', inspector: 0 }), { palette: true, inspector: true });
    assert.deepEqual(panelsOf('collapsed'), DEFAULT_PANELS);
    assert.deepEqual(panelsOf(null), DEFAULT_PANELS);
  });
});
