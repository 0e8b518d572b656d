// PCGrad (core/weighting/pcgrad.ts, Yu et al. 2020, Algorithm 1) as graph ops on the Gramian, so
// that its fused step is one session call (graphRules.ts). Task i's projected gradient is held
// as coefficients c_i over the original gradients (row i of C, starting at the identity); in
// each round (taskOrders.ts) every task i visits the next task j = J_i of its order and, when
// <g_i^PC, g_j> = (C G)_ij < 0, subtracts <g_i^PC, g_j> / G_jj from C_ij, the core rule's step
// exactly (float64, the same float32 Gramian). The direction's coefficients are C's column
// sums. A g_j whose squared norm is 0 is never projected on (its inner products are 0 with a
// Gramian of float32 products; the guard only keeps a division by 0 out of the graph).
// When the session's binding registered it (ruleKernels.ts), the rule is one native op instead,
// MtsPcGrad (scripts/native/ruleKernels.cc): the core rule's arithmetic in C++, the same bits;
// ~50 graph nodes fewer with 4 tasks, each ~2 us of executor overhead.
import { PCGRAD_KERNEL } from './ruleKernels';
import { and, gather, identity, orderInput, unitRows, visitRounds } from './taskOrders';
import type { RuleIo, RuleOps } from './ruleState';

/** PCGrad's coefficients [k] (float64) from the Gramian G [k, k] (float64). */
export function pcgradRule(r: RuleOps, G: string, io: RuleIo): string {
  const k = r.k;
  if (k >= 2 && io.kernels?.includes(PCGRAD_KERNEL)) {
    io.kernel = PCGRAD_KERNEL;
    return r.g.op(PCGRAD_KERNEL, [G, orderInput(r, io)], {}, `${r.at}/pcgrad`);
  }
  const squared = r.diag(G);
  let C = identity(r);
  for (const J of visitRounds(r, io)) {
    const dots = r.reduce('Sum', r.bin('Mul', C, gather(r, G, J)), [1]);
    const norms = gather(r, squared, J);
    const conflicts = and(r, r.gt(r.c(0), dots), r.gt(norms, r.c(0)));
    const step = r.select(conflicts, r.bin('RealDiv', dots, r.select(conflicts, norms, r.c(1, [k]))), r.c(0, [k]));
    C = r.bin('Sub', C, r.bin('Mul', r.reshape(step, [k, 1]), unitRows(r, J, k)));
  }
  return r.reduce('Sum', C, [0]);
}
