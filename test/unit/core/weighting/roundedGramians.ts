// Gramians as the trainer hands them to the solvers: float32 gradients, their inner products
// summed in float32 (so a Gramian of nearly dependent gradients can come out slightly
// indefinite, and one of tiny gradients is made of subnormal floats), with the exact float64
// Gramian of the same float32 gradients to check each method's property on.
import type { SeededRandom } from '../../../../src/core/random';

export interface RoundedGramian {
  /** What the case is, for failure messages. */
  label: string;
  /** G as the trainer computes it: float32 products and sums. */
  rounded: number[][];
  /** G of the same (float32) gradients in float64: the geometry the method must respect. */
  exact: number[][];
  /** max |rounded - exact| / max_i exact_ii (0 for zero gradients): how far rounding moved G. */
  rounding: number;
}

const f = Math.fround;

function gramians(rows: readonly Float32Array[]): Omit<RoundedGramian, 'label'> {
  const rounded = rows.map((a) => rows.map((b) => {
    let s = 0;
    for (let k = 0; k < a.length; k++) s = f(s + f(a[k]! * b[k]!));
    return s;
  }));
  const exact = rows.map((a) => rows.map((b) => a.reduce((s, x, k) => s + x * b[k]!, 0)));
  const top = Math.max(0, ...exact.map((row, i) => row[i]!));
  const rounding = top > 0 ? Math.max(...exact.flatMap((row, i) => row.map((x, j) => Math.abs(rounded[i]![j]! - x)))) / top : 0;
  return { rounded, exact, rounding };
}

/** The shapes of trouble: how the last task's gradient relates to the others'. */
export const SHAPES = ['opposed', 'dependent', 'random', 'one zero', 'all zero'] as const;
/** Gradient scales from subnormal Gramian entries (1e-21: squares near 1e-42) to 1e15 (entries near 1e32, below float32's 3.4e38). */
export const SCALES = [1e-21, 1e-12, 1, 1e6, 1e15] as const;

/**
 * One case: `tasks` gradients of `dims` float32 numbers at `scale`. "opposed": the last is
 * minus the sum of the others, to a relative 1e-6 (nearly collinear and opposed for two tasks);
 * "dependent": the last is a positive combination of the others, to 1e-6.
 */
export function roundedGramian(rng: SeededRandom, shape: (typeof SHAPES)[number], tasks: number, scale: number, dims = 64): RoundedGramian {
  const free = Array.from({ length: tasks - 1 }, () => Float32Array.from({ length: dims }, () => rng.normal() * scale));
  const mix = free.map(() => 0.2 + rng.next());
  const last = Float32Array.from({ length: dims }, (_, k) => {
    const noise = 1 + 1e-6 * rng.normal();
    switch (shape) {
      case 'opposed': return -free.reduce((s, g) => s + g[k]!, 0) * noise;
      case 'dependent': return free.reduce((s, g, i) => s + mix[i]! * g[k]!, 0) * noise;
      case 'random': return rng.normal() * scale;
      default: return 0;
    }
  });
  const rows = shape === 'all zero' ? Array.from({ length: tasks }, () => new Float32Array(dims)) : [...free, last];
  return { label: `${shape}, ${tasks} tasks, scale ${scale}`, ...gramians(rows) };
}

/** Every shape at every scale for 2..maxTasks tasks, one draw each. */
export function roundedGramians(rng: SeededRandom, minTasks: number, maxTasks: number): RoundedGramian[] {
  const out: RoundedGramian[] = [];
  for (let tasks = minTasks; tasks <= maxTasks; tasks++) {
    for (const shape of SHAPES) for (const scale of SCALES) out.push(roundedGramian(rng, shape, tasks, scale));
  }
  return out;
}
