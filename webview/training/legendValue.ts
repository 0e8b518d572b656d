// A value in a chart's legend. Three significant digits (formatMetric) read well for a loss
// or an accuracy, but a curve that moves in its third decimal lost its motion there: PCGrad's
// task weights drawn between 1.00 and 1.03 showed "task1: 1" beside an axis of 1.01, 1.02.
// When the curve's visible span is small next to the value, the legend keeps two digits more
// than the span's first.
import { formatMetric } from '../../src/core/runsIndex';

export function legendValue(value: number, span: number | undefined): string {
  const abs = Math.abs(value);
  if (!Number.isFinite(value) || span === undefined || !(span > 0) || abs < 0.001 || abs >= 1e6 || span * 20 > abs) return formatMetric(value);
  const decimals = Math.min(6, Math.ceil(-Math.log10(span)) + 2);
  return value.toFixed(decimals).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
}
