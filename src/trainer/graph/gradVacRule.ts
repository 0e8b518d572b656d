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
// A round writes only the targets of its own pairs (i, J_i), which no other round reads, so
// every round's n_j, target and the terms of them alone (sqrt(1 - phiHat^2), n_j
// sqrt(1 - phiHat^2), (1 - beta) phiHat) are taken for all rounds at once before the first
// (roundTerms): per entry the same products and sums as a round's, so the same bits (the
// coefficients and targets of 6,000 steps, 2 to 6 tasks, compared bit for bit with the rounds'
// own), in 141 ops instead of 160 with 4 tasks (constants and casts not counted).
// Those 141 ops cost ~2 us of executor overhead each, a third of a ~1 ms step on the reference
// workload (issue 10): when the session's binding registered it (ruleKernels.ts), the rule is
// one native op instead, MtsGradVac (scripts/native/ruleKernels.cc), the core rule's arithmetic
// in C++, the same bits; the targets' variable, its read, write and reset stay as they are.
import type { Attr } from './graphDef';
import { GRADVAC_KERNEL } from './ruleKernels';
import { and, float64, identity, orderInput, visitRows } from './taskOrders';
import type { RuleIo, RuleOps } from './ruleState';

const D: Attr = { type: 'double' };
const I32: Attr = { type: 'int32' };

/** GradVac's coefficients [k] (float64) from the Gramian G [k, k] (float64), its targets in a session variable. */
export function gradvacRule(r: RuleOps, G: string, io: RuleIo, beta: number): string {
  const { g, k } = r;
  const handle = g.op('VarHandleOp', [], { dtype: D, shape: { shape: [k, k] }, container: { s: '' }, shared_name: { s: `${r.at}/gradvac_targets` } }, `${r.at}/gradvac_targets`);
  io.resets.push(g.op('AssignVariableOp', [handle, float64(r, new Array<number>(k * k).fill(0), [k, k])], { dtype: D }, `${r.at}/gradvac_targets_reset`));
  let targets = g.op('ReadVariableOp', [handle], { dtype: D }, `${r.at}/gradvac_targets_read`);
  if (k >= 2 && io.kernels?.includes(GRADVAC_KERNEL)) {
    const op = g.op(GRADVAC_KERNEL, [G, targets, orderInput(r, io), float64(r, beta)], {}, `${r.at}/gradvac`);
    io.updates.push(g.op('AssignVariableOp', [handle, `${op}:1`], { dtype: D }, `${r.at}/gradvac_targets_write`));
    io.kernel = GRADVAC_KERNEL;
    return op;
  }
  const rows = visitRows(r, io);
  const rounds = rows ? roundTerms(r, G, targets, rows, beta) : [];
  // Per task a column [k, 1]: a round's values broadcast along its unit rows, with no reshape.
  const axis = r.ints([1]);
  const rowSums = (a: string) => g.op('Sum', [a, axis], { T: D, Tidx: I32, keep_dims: { b: true } }, `${r.at}/row_sums`);
  const take = float64(r, beta);
  let C = identity(r);
  for (const { unit, isUnit, nj, njPositive, target, rest, restPositive, njRest, kept } of rounds) {
    const CG = g.op('MatMul', [C, G], { T: D, transpose_a: { b: false }, transpose_b: { b: false } }, `${r.at}/cg`);
    const ni = r.un('Sqrt', r.bin('Maximum', rowSums(r.bin('Mul', C, CG)), r.c(0)));
    const dots = rowSums(r.bin('Mul', CG, unit));
    const counted = and(r, r.gt(ni, r.c(0)), njPositive);
    const phi = r.bin('Maximum', r.c(-1), r.bin('Minimum', r.c(1), r.bin('RealDiv', dots, r.select(counted, r.bin('Mul', ni, nj), r.c(1)))));
    const raised = and(r, counted, and(r, r.gt(target, phi), restPositive));
    const lift = r.bin('Sub', r.bin('Mul', target, r.un('Sqrt', r.bin('Sub', r.c(1), r.bin('Mul', phi, phi)))), r.bin('Mul', phi, rest));
    const amount = r.bin('RealDiv', r.bin('Mul', ni, lift), r.select(raised, njRest, r.c(1)));
    C = r.bin('AddV2', C, r.bin('Mul', r.select(raised, amount, r.c(0)), unit));
    // The counted pairs' targets move (entry (i, J_i) of a counted row i).
    const moved = r.bin('AddV2', kept, r.bin('Mul', take, phi));
    targets = r.select(and(r, isUnit, counted), moved, targets);
  }
  io.updates.push(g.op('AssignVariableOp', [handle, targets], { dtype: D }, `${r.at}/gradvac_targets_write`));
  return r.reduce('Sum', C, [0]);
}

