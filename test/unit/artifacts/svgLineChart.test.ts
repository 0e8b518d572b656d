import assert from 'node:assert/strict';
import { test } from 'node:test';
import { niceTicks, wholeNumberTicks } from '../../../src/core/chartTicks';
import { lineChartSvg } from '../../../src/trainer/artifacts/svgLineChart';

test('ticks are round values and zero is exactly 0 (a running sum of steps gave 6.939e-18)', () => {
  const ticks = niceTicks(-0.055, 0.012);
  assert.deepEqual(ticks, [-0.06, -0.04, -0.02, 0, 0.02]);
  assert.ok(Object.is(ticks[3], 0), 'not -0');
  assert.deepEqual(niceTicks(0, 1), [0, 0.5, 1]);
  assert.deepEqual(niceTicks(0.3, 0.3), [0.26, 0.28, 0.3, 0.32, 0.34]);
});

test('an epoch axis has whole-number ticks: a 2-epoch chart reads "1, 2", not "1, 1.2, 1.4 … 2"', () => {
  assert.deepEqual(wholeNumberTicks(1, 2, 6), [1, 2]);
  assert.deepEqual(wholeNumberTicks(1, 1, 6), [1, 2]);
  assert.deepEqual(wholeNumberTicks(1, 4, 6), [1, 2, 3, 4]);
  assert.deepEqual(wholeNumberTicks(1, 30, 6), niceTicks(1, 30, 6)); // step 5: already whole
  const xTickLabels = (svg: string): string[] => [...svg.matchAll(/<text [^>]*text-anchor="middle" fill="#555">([^<]*)<\/text>/g)].map((m) => m[1]!);
  const chart = (points: Array<[number, number]>) => lineChartSvg({ title: 't', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', points, color: '#1f77b4' }] });
  assert.deepEqual(xTickLabels(chart([[1, 0.5], [2, 0.4]])), ['1', '2']);
  // Values that are not whole numbers keep niceTicks' fractions.
  assert.deepEqual(xTickLabels(chart([[0.5, 0.5], [1.5, 0.4]])), niceTicks(0.5, 1.5, 6).map(String));
});
