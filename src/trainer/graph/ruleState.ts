// What a graph rule writes with and what it reads and adds besides the Gramian (graphRules.ts):
// the float64 ops (RuleOps), the batch's losses (GradNorm: gradNormRule.ts), the task orders fed
// each step (PCGrad, GradVac: taskOrders.ts), its state's writes and resets (GradNorm's weights,
// GradVac's targets), in a module of its own so that the rules and the rules' table import it
// without importing each other.
import type { GraphBuilder } from './graphDef';

/** The float64 ops a rule is written with, named under its prefix `at` (graphRules.ts builds them). */
export interface RuleOps {
  readonly g: GraphBuilder;
  readonly at: string;
  readonly k: number;
  c(value: number, shape?: number[]): string;
  ints(values: number[]): string;
  bin(op: string, a: string, b: string): string;
  un(op: string, a: string): string;
  gt(a: string, b: string): string;
  select(cond: string, a: string, b: string): string;
  reduce(op: 'Sum' | 'Max' | 'Min', a: string, axes?: number[]): string;
  reshape(a: string, shape: number[]): string;
  diag(A: string): string;
  /** The same ops on another builder under `at` (a loop's body: nashRule.ts). */
  within(g: GraphBuilder, at: string): RuleOps;
}

export interface RuleIo {
  /** The batch's mean losses [k] (float32), for a rule that reads them. */
  losses?: string;
  /** An int32 [k (k - 1)] placeholder fed every step: the task orders (taskOrders.ts visitRounds). */
  orders?: string;
  /** Nodes every step runs (after the coefficients are read): the rule's state for the next step. */
  updates: string[];
  /** Nodes the `set` run runs (a new phase starts afresh: trainGraph.ts): the rule's state at its start. */
  resets: string[];
  /** The native rule ops the session's binding registered (ruleKernels.ts); a rule uses its op only when listed. */
  kernels?: readonly string[];
  /** Set by a rule that ran as its native op: the op's name (the run log says which ran: graphStep.ts). */
  kernel?: string;
}
