// Statistics of trained weights for the diagram panel: per tensor and per layer L2 norms,
// a histogram, and a kernel heatmap averaged down to a size a webview can draw. Pure.
import type { Heatmap, Histogram, LayerWeightStats, WeightDetail, WeightTensorStats } from '../../core/panelProtocol';
import type { WeightTensor } from './weightsFile';

export function tensorStats(t: Pick<WeightTensor, 'name' | 'shape' | 'values'>): WeightTensorStats {
  const v = t.values;
  let sum = 0, sumSq = 0, min = Infinity, max = -Infinity, finite = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (!Number.isFinite(x)) continue;
    finite++;
    sum += x;
    sumSq += x * x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const count = v.length;
  const mean = finite ? sum / finite : 0;
  const variance = finite ? Math.max(0, sumSq / finite - mean * mean) : 0;
  const l2 = Math.sqrt(sumSq);
  return {
    name: t.name, shape: t.shape, count, l2, rms: count ? l2 / Math.sqrt(count) : 0, mean, std: Math.sqrt(variance),
    min: finite ? min : 0, max: finite ? max : 0,
  };
}

/** Layers in the order their weights appear, each with the L2 norm of all its weights together. */
export function layerStats(tensors: WeightTensor[]): LayerWeightStats[] {
  const byLayer = new Map<string, LayerWeightStats>();
  for (const t of tensors) {
    const s = tensorStats(t);
    let layer = byLayer.get(t.layer);
    if (!layer) byLayer.set(t.layer, (layer = { layer: t.layer, l2: 0, count: 0, weights: [] }));
    layer.weights.push(s);
    layer.count += s.count;
    layer.l2 = Math.hypot(layer.l2, s.l2);
  }
  return [...byLayer.values()];
}

export function histogram(values: Float32Array, bins = 40): Histogram {
  let min = Infinity, max = -Infinity;
  for (const x of values) if (Number.isFinite(x)) { if (x < min) min = x; if (x > max) max = x; }
  if (!Number.isFinite(min)) return { min: 0, width: 1, counts: new Array<number>(bins).fill(0) };
  if (max === min) { min -= 0.5; max += 0.5; }
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const x of values) {
    if (!Number.isFinite(x)) continue;
    counts[Math.min(bins - 1, Math.floor((x - min) / width))]!++;
  }
  return { min, width, counts };
}

/**
 * The tensor as a matrix (all dimensions but the last are rows: a conv kernel [kh, kw, cin,
 * filters] becomes [kh·kw·cin, filters]), each cell the mean of the block it covers so the
 * result has at most maxSide rows and columns. Undefined for vectors and scalars.
 */
export function heatmap(t: Pick<WeightTensor, 'shape' | 'values'>, maxSide = 160): Heatmap | undefined {
  if (t.shape.length < 2) return undefined;
  const sourceCols = t.shape[t.shape.length - 1]!;
  const sourceRows = t.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  if (sourceRows === 0 || sourceCols === 0) return undefined;
  const rows = Math.min(sourceRows, maxSide), cols = Math.min(sourceCols, maxSide);
  const sums = new Float64Array(rows * cols), counts = new Uint32Array(rows * cols);
  for (let r = 0; r < sourceRows; r++) {
    const cr = Math.floor((r * rows) / sourceRows);
    for (let c = 0; c < sourceCols; c++) {
      const x = t.values[r * sourceCols + c]!;
      if (!Number.isFinite(x)) continue;
      const cell = cr * cols + Math.floor((c * cols) / sourceCols);
      sums[cell]! += x;
      counts[cell]!++;
    }
  }
  const values = Array.from(sums, (s, i) => (counts[i] ? s / counts[i]! : 0));
  const maxAbs = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return { rows, cols, values, sourceRows, sourceCols, maxAbs };
}

export function weightDetail(t: WeightTensor): WeightDetail {
  const map = heatmap(t);
  return { name: t.name, stats: tensorStats(t), histogram: histogram(t.values), ...(map ? { heatmap: map } : {}) };
}
