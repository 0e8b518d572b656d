// Feature preprocessing (scale, zscore, minmax), fitted on the training split only and applied
// to every split, so validation and test statistics never leak into training. Every op is
// affine per feature, so a whole list composes into one x * multiply + add per feature:
// later ops are fitted on the training statistics as transformed by the earlier ones.
import { formatFactor } from '../../core/markup';
import type { PreprocessOp } from '../../core/spec';
import type { Dataset } from './dataset';
import { featureSize, oneHotFeatureIndices, resolveFeatureColumns } from './dataset';
import { clip } from './cells';
import { DataError } from './errors';

/** JSON-serializable, so a run can store how to prepare new inputs for its model. */
export interface FittedPreprocessing {
  featureNames: string[];
  multiply: number[];
  add: number[];
  /** One line per op, for the run log. */
  steps: string[];
}

interface Stats { mean: number; std: number; min: number; max: number }

export function fitPreprocessing(train: Dataset, ops: readonly PreprocessOp[]): FittedPreprocessing {
  const d = featureSize(train);
  const multiply = new Array<number>(d).fill(1);
  const add = new Array<number>(d).fill(0);
  const steps: string[] = [];
  if (ops.length === 0) return { featureNames: [...train.featureNames], multiply, add, steps };
  if (train.n === 0) throw new DataError('The training split is empty, so preprocessing cannot be fitted.', ['data', 'split']);

  // Statistics only when an op is fitted by them: \`scale\` is a constant (two passes over
  // MNIST's 6 million training values cost 50-60 ms before the first step).
  const raw = ops.some((op) => op.op !== 'scale') ? featureStats(train) : [];
  const oneHot = oneHotFeatureIndices(train);
  const everyNumber = Array.from({ length: d }, (_, j) => j).filter((j) => !oneHot.has(j));
  ops.forEach((op, k) => {
    const targets = op.columns ? resolveFeatureColumns(train, op.columns, `data.preprocess[${k}].columns`, ['data', 'preprocess', k, 'columns']) : everyNumber;
    // One-hot indicators are 0/1 facts: centring or stretching them by statistics means
    // nothing, so a categorical column named for zscore / minmax is a sign that it was meant
    // to be numeric (a stray word or an unknown missing marker in it). An explicit constant
    // factor (scale) is the user's own weighting and stays allowed.
    const categorical = op.op === 'scale' ? undefined : op.columns?.find((name) => resolveFeatureColumns(train, [name]).some((j) => oneHot.has(j)));
    if (categorical !== undefined) {
      const i = (op.columns as string[]).indexOf(categorical);
      throw new DataError(`data.preprocess[${k}] (${op.op}) names '${clip(categorical)}', which is not numeric: it is one-hot encoded as categories, and categories are not standardised. ` +
        `Leave it out of "columns", or, if it holds numbers with a few words or missing markers, set data.source.columnTypes {${JSON.stringify(clip(categorical))}: "numeric"}.`, ['data', 'preprocess', k, 'columns', i]);
    }
    let constant = 0;
    for (const j of targets) {
      const m = multiply[j] as number;
      const a = add[j] as number;
      if (op.op === 'scale') {
        multiply[j] = m * op.factor;
        add[j] = a * op.factor;
        continue;
      }
      // Training statistics of feature j as the earlier ops left it.
      const s = raw[j] as Stats;
      const mean = s.mean * m + a;
      const std = s.std * Math.abs(m);
      const lo = Math.min(s.min * m + a, s.max * m + a);
      const hi = Math.max(s.min * m + a, s.max * m + a);
      let scale: number;
      let shift: number; // y = (x - shift) * scale
      switch (op.op) {
        case 'zscore':
          // A constant feature is only centred: dividing by a zero std would give NaN.
          if (std <= 1e-7 * Math.max(1, Math.abs(mean))) { scale = 1; constant++; } else scale = 1 / std;
          shift = mean;
          break;
        case 'minmax':
          if (hi - lo <= 1e-7 * Math.max(1, Math.abs(lo))) { scale = 1; constant++; } else scale = 1 / (hi - lo);
          shift = lo;
          break;
      }
      multiply[j] = m * scale;
      add[j] = (a - shift) * scale;
    }
    const what = op.op === 'scale' ? `scale by ${formatFactor(op.factor)}` : op.op;
    steps.push(`${what} on ${targets.length} ${targets.length === 1 ? 'feature' : 'features'}` +
      (op.op === 'scale' ? '' : `, fitted on the training split (${train.n.toLocaleString('en-US')} examples)`) +
      (constant > 0 ? `; ${constant} constant ${constant === 1 ? 'feature was' : 'features were'} only shifted` : '') + '.');
  });
  return { featureNames: [...train.featureNames], multiply, add, steps };
}

/** A copy of the data set with the fitted preprocessing applied to its features. */
export function applyPreprocessing(ds: Dataset, fitted: FittedPreprocessing): Dataset {
  const copy = { ...ds, features: new Float32Array(ds.features) };
  applyPreprocessingInPlace(copy, fitted);
  return copy;
}

/** Applies the fitted preprocessing to the data set's own features (no second copy of a large split). */
export function applyPreprocessingInPlace(ds: Dataset, fitted: FittedPreprocessing): void {
  const d = featureSize(ds);
  if (d !== fitted.multiply.length) {
    throw new DataError(`Preprocessing was fitted on ${fitted.multiply.length} features but the data has ${d}.`, ['data', 'preprocess']);
  }
  const { features } = ds;
  const multiply = Float64Array.from(fitted.multiply);
  const add = Float64Array.from(fitted.add);
  for (let row = 0; row < features.length; row += d) {
    for (let j = 0; j < d; j++) features[row + j] = (features[row + j] as number) * (multiply[j] as number) + (add[j] as number);
  }
}

function featureStats(ds: Dataset): Stats[] {
  const d = featureSize(ds);
  const stats: Stats[] = Array.from({ length: d }, () => ({ mean: 0, std: 0, min: Infinity, max: -Infinity }));
  const count = new Float64Array(d);
  for (let i = 0; i < ds.n; i++) {
    for (let j = 0; j < d; j++) {
      const v = ds.features[i * d + j] as number;
      if (Number.isNaN(v)) continue;
      const s = stats[j] as Stats;
      s.mean += v;
      if (v < s.min) s.min = v;
      if (v > s.max) s.max = v;
      count[j] = (count[j] as number) + 1;
    }
  }
  stats.forEach((s, j) => { s.mean = (count[j] as number) > 0 ? s.mean / (count[j] as number) : 0; });
  // Second pass for the variance: stable where sum-of-squares would cancel.
  for (let i = 0; i < ds.n; i++) {
    for (let j = 0; j < d; j++) {
      const v = ds.features[i * d + j] as number;
      if (Number.isNaN(v)) continue;
      const s = stats[j] as Stats;
      s.std += (v - s.mean) ** 2;
    }
  }
  stats.forEach((s, j) => {
    const c = count[j] as number;
    s.std = c > 0 ? Math.sqrt(s.std / c) : 0;
    if (c === 0) { s.min = 0; s.max = 0; }
  });
  return stats;
}
