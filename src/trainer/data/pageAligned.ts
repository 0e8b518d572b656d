// Typed arrays in resizable ArrayBuffers (ES2024, Node 20+). V8 maps their memory itself, page
// by page, instead of taking it from malloc, which gives two properties the data layer uses:
// - the memory starts on a page boundary: the native TensorFlow backend (TF_NewTensor) then
//   uses a tensor's values in place, where it copies values that are not 64-byte aligned (a
//   million-row feature matrix would be held twice during training);
// - shrinking the buffer returns the pages to the system at once (columnTable.ts gives a
//   table's storage back as it is turned into a matrix), with no wait for a garbage collection.

/** ES2024's resizable ArrayBuffer (the project's TypeScript lib is ES2022). */
export interface ResizableBuffer extends ArrayBuffer { resize(byteLength: number): void }
export const ResizableArrayBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableBuffer;

/** A zero-filled Float32Array of `length` values whose memory starts on a page boundary. */
export function pageAlignedFloat32(length: number): Float32Array {
  const bytes = length * Float32Array.BYTES_PER_ELEMENT;
  return new Float32Array(new ResizableArrayBuffer(bytes, { maxByteLength: Math.max(bytes, 1) }), 0, length);
}
