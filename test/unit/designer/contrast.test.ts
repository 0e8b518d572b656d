// The harness's contrast maths (harness/contrast.ts), the same function the pages run, against
// WCAG 2 ratios worked by hand: L = 0.2126 R + 0.7152 G + 0.0722 B of the linearised channels
// (c = v / 255; c / 12.92 up to 0.03928, else ((c + 0.055) / 1.055) ^ 2.4), ratio (L1 + 0.05) / (L2 + 0.05).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installContrast } from './harness/contrast';

const { parse, over, luminance, ratio } = installContrast();
const near = (actual: number, expected: number, tolerance: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual}, expected ${expected} ± ${tolerance}`);
const grey = (v: number): number[] => [v, v, v, 1];

test('black on white is 21:1 either way round', () => {
  // L(white) = 1 (c = 1: (1.055 / 1.055) ^ 2.4), L(black) = 0: (1 + 0.05) / (0 + 0.05) = 21.
  near(luminance(grey(255)), 1, 1e-5, 'L(#ffffff)');
  near(luminance(grey(0)), 0, 1e-5, 'L(#000000)');
  near(ratio(grey(0), grey(255)), 21, 1e-2, 'black on white');
  near(ratio(grey(255), grey(0)), 21, 1e-2, 'white on black');
});

test('#777777 on white is 4.48:1, just under AA\'s 4.5', () => {
  // c = 119 / 255 = 0.466667; (0.466667 + 0.055) / 1.055 = 0.494471; ^ 2.4 = 0.184475 (all three channels).
  near(luminance(parse('#777777')!), 0.184475, 1e-5, 'L(#777777)');
  // (1 + 0.05) / (0.184475 + 0.05) = 1.05 / 0.234475 = 4.478.
  near(ratio(parse('#777777')!, parse('rgb(255, 255, 255)')!), 4.478, 1e-2, '#777 on #fff');
});

test('a 50 % black on white is blended first: the grey it paints, 3.98:1', () => {
  // over: 0 * 0.5 + 255 * (1 - 0.5) = 127.5 in each channel, opaque.
  assert.deepEqual(over(parse('rgba(0, 0, 0, 0.5)')!, grey(255)), [127.5, 127.5, 127.5, 1]);
  // c = 0.5; (0.5 + 0.055) / 1.055 = 0.526066; ^ 2.4 = 0.214041; 1.05 / 0.264041 = 3.977.
  near(ratio(parse('rgba(0, 0, 0, 0.5)')!, grey(255)), 3.977, 1e-2, '50 % black on white');
});

test('each channel weighs as WCAG says, and the dark end is linear', () => {
  // Pure red: L = 0.2126; on white 1.05 / 0.2626 = 3.998. Pure green: L = 0.7152; on black 0.7652 / 0.05 = 15.304.
  near(ratio(parse('#ff0000')!, grey(255)), 3.998, 1e-2, 'red on white');
  near(ratio(parse('rgb(0 255 0)')!, grey(0)), 15.304, 1e-2, 'green on black');
  // #0a0a0a: c = 10 / 255 = 0.039216 <= 0.03928, so L = 0.039216 / 12.92 = 0.003035; on black 0.053035 / 0.05 = 1.061.
  near(luminance(grey(10)), 0.003035, 1e-5, 'L(#0a0a0a)');
  near(ratio(grey(10), grey(0)), 1.061, 1e-2, '#0a0a0a on black');
});

test('the harness\'s own negative checks: their ratios as their comments state them', () => {
  // #555555: c = 85 / 255 = 0.333333; 0.388333 / 1.055 = 0.368088; ^ 2.4 = 0.090842.
  // #3b3b3b: c = 59 / 255 = 0.231373; 0.286373 / 1.055 = 0.271443; ^ 2.4 = 0.043735.
  // #1f1f1f: c = 31 / 255 = 0.121569; 0.176569 / 1.055 = 0.167364; ^ 2.4 = 0.013702.
  near(luminance(grey(85)), 0.090842, 1e-5, 'L(#555555)');
  near(luminance(grey(59)), 0.043735, 1e-5, 'L(#3b3b3b)');
  near(luminance(grey(31)), 0.013702, 1e-5, 'L(#1f1f1f)');
  // Light Modern's text on a #555555 tint (diagram): 0.140842 / 0.093735 = 1.503.
  near(ratio(parse('#3b3b3b')!, parse('#555555')!), 1.503, 1e-2, '#3b3b3b on #555555');
  // A #555555 fill on Dark Modern's editor (study, training): 0.140842 / 0.063702 = 2.211.
  near(ratio(parse('#555555')!, parse('#1f1f1f')!), 2.211, 1e-2, '#555555 on #1f1f1f');
});

test('colours as Chromium computes them are read; what has no plain colour is not', () => {
  assert.deepEqual(parse('rgba(0, 120, 212, 0.25)'), [0, 120, 212, 0.25]);
  assert.deepEqual(parse('rgb(204 204 204 / 0.5)'), [204, 204, 204, 0.5]);
  // color-mix() computes to color(srgb r g b / a) with channels in 0-1.
  assert.deepEqual(parse('color(srgb 1 0.5 0 / 0.4)'), [255, 127.5, 0, 0.4]);
  assert.deepEqual(parse('#3B3B3B'), [59, 59, 59, 1]);
  assert.equal(parse('none'), undefined);
  assert.equal(parse('url("#units-digit")'), undefined);
  assert.equal(parse('oklch(0.5 0.1 120)'), undefined);
});
