// How many Newton steps Nash-MTL's scaled bargaining equation x o Cx = 1 takes (graph/nashRule.ts),
// in float64 in JavaScript, with the step the graph rule takes (the ray's scaling, then the full
// Newton step with its factor kept in [1e-6, 2]) against the damped one it took before (Nesterov's
// t = 1 / (1 + lambda), the full step once lambda < 0.5), on three sets of Gramians: hard ones (the
// ones test/unit/trainer/nashRule.test.ts checks, hardGradients.ts: nearly opposed tasks, scales 1e-3 to 1e3), random
// ones (8 dimensions), and mostly agreeing ones (a common direction plus each task's own part, as a
// run's representation gradients). Counts only the Gramians whose solution lies within the bound
// MAX_ALPHA_GAIN (the others end at the rule's fallback whatever the steps), and checks each
// answer against the core solver's (reciprocalSystem.ts) within 1e-7. Counts, not times: no load
// dependence. `node out/bench/nashNewtonSteps.js [count=3000]`
import { SeededRandom } from '../src/core/random';
import { hardGradients } from './hardGradients';
import { MAX_ALPHA_GAIN } from '../src/core/weighting/nashMtl';
import { solveReciprocalSystem } from '../src/core/weighting/reciprocalSystem';
import { solveLinear } from '../src/core/weighting/solvers';

type Matrix = number[][];
const gramianOf = (J: Matrix): Matrix => J.map((a) => J.map((b) => a.reduce((s, v, i) => s + v * b[i]!, 0)));
const times = (C: Matrix, x: readonly number[]) => C.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));

/** Hard Gramians of k tasks (bench/hardGradients.ts, as nashRule.test.ts checks the rule on), in float64. */
const hard = (random: SeededRandom, k: number, count: number): Matrix[] => hardGradients(random, k, count).map(gramianOf);

const random8 = (random: SeededRandom, k: number, count: number): Matrix[] =>
  Array.from({ length: count }, () => gramianOf(Array.from({ length: k }, () => Array.from({ length: 8 }, () => random.next() * 2 - 1))));

/** A common direction (weight 0 to 1) plus each task's own part (sizes e^-1 to e^1), 64 dimensions. */
function agreeing(random: SeededRandom, k: number, count: number): Matrix[] {
  return Array.from({ length: count }, () => {
    const base = Array.from({ length: 64 }, () => random.next() * 2 - 1);
    const a = random.next();
    return gramianOf(Array.from({ length: k }, () => {
      const size = Math.exp(2 * (random.next() - 0.5));
      return base.map((v) => a * v + (random.next() * 2 - 1) * size);
    }));
  });
}

/** Steps to max |x_i (C x)_i - 1| <= 1e-9 from x = 1 (at most 60), and the x reached. */
function steps(C: Matrix, damped: boolean): { steps: number; x: number[] } {
  const k = C.length;
  let x = new Array<number>(k).fill(1);
  const residual = () => { const cx = times(C, x); return Math.max(...x.map((v, i) => Math.abs(v * cx[i]! - 1))); };
  let n = 0;
  for (; n < 60 && residual() > 1e-9; n++) {
    let cx = times(C, x);
    const q = x.reduce((s, v, i) => s + v * cx[i]!, 0);
    if (q > 0) x = x.map((v) => v * Math.sqrt(k / Math.max(q, 1e-6 * k)));
    cx = times(C, x);
    const rhs = x.map((v, i) => v * cx[i]! - 1);
    // X C X + I is positive definite: LU with partial pivoting (MatrixSolve's), never refused.
    const y = solveLinear(C.map((row, i) => row.map((v, j) => x[i]! * x[j]! * v + (i === j ? 1 : 0))), rhs, 0)!;
    const lambda = Math.sqrt(Math.max(rhs.reduce((s, v, i) => s + v * y[i]!, 0), 0));
    const t = damped && lambda >= 0.5 ? 1 / (1 + lambda) : 1;
    x = x.map((v, i) => v * Math.min(Math.max(1 - t * y[i]!, 1e-6), 2));
  }
  return { steps: n, x };
}

function main() {
  const count = Number(process.argv[2] ?? 3000);
  const random = new SeededRandom(17);
  const sets: Record<string, Matrix[]> = {
    'hard, 4 tasks': hard(random, 4, 2 * count), 'hard, 3 tasks': hard(random, 3, count),
    'random, 4 tasks': random8(random, 4, count), 'agreeing, 4 tasks': agreeing(random, 4, count),
  };
  for (const [name, gramians] of Object.entries(sets)) {
    // Scaled (unit diagonal, the core rule's ridge), and the core solver's x_i = alpha_i |g_i|.
    const scaled = gramians.map((G) => G.map((row, i) => row.map((v, j) => v / Math.sqrt(G[i]![i]! * G[j]![j]!) + (i === j ? 1e-12 : 0))));
    const want = gramians.map((G) => solveReciprocalSystem(G)!.map((a, i) => a * Math.sqrt(G[i]![i]!)));
    const within = want.map((x) => Math.max(...x) <= MAX_ALPHA_GAIN);
    console.log(`${name}: ${within.filter(Boolean).length} of ${gramians.length} solvable within the bound`);
    for (const damped of [false, true]) {
      const runs = scaled.map((C, c) => (within[c] ? steps(C, damped) : undefined));
      const taken = runs.flatMap((r) => (r ? [r.steps] : [])).sort((a, b) => a - b);
      const wrong = runs.filter((r, c) => r && r.x.some((v, i) => Math.abs(v - want[c]![i]!) > 1e-7 * want[c]![i]!)).length;
      const mean = taken.reduce((s, v) => s + v, 0) / taken.length;
      console.log(`  ${damped ? 'damped (before)' : 'full step (now)'}: mean ${mean.toFixed(2)} steps, median ${taken[taken.length >> 1]}, 99th percentile ${taken[Math.floor(taken.length * 0.99)]}, most ${taken[taken.length - 1]}; away from the core solver's x: ${wrong}`);
    }
  }
}

main();
