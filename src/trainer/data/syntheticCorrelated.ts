// Two regression tasks with a chosen correlation: the generator of Ma et al., "Modeling Task
// Relationships in Multi-task Learning with Multi-gate Mixture-of-Experts", KDD 2018, sec. 4.
//   u1, u2: orthogonal unit vectors in R^d;  w1 = c u1;  w2 = c (p u1 + sqrt(1 - p^2) u2)
//   x ~ N(0, I_d);  y_i = w_i^T x + sum_{k=1..m} sin(alpha_k w_i^T x + beta_k) + eps,  eps ~ N(0, 0.01)
// with c = 1, m = 10 and alpha_k, beta_k ~ N(0, 0.01). "N(0, 0.01)" is read as variance 0.01
// (standard deviation 0.1). The Pearson correlation of the linear parts is then p.
import { SYNTHETIC_INPUT_DIM } from '../../core/dataShape';
import { SeededRandom, deriveSeed } from '../../core/random';
import type { Dataset } from './dataset';
import { DataError } from './errors';

export const SYNTHETIC_DEFAULTS = { samples: 10_000, inputDim: SYNTHETIC_INPUT_DIM, seed: 0, scale: 1, sinusoids: 10 } as const;
const NOISE_STD = 0.1;
const SHAPE_STD = 0.1;

/** The generator's fixed parameters for one seed (exported so tests can check the linear parts). */
export interface CorrelatedTaskWeights {
  w1: Float64Array;
  w2: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
}

export function correlatedTaskWeights(inputDim: number, correlation: number, seed: number): CorrelatedTaskWeights {
  const rng = new SeededRandom(deriveSeed(seed, 'weights'));
  const gaussian = () => Float64Array.from({ length: inputDim }, () => rng.normal());
  // Gram-Schmidt on two Gaussian vectors gives orthogonal unit vectors in a random direction.
  const u1 = normalize(gaussian());
  const v = gaussian();
  const along = dot(v, u1);
  const u2 = normalize(v.map((x, i) => x - along * (u1[i] as number)));
  const c = SYNTHETIC_DEFAULTS.scale;
  const q = Math.sqrt(1 - correlation * correlation);
  const m = SYNTHETIC_DEFAULTS.sinusoids;
  return {
    w1: u1.map((x) => c * x),
    w2: u1.map((x, i) => c * (correlation * x + q * (u2[i] as number))),
    alpha: Float64Array.from({ length: m }, () => rng.normal(0, SHAPE_STD)),
    beta: Float64Array.from({ length: m }, () => rng.normal(0, SHAPE_STD)),
  };
}

export function loadSyntheticCorrelated(options: { samples?: number; correlation: number; inputDim?: number; seed?: number }): Dataset {
  const n = options.samples ?? SYNTHETIC_DEFAULTS.samples;
  const d = options.inputDim ?? SYNTHETIC_DEFAULTS.inputDim;
  const seed = options.seed ?? SYNTHETIC_DEFAULTS.seed;
  const p = options.correlation;
  if (!(typeof p === 'number' && p >= -1 && p <= 1)) throw new DataError(`data.source.correlation must be between -1 and 1 (got ${p}).`, ['data', 'source', 'correlation']);
  if (!Number.isInteger(n) || n < 1) throw new DataError(`data.source.samples must be a positive whole number (got ${n}).`, ['data', 'source', 'samples']);
  if (!Number.isInteger(d) || d < 2) throw new DataError(`data.source.inputDim must be a whole number of at least 2 (got ${d}).`, ['data', 'source', 'inputDim']);

  const { w1, w2, alpha, beta } = correlatedTaskWeights(d, p, seed);
  const rng = new SeededRandom(deriveSeed(seed, 'samples'));
  const features = new Float32Array(n * d);
  const y1 = new Float32Array(n);
  const y2 = new Float32Array(n);
  const response = (linear: number) => {
    let y = linear;
    for (let k = 0; k < alpha.length; k++) y += Math.sin((alpha[k] as number) * linear + (beta[k] as number));
    return y + rng.normal(0, NOISE_STD);
  };
  for (let i = 0; i < n; i++) {
    let l1 = 0;
    let l2 = 0;
    for (let j = 0; j < d; j++) {
      const x = rng.normal();
      features[i * d + j] = x;
      l1 += (w1[j] as number) * x;
      l2 += (w2[j] as number) * x;
    }
    y1[i] = response(l1);
    y2[i] = response(l2);
  }
  return {
    n,
    featureNames: Array.from({ length: d }, (_, j) => `x${j}`),
    features,
    featureShape: [d],
    targets: { y1, y2 },
    report: [`Synthetic two-task regression (Ma et al. 2018): ${n.toLocaleString('en-US')} samples, ${d} inputs, task correlation ${p}, seed ${seed}.`],
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function normalize(a: Float64Array): Float64Array {
  const norm = Math.sqrt(dot(a, a));
  return a.map((x) => x / norm);
}
