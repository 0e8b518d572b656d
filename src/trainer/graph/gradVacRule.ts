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
import { and, float64, gather, identity, unitRows, visitRounds, type RuleIO, type RuleOps } from './taskOrders';

const D: Attr = { type: 'double' };
const I32: Attr = { type: 'int32' };

/** GradVac's coefficients [k] (float64) from the Gramian G [k, k] (float64), its targets in a session variable. */
export function gradvacRule(r: RuleOps, G: string, io: RuleIO, beta: number): string {
  const { g, k } = r;
  const handle = g.op('VarHandleOp', [], { dtype: D, shape: { shape: [k, k] }, container: { s: '' }, shared_name: { s: `${r.at}/gradvac_targets` } }, `${r.at}/gradvac_targets`);
  io.resets.push(g.op('AssignVariableOp', [handle, float64(r, new Array<number>(k * k).fill(0), [k, k])], { dtype: D }, `${r.at}/gradvac_targets_reset`));
  // Targets flat (entry i k + j: phiHat_ij): a round reads and writes one entry per row.
  let targets = r.reshape(g.op('ReadVariableOp', [handle], { dtype: D }, `${r.at}/gradvac_targets_read`), [k * k]);
  const rowStarts = r.ints(Array.from({ length: k }, (_, i) => i * k));
  const squared = r.diag(G);
  const keep = float64(r, 1 - beta);
  const take = float64(r, beta);
  let C = identity(r);
  for (const J of visitRounds(r, io)) {
    const pair = g.op('AddV2', [rowStarts, J], { T: I32 }, `${r.at}/pair`);
    const CG = g.op('MatMul', [C, G], { T: D, transpose_a: { b: false }, transpose_b: { b: false } }, `${r.at}/cg`);
    const ni = r.un('Sqrt', r.bin('Maximum', r.reduce('Sum', r.bin('Mul', C, CG), [1]), r.c(0)));
    const nj = r.un('Sqrt', r.bin('Maximum', gather(r, squared, J), r.c(0)));
    const dots = gather(r, r.reshape(CG, [k * k]), pair);
    const counted = and(r, r.gt(ni, r.c(0)), r.gt(nj, r.c(0)));
    const nn = r.bin('Mul', ni, nj);
    const phi = r.bin('Maximum', r.c(-1), r.bin('Minimum', r.c(1), r.bin('RealDiv', dots, r.select(counted, nn, r.c(1, [k])))));
    const target = gather(r, targets, pair);
    const rest = r.un('Sqrt', r.bin('Maximum', r.c(0), r.bin('Sub', r.c(1), r.bin('Mul', target, target))));
    const raised = and(r, counted, and(r, r.gt(target, phi), r.gt(rest, r.c(0))));
    const lift = r.bin('Sub', r.bin('Mul', target, r.un('Sqrt', r.bin('Sub', r.c(1), r.bin('Mul', phi, phi)))), r.bin('Mul', phi, rest));
    const amount = r.bin('RealDiv', r.bin('Mul', ni, lift), r.select(raised, r.bin('Mul', nj, rest), r.c(1, [k])));
    C = r.bin('AddV2', C, r.bin('Mul', r.reshape(r.select(raised, amount, r.c(0, [k])), [k, 1]), unitRows(r, J, k)));
    // The counted pairs' targets move: one entry per row, written by a unit row (none: -1).
    const moved = r.bin('AddV2', r.bin('Mul', keep, target), r.bin('Mul', take, phi));
    const written = unitRows(r, g.op('SelectV2', [counted, pair, r.ints(new Array<number>(k).fill(-1))], { T: I32 }, `${r.at}/written_at`), k * k);
    const spread = r.reduce('Sum', r.bin('Mul', written, r.reshape(moved, [k, 1])), [0]);
    targets = r.select(r.gt(r.reduce('Sum', written, [0]), r.c(0)), spread, targets);
  }
  io.updates.push(g.op('AssignVariableOp', [handle, r.reshape(targets, [k, k])], { dtype: D }, `${r.at}/gradvac_targets_write`));
  return r.reduce('Sum', C, [0]);
}
