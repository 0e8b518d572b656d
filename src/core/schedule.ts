// Learning-rate schedules as pure functions of training progress, so the trainer and
// the designer's preview draw the same curve.
import type { ScheduleSpec } from './spec';

/**
 * Learning rate at fractional epoch `t` (epochs elapsed, 0 <= t < totalEpochs).
 * A linear warm-up of `warmupEpochs` comes first; the schedule then runs over the rest,
 * measured from the end of the warm-up.
 */
export function learningRateAt(schedule: ScheduleSpec | undefined, baseLr: number, t: number, totalEpochs: number): number {
  const s = schedule ?? { type: 'constant' };
  const warmup = s.warmupEpochs ?? 0;
  if (warmup > 0 && t < warmup) return baseLr * Math.max(t, 1e-3 * warmup) / warmup;
  const u = t - warmup;
  const span = Math.max(totalEpochs - warmup, 1e-9);
  switch (s.type) {
    case 'constant':
      return baseLr;
    case 'step':
      return baseLr * s.gamma ** Math.floor(u / s.stepEpochs);
    case 'exponential':
      return baseLr * s.gamma ** u;
    case 'cosine':
      return cosine(baseLr, s.minLearningRate ?? 0, u / span);
    case 'sgdr': {
      const { tCur, period } = sgdrPosition(u, s.t0, s.tMult ?? 1);
      return cosine(baseLr, s.minLearningRate ?? 0, tCur / period);
    }
  }
}

/** SGDR (Loshchilov & Hutter 2017): where epoch u falls in periods t0, t0*tMult, t0*tMult^2, ... */
export function sgdrPosition(u: number, t0: number, tMult: number): { cycle: number; tCur: number; period: number } {
  let period = t0;
  let start = 0;
  let cycle = 0;
  // Small epsilon so that u exactly at a restart belongs to the new period.
  while (u >= start + period - 1e-12) {
    start += period;
    period *= tMult;
    cycle += 1;
  }
  return { cycle, tCur: u - start, period };
}

function cosine(max: number, min: number, fraction: number): number {
  return min + (max - min) * (1 + Math.cos(Math.PI * Math.min(Math.max(fraction, 0), 1))) / 2;
}

/** The schedule sampled per step, for previews: `pointsPerEpoch` samples per epoch. */
export function learningRateCurve(schedule: ScheduleSpec | undefined, baseLr: number, totalEpochs: number, pointsPerEpoch = 20): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = Math.max(1, Math.round(totalEpochs * pointsPerEpoch));
  for (let i = 0; i < n; i++) {
    const t = (i / n) * totalEpochs;
    out.push([t, learningRateAt(schedule, baseLr, t, totalEpochs)]);
  }
  return out;
}
