// What the network looks at (issue 14 item 3), per task:
// - saliency of chosen test examples, by gradient × input (aᵢ = xᵢ · ∂s/∂xᵢ) and by integrated
//   gradients (Sundararajan et al. 2017: aᵢ = (xᵢ − x′ᵢ) · ∫₀¹ ∂s/∂xᵢ (x′ + α(x − x′)) dα from a
//   baseline x′, whose attributions add up to s(x) − s(x′): completeness). The integral is taken
//   by the trapezoidal rule on m steps (m + 1 points, the ends weighted ½): on a tanh network
//   the paper's right Riemann sum missed completeness by 13 % at m = 64, the trapezoid by 0.001 %.
//   s is the task's score: the logit of the class the
//   model predicts for the example (classification; for one sigmoid unit its logit), or the
//   output value (regression);
// - for tabular inputs, each feature's mean |gradient × input| over the test split (a ranking);
// - which shared units each task relies on: the mean over test examples of |∂L_t/∂h_u| for
//   every unit u of every shared layer, so that units used by one task only, by several or by
//   none can be told apart.

export interface ExplainSpec {
  /** The first N test examples are explained (default 3). */
  examples?: number;
  /** Integrated gradients' steps m (default 32). */
  steps?: number;
  /** Integrated gradients' baseline x′: zeros (a black image, features at their training mean after z-scoring) or the test inputs' mean. */
  baseline?: 'zeros' | 'mean';
}

export const EXPLAIN_DEFAULTS = { examples: 3, steps: 32, baseline: 'zeros' as const };

export type AttributionMethod = 'gradientInput' | 'integratedGradients';

/** One example's attribution for one task and input, flattened in the input's shape. */
export interface Saliency {
  task: string;
  /** Row of the test split. */
  example: number;
  input: string;
  shape: number[];
  method: AttributionMethod;
  values: number[];
  /** The input itself (to draw it beside its heatmap). */
  x: number[];
  /** s(x), and for integrated gradients s(x′): the attributions add up to their difference. */
  score: number;
  baselineScore?: number;
  /** Class whose logit is s (classification). */
  class?: number;
}

/** A tabular input's features ranked by mean |gradient × input| over the test split, per task. */
export interface FeatureImportance { task: string; input: string; features: Array<{ name: string; meanAbs: number }> }

/** Mean |∂L_t/∂h_u| over the test split for each unit u of a shared layer, per task. */
export interface UnitReliance { layer: string; tasks: Record<string, number[]> }

export interface Explanation {
  steps: number;
  baseline: 'zeros' | 'mean';
  saliency: Saliency[];
  features: FeatureImportance[];
  units: UnitReliance[];
}

/** A unit counts as used by a task when its reliance is at least this share of the layer's largest for that task. */
export const UNIT_USE_SHARE = 0.1;

/** Per unit of a shared layer, the tasks that use it (task order of `r.tasks`; empty: used by none). */
export function unitUsers(r: UnitReliance): string[][] {
  const tasks = Object.keys(r.tasks);
  const max = Object.fromEntries(tasks.map((t) => [t, Math.max(0, ...r.tasks[t]!)]));
  const units = r.tasks[tasks[0]!]?.length ?? 0;
  return Array.from({ length: units }, (_, u) => tasks.filter((t) => max[t]! > 0 && r.tasks[t]![u]! >= UNIT_USE_SHARE * max[t]!));
}

/** Per shared layer: how many units each combination of tasks uses ("a", "a+b", "none"). */
export function unitUse(r: UnitReliance): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const users of unitUsers(r)) {
    const key = users.length ? users.join('+') : 'none';
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** How a set of users reads: "digit only", "both" / "all" (every task), "digit and parity", "none". */
export function unitUsersLabel(users: readonly string[], taskCount: number): string {
  if (!users.length) return 'none';
  if (users.length === 1) return `${users[0]} only`;
  if (users.length === taskCount) return taskCount === 2 ? 'both' : 'all';
  return `${users.slice(0, -1).join(', ')} and ${users[users.length - 1]}`;
}

/** The order of sets of users ("digit+parity", "none") in legends and counts: one task alone first (task order), then by more tasks, none last. */
export function compareUsers(a: string, b: string, tasks: readonly string[]): number {
  if (a === b) return 0;
  if (a === 'none' || b === 'none') return a === 'none' ? 1 : -1;
  const x = a.split('+').map((t) => tasks.indexOf(t)), y = b.split('+').map((t) => tasks.indexOf(t));
  if (x.length !== y.length) return x.length - y.length;
  const k = x.findIndex((v, i) => v !== y[i]);
  return k < 0 ? 0 : x[k]! - y[k]!;
}

/** "trunk1: 128 units; 41 units used by digit only, 60 by both, 27 by none" (compareUsers' order). */
export function describeUnitUse(r: UnitReliance): string {
  const tasks = Object.keys(r.tasks);
  const counts = unitUse(r);
  const keys = Object.keys(counts).sort((a, b) => compareUsers(a, b, tasks));
  const units = unitUsers(r).length;
  const parts = keys.map((k, i) => `${counts[k]} ${i === 0 ? `unit${counts[k] === 1 ? '' : 's'} used by ` : 'by '}${unitUsersLabel(k === 'none' ? [] : k.split('+'), tasks.length)}`);
  return `${r.layer}: ${units} unit${units === 1 ? '' : 's'}; ${parts.join(', ')}`;
}
