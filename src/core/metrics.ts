// Evaluation metrics on plain arrays (predictions read back once per evaluation).
import type { MetricName } from './spec';

export function argmaxRows(probs: ArrayLike<number>, k: number): Int32Array {
  const n = Math.floor(probs.length / k);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestV = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = probs[i * k + j] as number;
      if (v > bestV) { bestV = v; best = j; }
    }
    out[i] = best;
  }
  return out;
}

/**
 * A classifier's sufficient statistics: the confusion counts, row = true class, column =
 * predicted class. Every classification metric but the AUC is a function of them, so a
 * prediction counted once (evaluation, or a training step as it runs: core/trainMetrics.ts)
 * gives the same number as the whole list of predictions would.
 */
export interface ClassCounts { classes: number; confusion: Float64Array }

export const emptyClassCounts = (classes: number): ClassCounts => ({ classes, confusion: new Float64Array(classes * classes) });

/** Adds predicted classes against true classes (both 0 .. classes - 1) to `into`. */
export function countClasses(pred: ArrayLike<number>, truth: ArrayLike<number>, into: ClassCounts): ClassCounts {
  for (let i = 0; i < truth.length; i++) into.confusion[(truth[i] as number) * into.classes + (pred[i] as number)]! += 1;
  return into;
}

export function accuracyOf(c: ClassCounts): number {
  let hit = 0, n = 0;
  for (let t = 0; t < c.classes; t++) for (let p = 0; p < c.classes; p++) { const v = c.confusion[t * c.classes + p]!; n += v; if (p === t) hit += v; }
  return n ? hit / n : 0;
}

/** Unweighted mean of per-class F1; a class absent from truth and predictions is skipped. */
export function macroF1Of(c: ClassCounts): number {
  const k = c.classes;
  let sum = 0, counted = 0;
  for (let cl = 0; cl < k; cl++) {
    const tp = c.confusion[cl * k + cl]!;
    let predicted = 0, actual = 0;
    for (let j = 0; j < k; j++) { predicted += c.confusion[j * k + cl]!; actual += c.confusion[cl * k + j]!; }
    // 2 tp + fp + fn, with fp = predicted - tp and fn = actual - tp.
    const denom = predicted + actual;
    if (denom === 0) continue;
    sum += (2 * tp) / denom;
    counted++;
  }
  return counted ? sum / counted : 0;
}

const classesOf = (pred: ArrayLike<number>, truth: ArrayLike<number>) => {
  let k = 0;
  for (let i = 0; i < truth.length; i++) k = Math.max(k, (pred[i] as number) + 1, (truth[i] as number) + 1);
  return k;
};

export function accuracy(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  return accuracyOf(countClasses(pred, truth, emptyClassCounts(classesOf(pred, truth))));
}

export function macroF1(pred: ArrayLike<number>, truth: ArrayLike<number>, classes: number): number {
  return macroF1Of(countClasses(pred, truth, emptyClassCounts(Math.max(classes, classesOf(pred, truth)))));
}

/** Area under the ROC curve by the rank statistic (Mann-Whitney U), ties get half credit. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const idx = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number));
  let pos = 0, neg = 0, rankSumPos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && scores[idx[j + 1]!] === scores[idx[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if ((labels[idx[k]!] as number) > 0.5) { pos++; rankSumPos += avgRank; } else neg++;
    }
    i = j + 1;
  }
  if (!pos || !neg) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * A regression's sufficient statistics: the errors' absolute and squared sums, and the truths'
 * count, mean and sum of squared deviations (Welford's update, merged by Chan et al.'s rule, so
 * a constant truth gives exactly 0 and r2 its defined 0).
 */
export interface ErrorSums { n: number; absolute: number; squared: number; truthMean: number; truthM2: number }

export const emptyErrorSums = (): ErrorSums => ({ n: 0, absolute: 0, squared: 0, truthMean: 0, truthM2: 0 });

/** Adds the truths alone (their count, mean and spread) to `into`. */
export function addTruths(truth: ArrayLike<number>, into: ErrorSums): ErrorSums {
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i] as number;
    into.n++;
    const d = y - into.truthMean;
    into.truthMean += d / into.n;
    into.truthM2 += d * (y - into.truthMean);
  }
  return into;
}

/** Adds predictions against truths to `into`. */
export function addErrors(pred: ArrayLike<number>, truth: ArrayLike<number>, into: ErrorSums): ErrorSums {
  for (let i = 0; i < truth.length; i++) {
    const e = (pred[i] as number) - (truth[i] as number);
    into.absolute += Math.abs(e);
    into.squared += e * e;
  }
  return addTruths(truth, into);
}

export const maeOf = (s: ErrorSums): number => (s.n ? s.absolute / s.n : 0);
export const rmseOf = (s: ErrorSums): number => (s.n ? Math.sqrt(s.squared / s.n) : 0);
export const r2Of = (s: ErrorSums): number => (s.truthM2 === 0 ? 0 : 1 - s.squared / s.truthM2);

export const mae = (pred: ArrayLike<number>, truth: ArrayLike<number>): number => maeOf(addErrors(pred, truth, emptyErrorSums()));
export const rmse = (pred: ArrayLike<number>, truth: ArrayLike<number>): number => rmseOf(addErrors(pred, truth, emptyErrorSums()));
export const r2 = (pred: ArrayLike<number>, truth: ArrayLike<number>): number => r2Of(addErrors(pred, truth, emptyErrorSums()));

export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'macroF1', 'rocAuc', 'mae', 'rmse', 'r2'];
