// GradNorm (Chen et al., ICML 2018, Algorithm 1; the core rule src/core/weighting/gradnorm.ts) as
// graph ops, so that its fused step is one session call (graphRules.ts): the rule is a few
// numbers on the Gramian's diagonal and the batch's mean losses, but in JavaScript it needed
// them read back after a first call and the coefficients fed to a second.
// Its state lives in session variables (float64, as the core rule's numbers): the task weights
// w (1 each at the start), the first losses L_i(0) and whether they are taken. The step's
// coefficients are w(t) as read at its start; within the same run the rule works out w(t+1):
//   ||g_i|| = sqrt(max(0, G_ii)),  G_i = w_i ||g_i||,  r_i = (L_i / L_i(0)) / mean_known(L_j / L_j(0)),
//   w_i <- max(floor, w_i - lr sign(G_i - mean(G) r_i^alpha) ||g_i||),  then scaled to sum to k,
// with the core rule's degenerate cases: L_i(0) is the loss of the phase's first step, so that
// step's rates are 1; a first loss of 0 (or a rate that is not finite) gives no rate and such a
// task trains at the mean rate (r_i = 1), as do all when the known rates' mean is not positive
// (or none is known). The `set` run (a new phase: trainGraph.ts) puts w back to 1 and forgets
// L(0), as a new phase's rule starts afresh (weighting/index.ts makes one per phase).
// Checked against the core rule step by step (test/unit/trainer/graphRules.test.ts).
import { GRADNORM_FLOOR } from '../../core/weighting/gradnorm';
import type { Attr } from './graphDef';
import type { RuleIo, RuleOps } from './ruleState';

const D: Attr = { type: 'double' };
const F: Attr = { type: 'float' };
const BOOL: Attr = { type: 'bool' };

/** GradNorm's coefficients w(t) [k] (float64) from the Gramian `G` [k, k] (float64); adds w(t+1)'s assignments to `io.updates`. */
export function gradNorm(r: RuleOps, G: string, io: RuleIo, params: Readonly<Record<string, unknown>>): string {
  const { g, k } = r;
  const at = `${r.at}/gradnorm`;
  const variable = (name: string, shape: number[]) => g.op('VarHandleOp', [], { dtype: D, shape: { shape }, container: { s: '' }, shared_name: { s: `rule/gradnorm/${name}` } }, `${at}/var_${name}`);
  /** An assignment after `after` (a read of the same run: within one run only data and control edges order a read and a write). */
  const assign = (handle: string, value: string, name: string, after: string[] = []) => g.op('AssignVariableOp', [handle, value, ...after.map((n) => `^${n}`)], { dtype: D }, `${at}/${name}`);
  const read = (handle: string, name: string) => g.op('ReadVariableOp', [handle], { dtype: D }, `${at}/${name}`);
  const weights = variable('weights', [k]);
  const initial = variable('initial_losses', [k]);
  const taken = variable('initial_taken', []);
  io.resets.push(assign(weights, r.c(1, [k]), 'reset_weights'), assign(initial, r.c(0, [k]), 'reset_initial_losses'), assign(taken, r.c(0), 'reset_initial_taken'));

  const w = read(weights, 'weights');
  const losses = g.op('Cast', [io.losses!], { SrcT: F, DstT: D, Truncate: { b: false } }, `${at}/losses64`);
  // L(0): the first step's losses, kept from then on.
  const first = r.select(r.gt(read(taken, 'taken'), r.c(0)), read(initial, 'initial_losses'), losses);
  const norms = r.un('Sqrt', r.bin('Maximum', r.diag(G), r.c(0)));
  const weighted = r.bin('Mul', w, norms);
  const meanNorm = r.bin('RealDiv', r.reduce('Sum', weighted), r.c(k));
  // L_i / L_i(0) where L_i(0) > 0 and the ratio is finite; the others give no rate.
  const positive = r.gt(first, r.c(0));
  const ratio = r.bin('RealDiv', losses, r.select(positive, first, r.c(1, [k])));
  const known = g.op('LogicalAnd', [positive, g.op('IsFinite', [ratio], { T: D }, `${at}/finite`)], {}, `${at}/known`);
  const count = r.reduce('Sum', g.op('Cast', [known], { SrcT: BOOL, DstT: D, Truncate: { b: false } }, `${at}/known64`));
  const anyKnown = r.gt(count, r.c(0));
  const meanRate = r.select(anyKnown, r.bin('RealDiv', r.reduce('Sum', r.select(known, ratio, r.c(0, [k]))), r.select(anyKnown, count, r.c(1))), r.c(1));
  const scaled = r.gt(meanRate, r.c(0));
  const rates = r.select(g.op('LogicalAnd', [known, scaled], {}, `${at}/rated`), r.bin('RealDiv', ratio, r.select(scaled, meanRate, r.c(1))), r.c(1, [k]));
  const targets = r.bin('Mul', meanNorm, r.bin('Pow', rates, exact(r, Number(params.alpha))));
  const moved = r.bin('Sub', w, r.bin('Mul', exact(r, Number(params.learningRate)), r.bin('Mul', r.un('Sign', r.bin('Sub', weighted, targets)), norms)));
  const next = r.bin('Maximum', exact(r, GRADNORM_FLOOR), moved);
  const renormalised = r.bin('RealDiv', r.bin('Mul', r.c(k), next), r.reduce('Sum', next));
  // The assignment gives the variable a new buffer: the coefficients keep the read w(t).
  io.updates.push(assign(weights, renormalised, 'update_weights'), assign(initial, first, 'keep_initial_losses'), assign(taken, r.c(1), 'mark_initial_taken', [first]));
  return w;
}

/**
 * A float64 constant exactly (to float32's 48 bits twice over): the sum of its float32 rounding
 * and the rounding of the rest, since the graph's constants are float32 (a learning rate of 0.025
 * as float32 alone is off by 1.5e-8 relative, which GradNorm's steps would add up).
 */
function exact(r: RuleOps, value: number): string {
  const high = Math.fround(value);
  const low = Math.fround(value - high);
  return low === 0 ? r.c(high) : r.bin('AddV2', r.c(high), r.c(low));
}
