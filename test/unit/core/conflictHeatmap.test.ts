// The training panel's conflict heatmap (core/conflictHeatmap.ts): columns, merged columns,
// the share of conflicting reports, tooltips and the diverging colours, against hand-worked values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cellText, conflictShareText, cosineColor, heatmapLayout, parseColor, type HeatmapPairInput } from '../../../src/core/conflictHeatmap';

const PAIRS: HeatmapPairInput[] = [
  // Step 400 has no direction for digit|parity (NaN: not measured there).
  { a: 'digit', b: 'parity', steps: [0, 200, 400, 600], cosines: [-0.5, 0.25, Number.NaN, 0.5] },
  { a: 'digit', b: 'size', steps: [0, 400], cosines: [0.4, -0.2] },
];

test('one column per report step of any pair; a cell where the pair was measured there; the share counts every report', () => {
  const l = heatmapLayout(PAIRS, 10);
  assert.deepEqual(l.columns, [0, 200, 400, 600].map((s) => ({ from: s, to: s, reports: 1 })));
  assert.deepEqual(l.rows[0]!.cells, [{ value: -0.5, reports: 1 }, { value: 0.25, reports: 1 }, undefined, { value: 0.5, reports: 1 }]);
  assert.deepEqual(l.rows[1]!.cells, [{ value: 0.4, reports: 1 }, undefined, { value: -0.2, reports: 1 }, undefined]);
  assert.deepEqual(l.rows.map((r) => [r.a, r.b, r.measured, r.conflicts]), [['digit', 'parity', 3, 1], ['digit', 'size', 2, 1]]);
  assert.deepEqual(l.rows.map(conflictShareText), ['33 % of 3', '50 % of 2']);
});

test('more reports than columns: runs of ceil(4 / 3) = 2 reports merged by their mean; the share beside a row does not change', () => {
  const l = heatmapLayout(PAIRS, 3);
  assert.deepEqual(l.columns, [{ from: 0, to: 200, reports: 2 }, { from: 400, to: 600, reports: 2 }]);
  // digit|parity: mean(-0.5, 0.25) = -0.125, then 0.5 alone (400 was not measured).
  assert.deepEqual(l.rows[0]!.cells, [{ value: -0.125, reports: 2 }, { value: 0.5, reports: 1 }]);
  assert.deepEqual(l.rows[1]!.cells, [{ value: 0.4, reports: 1 }, { value: -0.2, reports: 1 }]);
  assert.deepEqual(l.rows.map(conflictShareText), ['33 % of 3', '50 % of 2']);
});

test('no report yet: no column, and the rows say "not measured"', () => {
  const l = heatmapLayout([{ a: 'x', b: 'y', steps: [], cosines: [] }], 50);
  assert.deepEqual(l.columns, []);
  assert.equal(conflictShareText(l.rows[0]!), 'not measured');
});

test('a cell\'s tooltip names the pair, the step(s) and the cosine, and says when it is a conflict', () => {
  const one = heatmapLayout(PAIRS, 10);
  assert.equal(cellText(one.rows[0]!, one.columns[0]!, one.rows[0]!.cells[0]), 'digit · parity, step 0: cosine −0.50 (conflict)');
  assert.equal(cellText(one.rows[0]!, one.columns[1]!, one.rows[0]!.cells[1]), 'digit · parity, step 200: cosine 0.25');
  assert.equal(cellText(one.rows[0]!, one.columns[2]!, undefined), 'digit · parity, step 400: not measured');
  const merged = heatmapLayout(PAIRS, 2);
  assert.equal(cellText(merged.rows[0]!, merged.columns[1]!, merged.rows[0]!.cells[1]), 'digit · parity, steps 400–600 (1 of 2 reports): mean cosine 0.50');
});

test('theme colours are read as VS Code gives them', () => {
  assert.deepEqual(parseColor('#f14c4c'), [241, 76, 76]);
  assert.deepEqual(parseColor(' #fff '), [255, 255, 255]);
  assert.deepEqual(parseColor('#3794ff80'), [55, 148, 255]);
  assert.deepEqual(parseColor('rgba(10, 20, 30, 0.5)'), [10, 20, 30]);
  assert.deepEqual(parseColor('rgb(10 20 30)'), [10, 20, 30]);
  assert.equal(parseColor('red'), undefined);
});

test('diverging colours on Dark Modern: neutral = background + 15 % of the foreground, blended by sqrt(|cosine|) to red at -1 and blue at +1', () => {
  const dark = { negative: '#f14c4c', positive: '#3794ff', background: '#1f1f1f', foreground: '#cccccc' };
  // neutral = 31 + (204 − 31) · 0.15 = 56.95 per channel.
  assert.equal(cosineColor(0, dark), '#393939');
  assert.equal(cosineColor(-1, dark), '#f14c4c');
  assert.equal(cosineColor(1, dark), '#3794ff');
  // -0.25: halfway (sqrt 0.25 = 0.5): 56.95 + (241 − 56.95) / 2 = 148.975 → 149 (0x95); 56.95 + (76 − 56.95) / 2 = 66.475 → 66 (0x42).
  assert.equal(cosineColor(-0.25, dark), '#954242');
  // +0.25: 55.975 → 56 (0x38), 102.475 → 102 (0x66), 155.975 → 156 (0x9c).
  assert.equal(cosineColor(0.25, dark), '#38669c');
  // -0.01 is already a tenth of the way to red: 56.95 + 184.05 · 0.1 = 75.355 → 75 (0x4b); 56.95 + 19.05 · 0.1 = 58.855 → 59 (0x3b).
  assert.equal(cosineColor(-0.01, dark), '#4b3b3b');
  assert.equal(cosineColor(2, dark), '#3794ff', 'clamped to +1');
  // Light Modern: 255 + (59 − 255) · 0.15 = 225.6 → 226 (0xe2).
  assert.equal(cosineColor(0, { ...dark, background: '#ffffff', foreground: '#3b3b3b' }), '#e2e2e2');
  // A colour it cannot read: the foreground, never an invisible cell.
  assert.equal(cosineColor(0.3, { ...dark, positive: 'var(--x)' }), '#cccccc');
});
