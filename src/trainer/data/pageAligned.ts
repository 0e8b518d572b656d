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
 * Beyond 4 GB (a WebAssembly memory's limit), an ordinary array.
 */
export function pageAlignedFloat32(length: number): Float32Array {
  const pages = Math.ceil((length * Float32Array.BYTES_PER_ELEMENT) / WASM_PAGE);
  if (pages === 0 || pages > WASM_MAX_PAGES) return new Float32Array(length);
  return new Float32Array(new WebAssembly.Memory({ initial: pages, maximum: pages }).buffer, 0, length);
}
