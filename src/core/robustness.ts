// Robustness of sharing (issue 14 item 5): accuracy (or error) under adversarial perturbations
// of the test inputs, per task, for the shared model and each single-task baseline, including
// attacks crafted on one task's loss and measured on the others: does an attack on one task
// transfer through the shared trunk? The attacks, on the inputs as the model sees them (after
// the data's preprocessing), within an L∞ ball of radius ε and the test inputs' own range:
// - FGSM (Goodfellow et al. 2015): x' = clip(x + ε · sign(∇ₓ L_a(x)));
// - PGD (Madry et al. 2018): from a uniform random start in the ball, k steps of
//   x ← Π(x + α · sign(∇ₓ L_a(x))) with α = 2.5 ε / k, Π the projection onto the ball ∩ range.
import type { TaskMetrics } from './stats/repeated';

export type AttackKind = 'fgsm' | 'pgd';

export interface RobustnessSpec {
  /** Radii of the L∞ ball, in the model's input units (after scaling); 0 (clean) is always measured. */
  epsilons?: number[];
  attacks?: AttackKind[];
  /** PGD steps (default 10). */
  pgdSteps?: number;
  /** Test examples attacked (the first ones of the test split; default 1,000). */
  examples?: number;
}

export const ROBUSTNESS_DEFAULTS = { epsilons: [0.01, 0.03, 0.1], attacks: ['fgsm', 'pgd'] as AttackKind[], pgdSteps: 10, examples: 1000 };

/** PGD's step size for radius ε and k steps (Madry et al. 2018: 2.5 ε / k, so k steps can cross the ball). */
export const pgdStepSize = (epsilon: number, steps: number): number => (2.5 * epsilon) / steps;

/** One measurement: the model ('shared' or a task's baseline), the attack, the task whose loss it climbs, ε, and every task's metrics on the attacked inputs. */
export interface RobustnessRecord {
  model: string;
  attack: AttackKind | 'none';
  /** Task whose loss the attack climbs ('' for the clean inputs). */
  on: string;
  epsilon: number;
  metrics: TaskMetrics;
}

export interface RobustnessResult {
  examples: number;
  pgdSteps: number;
  /** Per input: the range attacked inputs are clipped to (the test split's min and max). */
  ranges: Record<string, [number, number]>;
  records: RobustnessRecord[];
}
