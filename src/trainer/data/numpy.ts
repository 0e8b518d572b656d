// NumPy arrays as a data source: a .npz archive (a zip of .npy files, unzipped with fflate) or
// a .npy file of features with one .npy file per target. The .npy format (NEP 1): a magic
// string, a version, a header that is a Python dict literal {'descr', 'fortran_order', 'shape'},
// then the raw values. Supported: little-endian float32/float64/int32/int64/uint8/bool in C
// order; anything else (Fortran order, objects, big-endian, strings) is refused by name.
import fs from 'node:fs';
import { unzipSync } from 'fflate';
import type { DataSource } from '../../core/spec';
import { confineDataPath, type DataFolders } from './confine';
import type { Dataset } from './dataset';
import { DataError } from './errors';
import { beyondFloat32Error, NAMED_PLACES } from './float32Range';

export type NumpySource = Extract<DataSource, { type: 'numpy' }>;

export interface NpyArray {
  shape: number[];
  dtype: string;
  /** The values, converted to float32 (bool as 0/1). */
  values: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const DTYPES: Record<string, { bytes: number; name: string; read: (v: DataView, at: number) => number }> = {
  f4: { bytes: 4, name: 'float32', read: (v, at) => v.getFloat32(at, true) },
  f8: { bytes: 8, name: 'float64', read: (v, at) => v.getFloat64(at, true) },
  i4: { bytes: 4, name: 'int32', read: (v, at) => v.getInt32(at, true) },
  i8: { bytes: 8, name: 'int64', read: (v, at) => Number(v.getBigInt64(at, true)) },
  u1: { bytes: 1, name: 'uint8', read: (v, at) => v.getUint8(at) },
  b1: { bytes: 1, name: 'bool', read: (v, at) => (v.getUint8(at) ? 1 : 0) },
};
export const DEFAULT_FEATURES_ARRAY = 'x';

/** One .npy array from its bytes; `name` says which array in messages ("data/x.npy", "arrays.npz: y"). */
export function parseNpy(bytes: Uint8Array, name: string, at: (string | number)[] = ['data', 'source', 'path']): NpyArray {
  const bad = (why: string): DataError => new DataError(`${name}: ${why}`, at);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw bad('not a NumPy .npy array (it does not start with \\x93NUMPY).');
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLength > bytes.length) throw bad('the .npy header is cut off.');
  const header = Buffer.from(bytes.subarray(start, start + headerLength)).toString('latin1');
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    // A structured dtype has a list as descr; everything else unreadable is named the same way.
    throw bad(/'descr'\s*:\s*\[/.test(header) ? 'structured (record) arrays are not supported: save plain numeric arrays.' : 'the .npy header is not readable.');
  }
  if (fortran === 'True') throw bad('the array is in Fortran order; save it in C order (numpy.ascontiguousarray) and try again.');
  const order = descr[0];
  const type = DTYPES[descr.slice(1)];
  if (descr.startsWith('|O') || descr.startsWith('<O')) throw bad('it holds Python objects (dtype object); save a numeric array (float32, float64, int32, int64, uint8 or bool).');
  if (!type || order === '>' || (type.bytes > 1 && order !== '<')) {
    throw bad(`dtype '${descr}' is not supported; use little-endian float32, float64, int32, int64, uint8 or bool.`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw bad('the .npy header has an unreadable shape.');
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLength;
  if (dataStart + count * type.bytes > bytes.length) throw bad(`the file holds fewer values than its shape (${shape.join(', ')}) says: it is cut off.`);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = type.read(view, dataStart + i * type.bytes);
  // Only floats can hold what float32 cannot (int64's largest is 9.2e18).
  if (descr[1] === 'f') refuseBeyondFloat32(values, shape, name, at);
  return { shape, dtype: type.name, values };
}

/** An array a run uses may not hold numbers float32 cannot (float32Range.ts): named by their index along the first axis, as numpy counts. */
function refuseBeyondFloat32(values: Float32Array, shape: readonly number[], name: string, at: (string | number)[]): void {
  const rowSize = Math.max(1, values.length / Math.max(1, shape[0] ?? 1));
  let count = 0;
  const rows: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== Infinity && v !== -Infinity) continue;
    count++;
    const row = Math.floor(i / rowSize);
    if (rows.length < NAMED_PLACES && rows[rows.length - 1] !== row) rows.push(row);
  }
  if (count === 0) return;
  throw beyondFloat32Error(name, `at ${rows.length === 1 ? 'index' : 'indices'} ${rows.join(', ')} of the first axis`, count, 'values',
    'Rescale the array (e.g. divide it by its largest value) and save it again.', at);
}

