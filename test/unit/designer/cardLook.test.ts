// How a framed card is drawn at each zoom (nodes.tsx cardLook) and where a narrow designer's
// "Edit" goes beside a selected card (EditButton.tsx editPlace), worked by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Position } from '@xyflow/react';
import { cardLook } from '../../../webview/designer/nodes';
import { editPlace } from '../../../webview/designer/EditButton';
import { BRIEF_ZOOM, COMPACT_ZOOM, NAME_ZOOM, READABLE_ZOOM } from '../../../webview/designer/viewport';

describe('framed card looks', () => {
  it('each look is the one whose smallest text is 11 px on screen at its lowest zoom', () => {
    // 11 px on screen: 11 / 12 = 0.916667 (whole cards), 11 / 16 = 0.6875 (compact),
    // 11 / 18 = 0.611111 (brief), 11 / 28 = 0.392857 (names).
    assert.ok(Math.abs(READABLE_ZOOM - 0.916667) < 1e-5);
    assert.ok(Math.abs(COMPACT_ZOOM - 0.6875) < 1e-5);
    assert.ok(Math.abs(BRIEF_ZOOM - 0.611111) < 1e-5);
    assert.ok(Math.abs(NAME_ZOOM - 0.392857) < 1e-5);
  });
  it('framed (compact): whole from 0.9167, compact from 0.6875, brief from 0.6111, names from 0.3929, bare to 0.2, far below', () => {
    const at = (zoom: number) => cardLook(zoom, true);
    assert.deepEqual([1, 0.92, 0.91, 0.6875, 0.68, 0.62, 0.61, 0.40, 0.39, 0.2, 0.19].map(at),
      ['full', 'full', 'compact', 'compact', 'brief', 'brief', 'names', 'names', 'bare', 'bare', 'far']);
  });
  it('not framed (the user zoomed out from whole cards): whole cards down to 0.2, far below', () => {
    assert.deepEqual([0.91, 0.5, 0.2, 0.19].map((z) => cardLook(z, false)), ['full', 'full', 'full', 'far']);
  });
});

describe('the selected card\'s "Edit" (inspector collapsed)', () => {
  const canvas = { width: 800, height: 570 };
  it('left to right: above the card from its left end; below where less than 40 px is above; ending at its right end in the right half', () => {
    // Card centres x 150 (left half) and 700 (right half of 800); tops 100 (room) and 10 (no room).
    assert.deepEqual(editPlace({ left: 100, top: 100, right: 200, bottom: 140 }, canvas, 'LR'), { position: Position.Top, align: 'start' });
    assert.deepEqual(editPlace({ left: 650, top: 10, right: 750, bottom: 50 }, canvas, 'LR'), { position: Position.Bottom, align: 'end' });
  });
  it('top to bottom: at the card\'s right in the left half, at its left in the right half; ending at its bottom in the lower half', () => {
    // Centres (150, 120): left, upper half; (700, 500): right, lower half of 570.
    assert.deepEqual(editPlace({ left: 100, top: 100, right: 200, bottom: 140 }, canvas, 'TB'), { position: Position.Right, align: 'start' });
    assert.deepEqual(editPlace({ left: 650, top: 480, right: 750, bottom: 520 }, canvas, 'TB'), { position: Position.Left, align: 'end' });
  });
});
