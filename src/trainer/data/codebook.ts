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

/** Slots of the open-addressing table of distinct values: twice the most it may hold, so probes stay short. */
const SLOTS = 512;

/**
 * The values as codes and their table, or undefined when they take more than 256 distinct values.
 * `into`: where the codes go (default a new array). It may be the values' own memory, a
 * Uint8Array over their first quarter, when nothing reads them as values afterwards (a run's
 * uploaded features, released next): the host then holds no second array while the device
 * copy is made (digits-parity: 6.3 MB less at the run's upload peak). Code i is written after
 * value i is read, over values before it only; when the values turn out to take more than 256
 * distinct values, those overwritten are written back, bit for bit.
 */
export function byteCodebook(values: Float32Array, into?: Uint8Array): Codebook | undefined {
  // Compared by their bits: -0 and 0, and any NaN, stay what they were. A typed hash table of
  // int32 bits, not a Map: 6.3 million values, a fifth of them differing from the one before,
  // took 47-57 ms of CPU against 83-89 ms with a Map (the run's start-up pays it once).
  if (into && (into.length !== values.length || (into.buffer === values.buffer && into.byteOffset !== values.byteOffset))) {
    throw new Error('byteCodebook: the codes go into an array of the values\' length, or over the values from their first byte');
  }
  const bits = new Int32Array(values.buffer, values.byteOffset, values.length);
  const n = bits.length;
  const keys = new Int32Array(SLOTS);
  /** A slot's code + 1; 0 where the slot is free (one read tells both). */
  const slotCode = new Uint16Array(SLOTS);
  const book = new Int32Array(256);
  let count = 0;
  const codes = into ?? new Uint8Array(n);
  let i = 0;
  while (i < n) {
    const v = bits[i]!;
    let h = Math.imul(v, 0x9e3779b1) >>> 23;
    let s = slotCode[h]!;
    while (s !== 0 && keys[h] !== v) {
      h = (h + 1) & (SLOTS - 1);
      s = slotCode[h]!;
    }
    if (s === 0) {
      if (count === 256) return restore(bits, codes, book, i);
      keys[h] = v;
      book[count] = v;
      s = ++count;
      slotCode[h] = s;
    }
    const code = s - 1;
    // A run of equal values (an image's background) in a loop of its own, no lookup: digits-parity's
    // training split in one cold call, as a run makes it, 27-31 ms of CPU against 35-40 with a test per value.
    do codes[i++] = code; while (i < n && bits[i] === v);
  }
  return { codes, book: new Float32Array(book.buffer, 0, count) };
}

/** Values 0 .. end - 1 written back from their codes, last first (value j's bytes hold codes j*4 .. j*4+3: its own, read first, and later ones, already written back). */
function restore(bits: Int32Array, codes: Uint8Array, book: Int32Array, end: number): undefined {
  if (codes.buffer !== bits.buffer) return undefined;
  for (let j = end - 1; j >= 0; j--) bits[j] = book[codes[j]!]!;
  return undefined;
}
