// Seeded pseudo-random numbers: everything random in an experiment (data generation, splits,
// shuffling) comes from a seed, so the same spec gives the same run. Pure: usable everywhere.

/** mulberry32: a tiny 32-bit generator, good enough for shuffles and synthetic data. Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fills `out` with V = 1 - 2U for uniform numbers U in [0, 1) from mulberry32's stream from
 * `seed` (the same generator, inlined: a call per number would cost more than the number), two
 * numbers U of 16 bits from each 32-bit output (high half first): U = k / 2^16, so
 * V = (2^15 - k) / 2^15, exact in float32, in (-1, 1]. For many draws at once (GradDrop's one
 * per gradient coordinate per step: about 10^5), where TensorFlow's native generator costs 2-3
 * times more per number and a whole output per number about 1.5-2 times more. Why V and not U:
 * GradDrop's test P > U is S + V A > 0 (core/weighting/gradDropDirection.ts), one multiply-add
 * on the draws.
 */
export function fillSymmetric(out: Float32Array, seed: number): Float32Array {
  let a = seed >>> 0;
  for (let i = 0; i < out.length; i += 2) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= (t + Math.imul(t ^ (t >>> 7), t | 61)) | 0;
    t ^= t >>> 14;
    out[i] = (32768 - (t >>> 16)) * 3.0517578125e-5; // 2^-15
    if (i + 1 < out.length) out[i + 1] = (32768 - (t & 0xffff)) * 3.0517578125e-5;
  }
  return out;
}

/**
 * A seed for an independent stream derived from a base seed and labels, e.g.
 * deriveSeed(7, 'split') and deriveSeed(7, 'shuffle') never share a sequence (FNV-1a + mix).
 */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  h = Math.imul(h, 0x01000193);
  for (const label of labels) {
    const s = `\u0000${String(label)}`;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  // Final avalanche so nearby inputs give unrelated seeds.
  h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class SeededRandom {
  private readonly next01: () => number;
  private spare: number | undefined;

  constructor(seed: number) {
    // Mix the seed first: small consecutive seeds (0, 1, 2) would otherwise start alike.
    this.next01 = mulberry32(deriveSeed(seed));
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next01();
  }

  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number {
    return Math.floor(this.next01() * maxExclusive);
  }

  /** Gaussian sample (Box-Muller; the second value of each pair is kept for the next call). */
  normal(mean = 0, std = 1): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next01(); // log(0) would be -Infinity
    const v = this.next01();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates shuffle in place (an array or a typed array); returns the same array. */
  shuffle<A extends { length: number; [index: number]: unknown }>(items: A): A {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}
