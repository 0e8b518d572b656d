// Typed arrays whose memory V8 maps itself, page by page, instead of taking it from malloc
// (resizable ArrayBuffers, ES2024, Node 20+; WebAssembly memories), with two properties the
// data layer uses:
// - the memory starts on a page boundary: the native TensorFlow backend (TF_NewTensor) then
//   uses a tensor's values in place, where it copies values that are not 64-byte aligned (a
//   million-row feature matrix would be held twice during training);
// - shrinking the buffer returns the pages to the system at once (columnTable.ts gives a
//   table's storage back as it is turned into a matrix), with no wait for a garbage collection.

/** ES2024's resizable ArrayBuffer (the project's TypeScript lib is ES2022). */
export interface ResizableBuffer extends ArrayBuffer { resize(byteLength: number): void }
export const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;

const WASM_PAGE = 65536;
const WASM_MAX_PAGES = 65536;

/**
 * A zero-filled Float32Array of `length` values whose memory starts on a page boundary: in a
 * WebAssembly memory, also mapped by V8 itself, whose views are plain typed arrays (V8's code
 * for views of resizable buffers is slower, and a matrix is read and written many times).
 * A WebAssembly memory reserves gigabytes of address space: under a limit (ulimit -v), or
 * beyond its 4 GB, a resizable buffer of the exact size, still page-aligned.
 */
export function pageAlignedFloat32(length: number): Float32Array {
  const bytes = length * Float32Array.BYTES_PER_ELEMENT;
  const pages = Math.ceil(bytes / WASM_PAGE);
  if (pages > 0 && pages <= WASM_MAX_PAGES) {
    try {
      return new Float32Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, length);
    } catch {
      // Address space refused: the resizable buffer below reserves only what it holds.
    }
  }
  return new Float32Array(new ResizableArrayBuffer(bytes, { maxByteLength: Math.max(bytes, 1) }), 0, length);
}
