// Seeded task gradients built to be hard for Nash-MTL's bargaining equation: the Gramians that
// test/unit/trainer/nashRule.test.ts checks the graph rule on and bench/nashNewtonSteps.ts counts
// Newton steps over. One generator for both; each caller forms the Gramian in its own precision
// (the test rounds it to float32 as the graph holds it, the bench keeps float64).
import type { SeededRandom } from '../src/core/random';

/**
 * `count` sets of k gradients: half random (2 to 7 dimensions, a common shift so that they often
 * agree, lengths e^-1.5 to e^1.5), half nearly opposed (the last gradient minus a positive
 * combination of the others, plus noise of size 1e-6 to 1), whose solutions run from x ~ 1 past
 * the bound; every gradient scaled by 10^-3 to 10^3.
 */
export function hardGradients(random: SeededRandom, k: number, count: number): number[][][] {
  return Array.from({ length: count }, (_, c) => {
    const dims = 2 + (c % 6);
    const scale = 10 ** (6 * random.next() - 3);
    const draw = () => Array.from({ length: dims }, () => random.next() * 2 - 1);
    let J: number[][];
    if (c % 2 === 0) {
      const shift = draw().map((v) => v * (c % 4) / 2);
      J = Array.from({ length: k }, () => draw().map((v, d) => (v + shift[d]!) * Math.exp(3 * (random.next() - 0.5))));
    } else {
      const others = Array.from({ length: k - 1 }, draw);
      const w = others.map(() => random.next() + 0.05);
      const noise = 10 ** (-6 * random.next());
      J = [...others, draw().map((v, d) => -others.reduce((s, row, i) => s + w[i]! * row[d]!, 0) + noise * v)];
    }
    return J.map((row) => row.map((v) => v * scale));
  });
}
