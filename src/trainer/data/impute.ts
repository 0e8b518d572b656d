// Missing feature values (NaN after table.ts with missing: "impute") are filled with values
// fitted on the training split only: the mean of a numeric feature, the most frequent
// category of a one-hot encoded column (its indicators are NaN together when missing).
import type { Dataset } from './dataset';
import { featureSize, oneHotName } from './dataset';

/** One fill value per feature, fitted on the training split. */
export interface Imputation {
  featureNames: string[];
  fill: number[];
  /** 1 for features that stand for a whole cell (a number, or a one-hot column's first indicator). */
  countsCell: number[];
}

export function fitImputation(train: Dataset): Imputation {
  const d = featureSize(train);
  const sum = new Float64Array(d);
  const count = new Float64Array(d);
  for (let i = 0; i < train.n; i++) {
    for (let j = 0; j < d; j++) {
      const v = train.features[i * d + j] as number;
      if (!Number.isNaN(v)) { sum[j] = (sum[j] as number) + v; count[j] = (count[j] as number) + 1; }
    }
  }
  // A feature with no value at all in the training split falls back to 0.
  const fill = Array.from(sum, (s, j) => ((count[j] as number) > 0 ? s / (count[j] as number) : 0));
  const countsCell = fill.map(() => 1);
  const index = new Map(train.featureNames.map((name, j) => [name, j]));
  for (const [column, categories] of Object.entries(train.oneHot ?? {})) {
    const js = categories.map((c) => index.get(oneHotName(column, c)) as number);
    // Most frequent = the indicator with the largest mean; ties go to the first sorted name.
    let best = js[0];
    for (const j of js) if ((fill[j] as number) > (fill[best as number] as number)) best = j;
    js.forEach((j, k) => { fill[j] = j === best ? 1 : 0; countsCell[j] = k === 0 ? 1 : 0; });
  }
  return { featureNames: [...train.featureNames], fill, countsCell };
}

/** Fills NaN features in place; returns how many cells (a number, or a categorical value) were filled. */
export function applyImputation(ds: Dataset, imputation: Imputation): number {
  const d = featureSize(ds);
  let filled = 0;
  for (let k = 0; k < ds.features.length; k++) {
    if (Number.isNaN(ds.features[k])) {
      ds.features[k] = imputation.fill[k % d] as number;
      filled += imputation.countsCell[k % d] as number;
    }
  }
  return filled;
}

export function hasMissing(ds: Dataset): boolean {
  // A plain loop: \`some\` with a callback costs about 15 ns a value (50 ms on MNIST's 7.8 million).
  const { features } = ds;
  for (let k = 0; k < features.length; k++) if (Number.isNaN(features[k])) return true;
  return false;
}
