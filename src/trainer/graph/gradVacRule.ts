// GradVac (core/weighting/gradvac.ts, Wang et al. 2021, Algorithm 1) as graph ops on the
// Gramian, so that its fused step is one session call (graphRules.ts). As PCGrad's rule
// (pcGradRule.ts): task i's gradient as coefficients, row i of C, every task's walk one visit a
// round (taskOrders.ts). In a round, with j = J_i: n_i = sqrt(c_i^T G c_i), n_j = sqrt(G_jj),
// phi = <g_i^PC, g_j> / (n_i n_j) clipped to [-1, 1]; below the target phiHat_ij (with
// sqrt(1 - phiHat^2) > 0) C_ij grows by n_i (phiHat sqrt(1 - phi^2) - phi sqrt(1 - phiHat^2)) /
// (n_j sqrt(1 - phiHat^2)) (their eq. 3), and phiHat_ij becomes (1 - beta) phiHat_ij + beta phi;
// a zero n_i or n_j leaves both as they are. The same float64 arithmetic as the core rule,
// term by term, so a step gives its coefficients and targets.
// The targets are the rule's state across steps: a float64 [k, k] session variable, read at
// the step's start and written at its end (`io.updates`, run by every step), and set to 0 by
// the graph's "set" run (`io.resets`), which starts every phase, as a phase starts a new
// weighting whose targets start at 0 (weighting/index.ts makeWeighting). Only the coefficients
// are read back (on reported steps): the core rule exposes its targets to nothing else.
import type { Attr } from './graphDef';
import { and, float64, identity, unitRows, visitRounds } from './taskOrders';
import type { RuleIo, RuleOps } from './ruleState';

const D: Attr = { type: 'double' };
const I32: Attr = { type: 'int32' };

/** GradVac's coefficients [k] (float64) from the Gramian G [k, k] (float64), its targets in a session variable. */
export function gradvacRule(r: RuleOps, G: string, io: RuleIo, beta: number): string {
  const { g, k } = r;
  const handle = g.op('VarHandleOp', [], { dtype: D, shape: { shape: [k, k] }, container: { s: '' }, shared_name: { s: `${r.at}/gradvac_targets` } }, `${r.at}/gradvac_targets`);
  io.resets.push(g.op('AssignVariableOp', [handle, float64(r, new Array<number>(k * k).fill(0), [k, k])], { dtype: D }, `${r.at}/gradvac_targets_reset`));
  let targets = g.op('ReadVariableOp', [handle], { dtype: D }, `${r.at}/gradvac_targets_read`);
  // Per task a column [k, 1]: a round's values broadcast along its unit rows, with no reshape.
  const axis = r.ints([1]);
  const rowSums = (a: string) => g.op('Sum', [a, axis], { T: D, Tidx: I32, keep_dims: { b: true } }, `${r.at}/row_sums`);
  const norms = r.reshape(r.un('Sqrt', r.bin('Maximum', r.diag(G), r.c(0))), [1, k]);
  const keep = float64(r, 1 - beta);
  const take = float64(r, beta);
  let C = identity(r);
  for (const J of visitRounds(r, io)) {
    // Row i's unit at j = J_i picks (a product with one 1, the rest 0: exact) and adds at entry (i, j).
    const unit = unitRows(r, J, k);
    const CG = g.op('MatMul', [C, G], { T: D, transpose_a: { b: false }, transpose_b: { b: false } }, `${r.at}/cg`);
    const ni = r.un('Sqrt', r.bin('Maximum', rowSums(r.bin('Mul', C, CG)), r.c(0)));
    const nj = rowSums(r.bin('Mul', unit, norms));
    const dots = rowSums(r.bin('Mul', CG, unit));
    const target = rowSums(r.bin('Mul', targets, unit));
    const counted = and(r, r.gt(ni, r.c(0)), r.gt(nj, r.c(0)));
    const phi = r.bin('Maximum', r.c(-1), r.bin('Minimum', r.c(1), r.bin('RealDiv', dots, r.select(counted, r.bin('Mul', ni, nj), r.c(1)))));
    const rest = r.un('Sqrt', r.bin('Maximum', r.c(0), r.bin('Sub', r.c(1), r.bin('Mul', target, target))));
    const raised = and(r, counted, and(r, r.gt(target, phi), r.gt(rest, r.c(0))));
    const lift = r.bin('Sub', r.bin('Mul', target, r.un('Sqrt', r.bin('Sub', r.c(1), r.bin('Mul', phi, phi)))), r.bin('Mul', phi, rest));
    const amount = r.bin('RealDiv', r.bin('Mul', ni, lift), r.select(raised, r.bin('Mul', nj, rest), r.c(1)));
    C = r.bin('AddV2', C, r.bin('Mul', r.select(raised, amount, r.c(0)), unit));
    // The counted pairs' targets move (entry (i, J_i) of a counted row i).
    const moved = r.bin('AddV2', r.bin('Mul', keep, target), r.bin('Mul', take, phi));
    targets = r.select(and(r, r.gt(unit, r.c(0)), counted), moved, targets);
  }
  io.updates.push(g.op('AssignVariableOp', [handle, targets], { dtype: D }, `${r.at}/gradvac_targets_write`));
  return r.reduce('Sum', C, [0]);
}