/** The arrays a numpy source names: features and each target, read from the .npz or the .npy files. */
export function readNumpyArrays(source: NumpySource, folders: DataFolders): { features: NpyArray; targets: Record<string, NpyArray> } {
  const file = confineDataPath(source.path, 'file', folders);
  const targets = Object.entries(source.targets ?? {});
  if (targets.length === 0) throw new DataError('data.source.targets is empty: name at least one target array, e.g. { "label": "y" }.', ['data', 'source', 'targets']);
  const bytes = new Uint8Array(fs.readFileSync(file));
  if (/\.npz$/i.test(source.path)) {
    let members: Record<string, Uint8Array>;
    try {
      members = unzipSync(bytes);
    } catch {
      throw new DataError(`${source.path}: not a readable .npz archive (a zip of .npy files).`, ['data', 'source', 'path']);
    }
    const names = Object.keys(members).map((m) => m.replace(/\.npy$/, ''));
    const member = (name: string, at: (string | number)[]): NpyArray => {
      const entry = members[`${name}.npy`] ?? members[name];
      if (!entry) throw new DataError(`${source.path} has no array '${name}'. Its arrays: ${names.join(', ')}.`, at);
      return parseNpy(entry, `${source.path}: ${name}`, at);
    };
    return {
      features: member(source.features ?? DEFAULT_FEATURES_ARRAY, ['data', 'source', 'features']),
      targets: Object.fromEntries(targets.map(([t, a]) => [t, member(a, ['data', 'source', 'targets', t])])),
    };
  }
  if (!/\.npy$/i.test(source.path)) throw new DataError(`data.source.path '${source.path}' is neither a .npz archive nor a .npy file.`, ['data', 'source', 'path']);
  if (source.features !== undefined) {
    throw new DataError('data.source.features names an array inside a .npz archive; a .npy file holds one array, the features: leave "features" out.', ['data', 'source', 'features']);
  }
  return {
    features: parseNpy(bytes, source.path),
    targets: Object.fromEntries(targets.map(([t, p]) => {
      const at = ['data', 'source', 'targets', t];
      return [t, parseNpy(new Uint8Array(fs.readFileSync(confineDataPath(p, 'file', folders, at))), p, at)];
    })),
  };
}

/** A Dataset from the arrays: examples along the first axis; each target one value per example. */
export function loadNumpy(source: NumpySource, folders: DataFolders): Dataset {
  const { features, targets } = readNumpyArrays(source, folders);
  const featuresName = /\.npz$/i.test(source.path) ? source.features ?? DEFAULT_FEATURES_ARRAY : 'x';
  const [n, ...rest] = features.shape;
  if (n === undefined || n === 0) throw new DataError(`${source.path}: the features array is empty (shape (${features.shape.join(', ')})).`, ['data', 'source', 'path']);
  const featureShape = rest.length ? rest : [1];
  const size = featureShape.reduce((a, b) => a * b, 1);
  const out: Record<string, Float32Array> = {};
  for (const [name, array] of Object.entries(targets)) {
    const at = ['data', 'source', 'targets', name];
    if (array.shape[0] !== n || array.values.length !== n) {
      throw new DataError(`Target '${name}' has shape (${array.shape.join(', ')}), but the features have ${n} examples: a target needs one value per example, shape (${n},).`, at);
    }
    out[name] = array.values;
  }
  return {
    n,
    featureNames: Array.from({ length: size }, (_, i) => `${featuresName}${i}`),
    features: features.values,
    featureShape,
    targets: out,
    report: [`Read ${n.toLocaleString('en-US')} examples from ${source.path}: features [${featureShape.join(', ')}] ${features.dtype}; targets ${Object.entries(targets).map(([t, a]) => `${t} (${a.dtype})`).join(', ')}.`],
  };
}
