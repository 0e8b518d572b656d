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

export function accuracy(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let hit = 0;
  for (let i = 0; i < truth.length; i++) if (pred[i] === truth[i]) hit++;
  return truth.length ? hit / truth.length : 0;
}

/** Unweighted mean of per-class F1; a class absent from truth and predictions is skipped. */
export function macroF1(pred: ArrayLike<number>, truth: ArrayLike<number>, classes: number): number {
  const tp = new Float64Array(classes), fp = new Float64Array(classes), fn = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    const p = pred[i] as number, t = truth[i] as number;
    if (p === t) tp[p]! += 1;
    else { fp[p]! += 1; fn[t]! += 1; }
  }
  let sum = 0, counted = 0;
  for (let c = 0; c < classes; c++) {
    const denom = 2 * tp[c]! + fp[c]! + fn[c]!;
    if (denom === 0) continue;
    sum += (2 * tp[c]!) / denom;
    counted++;
  }
  return counted ? sum / counted : 0;
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

export function mae(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += Math.abs((pred[i] as number) - (truth[i] as number));
  return truth.length ? s / truth.length : 0;
}

export function rmse(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += ((pred[i] as number) - (truth[i] as number)) ** 2;
  return truth.length ? Math.sqrt(s / truth.length) : 0;
}

export function r2(pred: ArrayLike<number>, truth: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < truth.length; i++) mean += truth[i] as number;
  mean /= truth.length || 1;
  let ssRes = 0, ssTot = 0;
  for (let i = 0; i < truth.length; i++) {
    ssRes += ((truth[i] as number) - (pred[i] as number)) ** 2;
    ssTot += ((truth[i] as number) - mean) ** 2;
  }
  return ssTot === 0 ? 0 : 1 - ssRes / ssTot;
}

export const METRIC_NAMES: readonly MetricName[] = ['accuracy', 'macroF1', 'rocAuc', 'mae', 'rmse', 'r2'];
