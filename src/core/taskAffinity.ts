// Inter-task affinity by lookahead (issue 14 item 2; Fifty et al. 2021, "Efficiently
// Identifying Task Groupings via Inter-Task Affinities", NeurIPS, eq. 3): on a batch, a step
// of the shared parameters on task i's loss alone (θ_s' = θ_s − lr · ∇θ_s L_i, the task's own
// parameters unchanged), then for every task j
//   Z_{i→j} = 1 − L_j(θ_s') / L_j(θ_s),
// positive when i's step also lowers j's loss. Averaged over the measured steps of training.
// Groupings (their section 3.3, with groups that partition the tasks): a task's score in a
// group is the mean affinity onto it from the group's other tasks (0 alone in its group); a
// grouping's score is the sum over tasks; for each number of groups 2..T−1 the best grouping
// is found by trying every partition (T ≤ 8: at most 4,140). Pure: the trainer's
// insight/taskAffinity.ts computes the losses.

export interface TaskAffinitySpec {
  /** Measure every this many optimizer steps (default AFFINITY_DEFAULT_EVERY). */
  every?: number;
}

/** One lookahead costs a backward pass and T forward passes per task: every 10 steps by default. */
export const AFFINITY_DEFAULT_EVERY = 10;

/** Exhaustive search over partitions up to this many tasks. */
export const AFFINITY_MAX_TASKS = 8;

/** Z[i][j] = 1 − after[i][j] / before[j]: after[i][j] is task j's loss after a step on task i's loss alone. */
export function lookaheadAffinity(before: number[], after: number[][]): number[][] {
  return after.map((row) => row.map((l, j) => 1 - l / before[j]!));
}

/** Averages the affinity matrices of the measured steps (entries that are not finite are skipped). */
export class AffinityTally {
  private readonly sum: number[][];
  private readonly count: number[][];
  measurements = 0;

  constructor(readonly tasks: string[]) {
    this.sum = tasks.map(() => tasks.map(() => 0));
    this.count = tasks.map(() => tasks.map(() => 0));
  }

  add(z: number[][]): void {
    this.measurements++;
    z.forEach((row, i) => row.forEach((v, j) => { if (Number.isFinite(v)) { this.sum[i]![j]! += v; this.count[i]![j]! += 1; } }));
  }

  mean(): number[][] {
    return this.sum.map((row, i) => row.map((s, j) => (this.count[i]![j]! ? s / this.count[i]![j]! : NaN)));
  }
}

export interface Grouping {
  groups: string[][];
  score: number;
}

/** What the run keeps (summary.json, the report). matrix[i][j] is Z_{i→j}. */
export interface TaskAffinitySummary {
  every: number;
  measurements: number;
  tasks: string[];
  matrix: number[][];
  /** The best grouping for each number of groups 2..T−1 (none for two tasks, or more than AFFINITY_MAX_TASKS). */
  groupings: Grouping[];
}

/** Score of a partition (groups of task indices): Σ over tasks of the mean affinity onto it from its group's other tasks. */
export function groupingScore(z: number[][], groups: number[][]): number {
  let total = 0;
  for (const g of groups) {
    if (g.length < 2) continue;
    for (const j of g) {
      const others = g.filter((i) => i !== j);
      total += others.reduce((s, i) => s + (Number.isFinite(z[i]![j]!) ? z[i]![j]! : 0), 0) / others.length;
    }
  }
  return total;
}

/** Every partition of 0..n−1 into k non-empty groups (restricted growth strings). */
function* partitions(n: number, k: number): Generator<number[][]> {
  const assign = new Array<number>(n).fill(0);
  function* place(i: number, used: number): Generator<number[][]> {
    if (i === n) {
      if (used === k) yield Array.from({ length: k }, (_, g) => assign.flatMap((a, t) => (a === g ? [t] : [])));
      return;
    }
    for (let g = 0; g < Math.min(used + 1, k); g++) {
      if (n - i - 1 < k - Math.max(used, g + 1)) continue; // too few tasks left to fill the remaining groups
      assign[i] = g;
      yield* place(i + 1, Math.max(used, g + 1));
    }
  }
  yield* place(0, 0);
}

/** The best partition into k groups for each k in 2..T−1 (ties: the first found). */
export function bestGroupings(tasks: string[], z: number[][]): Grouping[] {
  if (tasks.length > AFFINITY_MAX_TASKS) return [];
  const out: Grouping[] = [];
  for (let k = 2; k < tasks.length; k++) {
    let best: Grouping | undefined;
    for (const p of partitions(tasks.length, k)) {
      const score = groupingScore(z, p);
      if (!best || score > best.score + 1e-12) best = { groups: p.map((g) => g.map((i) => tasks[i]!)), score };
    }
    if (best) out.push(best);
  }
  return out;
}

const AFFINITY_ARROW = '>';

/** The MetricPoint task of the affinity of task i onto task j. */
export const affinityTask = (from: string, onto: string): string => `${from}${AFFINITY_ARROW}${onto}`;
