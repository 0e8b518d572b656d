// NumPy .npy arrays and .npz archives written by us (format 1.0: magic, a header dict padded
// so the data starts at a multiple of 64 bytes, then the raw little-endian values), zipped
// with fflate so np.load reads them without any converter.
import { zipSync } from 'fflate';

export type NpyArray = { values: Float32Array | Int32Array; shape: number[] };

export function npyBytes({ values, shape }: NpyArray): Uint8Array {
  const descr = values instanceof Float32Array ? '<f4' : '<i4';
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  // 10 bytes before the header (magic, version, header length); the header ends with "\n".
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = `${header.padEnd(total - 10 - 1, ' ')}\n`;
  const out = new Uint8Array(total + values.byteLength);
  out.set([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(Buffer.from(header, 'latin1'), 10);
  out.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), total);
  return out;
}

/** An .npz archive (deflated: MNIST's zeros shrink tenfold) of the named arrays. */
export function npzBytes(arrays: Record<string, NpyArray>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(arrays).map(([name, a]) => [`${name}.npy`, [npyBytes(a), { level: 1 }]])));
}
