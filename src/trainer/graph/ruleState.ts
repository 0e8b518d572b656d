// What a graph rule with state across steps (GradNorm: gradNormRule.ts) reads and adds besides
// the Gramian (graphRules.ts), in a module of its own so that the rule and the rules' table
// both import it without importing each other.

/**
 * `losses`: the batch's mean losses [k] (float32); into `updates` the rule puts the assignments
 * the step runs (after the coefficients are read), into `resets` those the `set` run runs (a new
 * phase starts afresh: trainGraph.ts).
 */
export interface RuleIo { losses: string; updates: string[]; resets: string[] }