/**
 * Per round (column t of the orders' rows [k, k - 1]), what it reads of the Gramian and the
 * step's first targets and nothing else: row i's unit at j = J_i [k, k] (and where it is 1),
 * n_j, phiHat_ij, sqrt(1 - phiHat_ij^2), n_j sqrt(1 - phiHat_ij^2), (1 - beta) phiHat_ij, and
 * whether n_j and the square root are positive (each [k, 1]). Taken for every round at once,
 * [k, k - 1, ...], then split into the rounds; with two tasks (one round) they are that round's.
 */
function roundTerms(r: RuleOps, G: string, targets: string, rows: string, beta: number) {
  const { g, k } = r;
  const B: Attr = { type: 'bool' };
  const one = k === 2;
  const lead = one ? [] : [1];
  // units [k, k - 1, k] ([k, k]: one round): the unit row of J_i in round t (a product with one 1, the rest 0: exact).
  const depth = g.constant(`${r.at}/depth`, { dtype: 'int32', shape: [], values: [k] });
  const visits = one ? g.op('Reshape', [rows, r.ints([k])], { T: I32, Tshape: I32 }, `${r.at}/visits`) : rows;
  const units = g.op('OneHot', [visits, depth, float64(r, 1), float64(r, 0)], { T: D, TI: I32, axis: { i: -1 } }, `${r.at}/units`);
  const picked = (m: string) => g.op('Sum', [r.bin('Mul', m, units), r.ints([-1])], { T: D, Tidx: I32, keep_dims: { b: true } }, `${r.at}/picked`);
  const nj = picked(r.reshape(r.un('Sqrt', r.bin('Maximum', r.diag(G), r.c(0))), [1, ...lead, k]));
  const target = picked(one ? targets : r.reshape(targets, [k, 1, k]));
  const rest = r.un('Sqrt', r.bin('Maximum', r.c(0), r.bin('Sub', r.c(1), r.bin('Mul', target, target))));
  const rounds = (a: string, type: Attr = D) => {
    if (one) return [a];
    const u = g.op('Unpack', [a], { T: type, num: { i: k - 1 }, axis: { i: 1 } }, `${r.at}/rounds`);
    return Array.from({ length: k - 1 }, (_, t) => (t === 0 ? u : `${u}:${t}`));
  };
  const [unit, isUnit, njs, njPositive, targetsAt, rests, restPositive, njRest, kept] = [
    rounds(units), rounds(r.gt(units, r.c(0)), B), rounds(nj), rounds(r.gt(nj, r.c(0)), B), rounds(target), rounds(rest),
    rounds(r.gt(rest, r.c(0)), B), rounds(r.bin('Mul', nj, rest)), rounds(r.bin('Mul', float64(r, 1 - beta), target)),
  ];
  return unit.map((_, t) => ({ unit: unit[t]!, isUnit: isUnit[t]!, nj: njs[t]!, njPositive: njPositive[t]!, target: targetsAt[t]!,
    rest: rests[t]!, restPositive: restPositive[t]!, njRest: njRest[t]!, kept: kept[t]! }));
}
