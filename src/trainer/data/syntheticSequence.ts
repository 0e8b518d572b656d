// Two tasks on one time series, for recurrent trunks (weights shared over time steps): each
// sequence is a noisy sinusoid x_t = A sin(2 pi f t / T + phi) + eps, t = 0..T-1, with
//   f = k + 1 cycles per sequence, k ~ uniform{0..classes-1}   (task "frequency": classify k)
//   A ~ U(0.5, 2), phi ~ U(0, 2 pi), eps ~ N(0, noise^2)       (task "amplitude": regress A)
// Both tasks need the same thing first, the oscillation picked out of the noise, so a shared
// recurrent trunk has something to share; the phase makes neither task readable from one step.
import { SEQUENCE_STEPS } from '../../core/dataShape';
import { SeededRandom, deriveSeed } from '../../core/random';
import type { Dataset } from './dataset';
import { DataError } from './errors';

export const SEQUENCE_DEFAULTS = { samples: 4_000, steps: SEQUENCE_STEPS, classes: 4, noise: 0.3, seed: 0 } as const;
const AMPLITUDE = { low: 0.5, high: 2 } as const;

export interface SyntheticSequenceOptions { samples?: number; steps?: number; classes?: number; noise?: number; seed?: number }

export function loadSyntheticSequence(options: SyntheticSequenceOptions): Dataset {
  const n = options.samples ?? SEQUENCE_DEFAULTS.samples;
  const steps = options.steps ?? SEQUENCE_DEFAULTS.steps;
  const classes = options.classes ?? SEQUENCE_DEFAULTS.classes;
  const noise = options.noise ?? SEQUENCE_DEFAULTS.noise;
  const seed = options.seed ?? SEQUENCE_DEFAULTS.seed;
  if (!Number.isInteger(n) || n < 1) throw new DataError(`data.source.samples must be a positive whole number (got ${n}).`, ['data', 'source', 'samples']);
  if (!Number.isInteger(steps) || steps < 2) throw new DataError(`data.source.steps must be a whole number of at least 2 (got ${steps}).`, ['data', 'source', 'steps']);
  // The highest frequency must stay below the Nyquist limit of steps / 2 cycles per sequence.
  if (!Number.isInteger(classes) || classes < 2 || 2 * classes >= steps) {
    throw new DataError(`data.source.classes must be a whole number from 2 to ${Math.max(2, Math.ceil(steps / 2) - 1)} for ${steps} steps (got ${classes}): frequencies up to "classes" cycles need more than twice as many steps.`, ['data', 'source', 'classes']);
  }
  if (!(typeof noise === 'number' && noise >= 0 && Number.isFinite(noise))) throw new DataError(`data.source.noise must be a number of at least 0 (got ${noise}).`, ['data', 'source', 'noise']);

  const rng = new SeededRandom(deriveSeed(seed, 'sequence'));
  const features = new Float32Array(n * steps);
  const frequency = new Float32Array(n);
  const amplitude = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.int(classes);
    const a = AMPLITUDE.low + (AMPLITUDE.high - AMPLITUDE.low) * rng.next();
    const phi = 2 * Math.PI * rng.next();
    for (let t = 0; t < steps; t++) features[i * steps + t] = a * Math.sin((2 * Math.PI * (k + 1) * t) / steps + phi) + rng.normal(0, noise);
    frequency[i] = k;
    amplitude[i] = a;
  }
  return {
    n,
    featureNames: Array.from({ length: steps }, (_, t) => `t${t}`),
    features,
    featureShape: [steps, 1],
    targets: { frequency, amplitude },
    report: [`Synthetic sequences: ${n.toLocaleString('en-US')} noisy sinusoids of ${steps} steps, ${classes} frequencies (task target "frequency"), amplitude in [${AMPLITUDE.low}, ${AMPLITUDE.high}] (target "amplitude"), noise ${noise}, seed ${seed}.`],
  };
}
