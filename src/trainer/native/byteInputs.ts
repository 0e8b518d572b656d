// A split's input held on native TensorFlow as one byte per value (a uint8 tensor of codes) and
// its table of float32 values (data/codebook.ts): digits-parity's training images take 6 MB
// on the device instead of 24, for the whole run. tfjs has no uint8 dtype, so the codes are a
// TensorFlow tensor tfjs only carries (tfjs-node shows it as int32): only the ops here, which
// name their uint8 type, may read it. Rows come back as float32 equal bit for bit to the
// values coded (a gather of the table), so every consumer computes what it computed before.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import { byteCodebook } from '../data/codebook';
import type { NativeBackend, OpAttr } from './ops';

/** An input as codes on the device and the values they stand for. */
export interface CodedInput {
  /** uint8 [n, ...shape] (tfjs calls it int32: never hand it to a tfjs op). */
  codes: TF.Tensor;
  /** float32 [k], k <= 256. */
  book: TF.Tensor;
}

interface ByteBackend extends NativeBackend {
  binding: NativeBackend['binding'] & { TF_UINT8: number; createTensor(shape: number[], dtype: number, values: Uint8Array): number };
  createOutputTensor(metadata: { id: number; shape: number[]; dtype: number }): TF.Tensor;
}

/**
 * The values coded on the device, or undefined when they take more than 256 distinct values (or
 * the backend is not native TensorFlow). `overwrite`: the codes are made over the values' own
 * memory (codebook.ts), for values nothing reads again.
 */
export function uploadCoded(tf: Tf, values: Float32Array, shape: number[], overwrite = false): CodedInput | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const coded = byteCodebook(values, overwrite ? new Uint8Array(values.buffer, values.byteOffset, values.length) : undefined);
  if (!coded) return undefined;
  const be = tf.backend() as unknown as ByteBackend;
  // The binding copies the bytes into a TensorFlow tensor now; the host array can go.
  const id = be.binding.createTensor(shape, be.binding.TF_UINT8, coded.codes);
  return { codes: be.createOutputTensor({ id, shape, dtype: be.binding.TF_UINT8 }), book: tf.tensor1d(coded.book, 'float32') };
}

/** These rows (int32 [k]) of a coded input, as float32 [k, ...shape]. */
export function codedRows(tf: Tf, input: CodedInput, rows: TF.Tensor): TF.Tensor {
  const be = tf.backend() as unknown as ByteBackend;
  const b = be.binding;
  const type = (name: string, value: number): OpAttr => ({ name, type: b.TF_ATTR_TYPE, value });
  // TensorFlow's own GatherV2 by name: tfjs-node's gather reads every index back to the host to
  // check it (a block of 2,000 images: 1.6 million indices), and cannot name the uint8 type.
  const gather = (params: TF.Tensor, indices: TF.Tensor, dtype: number, axis: TF.Tensor) => be.executeSingleOutput('GatherV2',
    [type('Tparams', dtype), type('Tindices', b.TF_INT32), type('Taxis', b.TF_INT32), { name: 'batch_dims', type: b.TF_ATTR_INT, value: 0 }], [params, indices, axis]);
  // Each intermediate is freed as soon as the next one exists (an evaluation block of 2,000
  // images: 1.6 MB of codes, 6.3 MB of int32 indices, 6.3 MB of values), not at the end.
  const axis = tf.scalar(0, 'int32');
  const picked = gather(input.codes, rows, b.TF_UINT8, axis);
  const index = be.executeSingleOutput('Cast', [type('SrcT', b.TF_UINT8), type('DstT', b.TF_INT32), { name: 'Truncate', type: b.TF_ATTR_BOOL, value: false }], [picked]);
  picked.dispose();
  const values = gather(input.book, index, b.TF_FLOAT, axis);
  tf.dispose([index, axis]);
  return values;
}

/** Rows start .. start + size - 1 of a coded input, as float32. */
export function codedRange(tf: Tf, input: CodedInput, start: number, size: number): TF.Tensor {
  return tf.tidy(() => codedRows(tf, input, tf.range(start, start + size, 1, 'int32')));
}
