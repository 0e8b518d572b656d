// Features that take at most 256 distinct values (digits' pixels, images of bytes, 0/1
// indicators) as one byte each and a table of the values: a quarter of their float32 size. The
// table holds the float32 values themselves (their bits, as preprocessing left them), so
// looking a code up gives back exactly the value it stands for, whatever the preprocessing
// was: nothing is re-derived, no rounding can differ. Used for the training split on the
// device (native/byteInputs.ts), the largest array of a run.

/** Codes of 0..255 and the value each stands for. */
export interface Codebook {
  codes: Uint8Array;
  /** values[i] is book[codes[i]], bit for bit. */
  book: Float32Array;
}

/** The values as codes and their table, or undefined when they take more than 256 distinct values. */
export function byteCodebook(values: Float32Array): Codebook | undefined {
  // Compared by their bits: -0 and 0, and any NaN, stay what they were.
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const codeOf = new Map<number, number>();
  const codes = new Uint8Array(values.length);
  let last = -1;
  let lastCode = 0;
  for (let i = 0; i < bits.length; i++) {
    const v = bits[i]!;
    // Neighbouring values are often equal (an image's background): one comparison, no lookup.
    if (v !== last) {
      let code = codeOf.get(v);
      if (code === undefined) {
        if (codeOf.size === 256) return undefined;
        code = codeOf.size;
        codeOf.set(v, code);
      }
      last = v;
      lastCode = code;
    }
    codes[i] = lastCode;
  }
  const book = new Float32Array(new Uint32Array([...codeOf.keys()]).buffer);
  return { codes, book };
}
