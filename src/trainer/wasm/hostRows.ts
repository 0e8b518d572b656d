// Batches cut on the host for the WebAssembly backend. There the "device" is the wasm heap,
// plain process memory, but tfjs-backend-wasm's Gather copies element by element and its
// Slice copies the whole source tensor out of the heap for every slice it cuts (readSync),
// so the gather + split of a block of batches (batches.ts) cost more CPU per epoch of the
// reference workload than the training steps themselves (profiled: 1.4 s in Gather and
// 2.1 s in Slice's read-backs against about 1.5 s of steps). Here each row is one copy
// from a view of the heap, and each batch one upload.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';

interface HeapBackend { typedArrayFromHeap?(t: TF.TensorInfo): Float32Array }

/** A view of `x` in the wasm heap, or undefined where the backend's own ops serve better (any backend but wasm, or not float32). */
function heapView(tf: Tf, x: TF.Tensor): Float32Array | undefined {
  if (tf.getBackend() !== 'wasm' || x.dtype !== 'float32') return undefined;
  const backend = tf.backend() as unknown as HeapBackend;
  return typeof backend.typedArrayFromHeap === 'function' ? backend.typedArrayFromHeap(x) : undefined;
}

/** The rows `order` of `x`, cut into batches of `sizes`, or undefined off wasm. */
export function hostRowBatches(tf: Tf, x: TF.Tensor, order: Int32Array, sizes: readonly number[]): TF.Tensor[] | undefined {
  // A view of the heap is valid until the heap grows, which any allocation may do: every
  // batch is copied out before the first tensor is made.
  const heap = heapView(tf, x);
  if (!heap) return undefined;
  const width = x.shape[0] ? x.size / x.shape[0] : 0;
  let next = 0;
  const host = sizes.map((size) => {
    const rows = new Float32Array(size * width);
    for (let i = 0; i < size; i++) {
      const r = order[next++]!;
      rows.set(heap.subarray(r * width, (r + 1) * width), i * width);
    }
    return rows;
  });
  return host.map((rows, j) => tf.tensor(rows, [sizes[j]!, ...x.shape.slice(1)], 'float32'));
}

/** Rows start..start+size-1 of `x` (what `x.slice(start, size)` gives), or undefined off wasm. */
export function hostRowRange(tf: Tf, x: TF.Tensor, start: number, size: number): TF.Tensor | undefined {
  const heap = heapView(tf, x);
  if (!heap) return undefined;
  const width = x.shape[0] ? x.size / x.shape[0] : 0;
  return tf.tensor(heap.slice(start * width, (start + size) * width), [size, ...x.shape.slice(1)], 'float32');
}
