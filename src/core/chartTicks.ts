// Round tick values for the axes of SVG charts (the run report's curves, the study report's
// scatter and interval charts).

/** About `count` round tick values covering [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    return niceTicks(min - pad, max + pad, count);
  }
  const rough = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(rough));
  const norm = rough / mag;
  const step = (norm >= 5 ? 10 : norm >= 2 ? 5 : norm >= 1 ? 2 : 1) * mag;
  const ticks: number[] = [];
  // Each tick from its index (k · step), not by adding steps: a sum drifts (−0.04 + 0.02 + 0.02 gave 6.9e-18, not 0).
  const first = Math.floor(min / step);
  const at = (k: number) => Number((k * step).toPrecision(12)) + 0; // + 0: no "-0"
  for (let k = first; at(k) <= max + step * 1e-9; k++) ticks.push(at(k));
  if ((ticks[ticks.length - 1] ?? min) < max) ticks.push(at(first + ticks.length));
  return ticks;
}

/**
 * Ticks for values that are whole numbers (epochs): niceTicks while its step is 1 or more, else
 * every whole number of the range (a 2-epoch chart read "1, 1.2, 1.4 … 2": no epoch 1.2).
 */
export function wholeNumberTicks(min: number, max: number, count = 5): number[] {
  const ticks = niceTicks(min, max, count);
  if (ticks.length >= 2 && ticks[1]! - ticks[0]! >= 1) return ticks;
  const lo = Math.floor(min), hi = Math.max(Math.ceil(max), lo + 1);
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}
