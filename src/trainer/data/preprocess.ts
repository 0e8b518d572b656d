// Feature preprocessing (scale, zscore, minmax), fitted on the training split only and applied
// to every split, so validation and test statistics never leak into training. Every op is
// affine per feature, so a whole list composes into one x * multiply + add per feature:
// later ops are fitted on the training statistics as transformed by the earlier ones.
import type { PreprocessOp } from '../../core/spec';
import type { Dataset } from './dataset';
import { featureSize, oneHotFeatureIndices, resolveFeatureColumns } from './dataset';
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

  const raw = featureStats(train);
  const oneHot = oneHotFeatureIndices(train);
  const everyNumber = Array.from({ length: d }, (_, j) => j).filter((j) => !oneHot.has(j));
  ops.forEach((op, k) => {
    const targets = op.columns ? resolveFeatureColumns(train, op.columns, `data.preprocess[${k}].columns`, ['data', 'preprocess', k, 'columns']) : everyNumber;
    let constant = 0;
    for (const j of targets) {
      const m = multiply[j] as number;
      const a = add[j] as number;
      // Training statistics of feature j as the earlier ops left it.
      const s = raw[j] as Stats;
      const mean = s.mean * m + a;
      const std = s.std * Math.abs(m);
      const lo = Math.min(s.min * m + a, s.max * m + a);
      const hi = Math.max(s.min * m + a, s.max * m + a);
      let scale: number;
      let shift: number; // y = (x - shift) * scale
      switch (op.op) {
        case 'scale': scale = op.factor; shift = 0; break;
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
    const what = op.op === 'scale' ? `scale by ${op.factor}` : op.op;
    steps.push(`${what} on ${targets.length} ${targets.length === 1 ? 'feature' : 'features'}` +
      (op.op === 'scale' ? '' : `, fitted on the training split (${train.n.toLocaleString('en-US')} examples)`) +
      (constant > 0 ? `; ${constant} constant ${constant === 1 ? 'feature was' : 'features were'} only shifted` : '') + '.');
  });
  return { featureNames: [...train.featureNames], multiply, add, steps };
}

/** A copy of the data set with the fitted preprocessing applied to its features. */
export function applyPreprocessing(ds: Dataset, fitted: FittedPreprocessing): Dataset {
  const d = featureSize(ds);
  if (d !== fitted.multiply.length) {
    throw new DataError(`Preprocessing was fitted on ${fitted.multiply.length} features but the data has ${d}.`, ['data', 'preprocess']);
  }
  const features = new Float32Array(ds.features.length);
  for (let k = 0; k < features.length; k++) {
    const j = k % d;
    features[k] = (ds.features[k] as number) * (fitted.multiply[j] as number) + (fitted.add[j] as number);
  }
  return { ...ds, features };
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
