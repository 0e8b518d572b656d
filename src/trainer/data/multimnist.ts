// MultiMNIST (Sabour et al. 2017; the two-task version of Sener & Koltun 2018): two MNIST
// digits overlaid on a 36x36 canvas, the left one shifted up-left and the right one
// down-right, pixel-wise max. Tasks: classify the left digit and the right digit.
import { MULTIMNIST_SIDE } from '../../core/dataShape';
import { SeededRandom } from '../../core/random';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { MNIST_PIXELS, MNIST_SIDE, mnistPool, pixelNames, type MnistPool } from './mnist';

export { MULTIMNIST_SIDE };
export const MULTIMNIST_DEFAULT_SAMPLES = 10_000;
/** A digit's top-left corner moves at most this far from its corner of the canvas. */
const JITTER = 2;

/** How one example is made: which two pool images, and where each is placed. */
export interface MultiMnistPair {
  left: number;
  right: number;
  leftOffset: [row: number, col: number];
  rightOffset: [row: number, col: number];
}

/** The seeded recipe for `samples` examples over a pool of `poolSize` images (two different images each). */
export function planMultiMnist(samples: number, seed: number, poolSize: number): MultiMnistPair[] {
  const rng = new SeededRandom(seed);
  const far = MULTIMNIST_SIDE - MNIST_SIDE; // 8: the bottom-right corner position
  const pairs: MultiMnistPair[] = [];
  for (let i = 0; i < samples; i++) {
    const left = rng.int(poolSize);
    let right = rng.int(poolSize - 1);
    if (right >= left) right++;
    pairs.push({
      left, right,
      leftOffset: [rng.int(JITTER + 1), rng.int(JITTER + 1)],
      rightOffset: [far - rng.int(JITTER + 1), far - rng.int(JITTER + 1)],
    });
  }
  return pairs;
}

/** Draws one pair onto `out` (36*36 values, 0..255), pixel-wise max of the two digits. */
export function composePair(pool: MnistPool, pair: MultiMnistPair, out: Float32Array): void {
  out.fill(0);
  for (const [image, [r0, c0]] of [[pair.left, pair.leftOffset], [pair.right, pair.rightOffset]] as const) {
    const base = image * MNIST_PIXELS;
    for (let r = 0; r < MNIST_SIDE; r++) {
      for (let c = 0; c < MNIST_SIDE; c++) {
        const v = pool.pixels[base + r * MNIST_SIDE + c] as number;
        const k = (r + r0) * MULTIMNIST_SIDE + (c + c0);
        if (v > (out[k] as number)) out[k] = v;
      }
    }
  }
}

export function loadMultiMnist(options: { samples?: number; seed?: number } = {}): Dataset {
  const samples = options.samples ?? MULTIMNIST_DEFAULT_SAMPLES;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(samples) || samples < 1) {
    throw new DataError(`data.source.samples must be a positive whole number (got ${samples}).`, ['data', 'source', 'samples']);
  }
  const pool = mnistPool();
  const pairs = planMultiMnist(samples, seed, pool.count);
  const size = MULTIMNIST_SIDE * MULTIMNIST_SIDE;
  const features = new Float32Array(samples * size);
  const left = new Float32Array(samples);
  const right = new Float32Array(samples);
  pairs.forEach((pair, i) => {
    composePair(pool, pair, features.subarray(i * size, (i + 1) * size));
    left[i] = pool.labels[pair.left] as number;
    right[i] = pool.labels[pair.right] as number;
  });
  return {
    n: samples,
    featureNames: pixelNames(size),
    features,
    featureShape: [MULTIMNIST_SIDE, MULTIMNIST_SIDE, 1],
    targets: { left, right },
    classes: { left: 10, right: 10 },
    report: [`MultiMNIST: ${samples.toLocaleString('en-US')} overlaid digit pairs, 36x36, seed ${seed}, pixel values 0..255.`],
  };
}
