// The designer's side panels as the host reads them back from workspaceState: whatever was
// stored (nothing yet, an older shape, a hand-edited value), a panel is hidden only when the
// stored value says so, never lost to a bad value.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PANELS, panelsOf } from '../../../src/core/designerProtocol';

describe('designer panels from a stored value', () => {
  it('nothing stored: both panels shown', () => {
    assert.deepEqual(panelsOf(undefined), DEFAULT_PANELS);
    assert.deepEqual(DEFAULT_PANELS, { palette: true, inspector: true, narrowPalette: false, narrowInspector: false });
  });
  it('keeps what was stored', () => {
    assert.deepEqual(panelsOf({ palette: false, inspector: true, narrowPalette: true, narrowInspector: false }), { palette: false, inspector: true, narrowPalette: true, narrowInspector: false });
    assert.deepEqual(panelsOf({ palette: true, inspector: false, narrowPalette: false, narrowInspector: true }), { palette: true, inspector: false, narrowPalette: false, narrowInspector: true });
  });
  it('a wide flag missing or not false shows its panel; a narrow one missing or not true collapses it (an older value has none); other shapes read as nothing stored', () => {
    assert.deepEqual(panelsOf({ palette: false }), { palette: false, inspector: true, narrowPalette: false, narrowInspector: false });
    assert.deepEqual(panelsOf({ palette: 'no', inspector: 0, narrowPalette: 'yes', narrowInspector: 1 }), DEFAULT_PANELS);
    assert.deepEqual(panelsOf('collapsed'), DEFAULT_PANELS);
    assert.deepEqual(panelsOf(null), DEFAULT_PANELS);
  });
});
