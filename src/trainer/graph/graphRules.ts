// Gradient methods whose coefficients are a closed form of the k x k Gramian, as graph ops, so
// that the fused step is one session call with nothing read back between the tasks' gradients
// and the update (taskGradients.ts): the second call and the JavaScript between the two (the
// read-back, the rule, the upload) cost more than the rule itself on the representation.
// Each is the core rule's arithmetic (src/core/weighting/), in float64 as there, on the same
// float32 Gramian, with its degenerate cases taken the same way:
// - MGDA, 2 tasks (mgda.ts, solvers.ts minNormOnSegment): the least-norm point of the segment,
//   gamma = clip((G22 - G12) / (G11 + G22 - 2 G12), 0, 1) on the (optionally l2-normalised)
//   Gramian; gradients equal within 1e-12 of the larger squared norm: the shorter one (the first
//   on a tie); every gradient 0: 1/2 each. 3 and 4 tasks: every support's affine minimiser at
//   once, the shortest point of the hull among them (mgdaRule.ts); more tasks: Wolfe's loop in JavaScript.
// - IMTL-G (imtlg.ts): alpha = G^+ n / (1^T G^+ n), n_i = sqrt(G_ii), the pseudo-inverse from
//   the eigendecomposition (SelfAdjointEigV2) with eigenvalues at most 1e-6 of the largest left
//   out (solvers.ts pseudoInverseSolve); 0 when the normalising sum vanishes.
// - Aligned-MTL (alignedMtl.ts): alpha = sqrt(lambda_min) sum_k v_k (v_k . 1) / sqrt(lambda_k)
//   over the eigenvalues above lambda_max k eps32; 1 each when none is.
// - GradNorm (gradNormRule.ts): its task weights and first losses in session variables, updated
//   from the Gramian's diagonal and the batch's losses within the step (ruleState.ts).
// - UPGrad, CAGrad and Nash-MTL, 2 tasks (twoTaskRules.ts): their small optimisations solved
//   exactly (active sets, a one-dimensional dual, the bargaining equation). CAGrad with 3 and 4
//   tasks: every support's stationary point in closed form, the least objective among them (cagradRule.ts);
//   UPGrad with 3 and 4: every support's projection, the least objective per task (upgradRule.ts);
//   Nash-MTL with 3 and 4 tasks: damped Newton steps in a While loop until converged (nashRule.ts).
// - PCGrad (pcGradRule.ts) and GradVac (gradVacRule.ts): their walks over the other tasks
//   unrolled, in the task orders drawn in JavaScript and fed (taskOrders.ts, `RuleIo.orders`);
//   GradVac's targets in a session variable (`RuleIo.updates`, `RuleIo.resets`).
// UPGrad, CAGrad and Nash-MTL with 5 or more tasks (iterative solvers) and Nash-MTL reusing alpha
// (updateEvery > 1) stay in JavaScript between two calls.
// Checked against the core rules on hand-worked Gramians (test/unit/trainer/graphRules.test.ts,
// graphProjectionRules.test.ts, mgdaRule.test.ts, cagradRule.test.ts, upgradRule.test.ts, nashRule.test.ts).
import { IMTLG_VANISHED_SUM } from '../../core/weighting/imtlg';
import type { Attr, GraphBuilder } from './graphDef';
import { CAGRAD_ENUMERATED_TASKS, cagradEnumerated } from './cagradRule';
import { gradNorm } from './gradNormRule';
import { gradvacRule } from './gradVacRule';
import { MGDA_ENUMERATED_TASKS, mgdaEnumerated } from './mgdaRule';
import { NASH_NEWTON_TASKS, nashMtlNewton } from './nashRule';
import { pcgradRule } from './pcGradRule';
import { UPGRAD_ENUMERATED_TASKS, upgradEnumerated } from './upgradRule';
import type { RuleIo, RuleOps as RuleOpsContract } from './ruleState';
import { cagradPair, nashMtlPair, upgradPair } from './twoTaskRules';

const D: Attr = { type: 'double' };
const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

/** Builds the coefficients [k] (float64) from the Gramian [k, k] (float64); `io` takes what the rule feeds and keeps (ruleState.ts). */
type Rule = (r: RuleOps, gramian: string, io: RuleIo) => string;

const RULES: Record<string, { tasks?: number | readonly number[]; stateful?: boolean; when?(params: Readonly<Record<string, unknown>>): boolean; build(params: Readonly<Record<string, unknown>>): Rule }> = {
  mgda: { tasks: [2, ...MGDA_ENUMERATED_TASKS], build: (params) => (r, G) => (r.k === 2 ? mgdaSegment : mgdaEnumerated)(r, G, params.normalization === 'l2') },
  imtlg: { build: () => imtlg },
  'aligned-mtl': { build: () => alignedMtl },
  gradnorm: { stateful: true, build: (params) => (r, G, io) => gradNorm(r, G, io, params) },
  // Two tasks' closed forms (twoTaskRules.ts).
  upgrad: { tasks: [2, ...UPGRAD_ENUMERATED_TASKS], build: () => (r, G) => (r.k === 2 ? upgradPair : upgradEnumerated)(r, G) },
  cagrad: { tasks: [2, ...CAGRAD_ENUMERATED_TASKS], build: (params) => (r, G) => (r.k === 2 ? cagradPair : cagradEnumerated)(r, G, Number(params.c), String(params.rescale)) },
  'nash-mtl': { tasks: [2, ...NASH_NEWTON_TASKS], when: (params) => Number(params.updateEvery) === 1,
    build: (params) => (r, G, io) => (r.k === 2 ? nashMtlPair(r, G, Number(params.maxNorm)) : nashMtlNewton(r, G, Number(params.maxNorm), undefined, io)) },
  pcgrad: { build: () => pcgradRule },
  gradvac: { build: (params) => (r, G, io) => gradvacRule(r, G, io, Number(params.beta)) },
};

/** Whether method `id` with `tasks` tasks (and these parameters, its defaults filled in) has its coefficients in the graph. */
export function hasGraphRule(id: string, tasks: number, params: Readonly<Record<string, unknown>> = {}): boolean {
  const rule = RULES[id];
  return !!rule && (rule.tasks === undefined || (typeof rule.tasks === 'number' ? rule.tasks === tasks : rule.tasks.includes(tasks))) && (!rule.when || rule.when(params));
}

/**
 * The method's coefficients [k] (float32) from the Gramian `gramian` [k, k] (float32), as graph
 * ops under `at`; undefined when the method has no graph rule for `k` tasks (hasGraphRule), or
 * reads the batch's losses (GradNorm) and `io` has none. `io` receives what the rule feeds and
 * keeps (ruleState.ts).
 */
export function graphRule(g: GraphBuilder, at: string, id: string, params: Readonly<Record<string, unknown>>, k: number, gramian: string,
  io: RuleIo = { updates: [], resets: [] }): string | undefined {
  if (!hasGraphRule(id, k, params) || RULES[id]!.stateful && !io.losses) return undefined;
  const r = new RuleOps(g, at, k);
  const raw = g.op('Cast', [gramian], { SrcT: F, DstT: D, Truncate: { b: false } }, `${at}/gramian64`);
  // A NaN or infinite loss makes the Gramian not finite, and SelfAdjointEigV2 or MatrixSolve then
  // stopped the session with TensorFlow's own error. The rule runs on the identity instead and
  // its coefficients are NaN: the update makes the weights NaN, and the next report ends the run
  // with the eager path's message (loop.ts, trainingDiverged.ts); the run's last step is a report
  // that reads its coefficients, whose NaN ends it there (weighting/index.ts recordGraphRule).
  const finite = g.op('All', [g.op('IsFinite', [raw], { T: D }, `${at}/isFinite`), r.ints([0, 1])], { Tidx: I32, keep_dims: { b: false } }, `${at}/finite`);
  const G = r.select(finite, raw, g.op('MatrixDiag', [r.c(1, [k])], { T: D }, `${at}/identity`));
  const coefficients = r.select(finite, RULES[id]!.build(params)(r, G, io), r.bin('RealDiv', r.c(0, [k]), r.c(0))); // 0 / 0: NaN
  return g.op('Cast', [coefficients], { SrcT: D, DstT: F, Truncate: { b: false } }, `${at}/coefficients32`);
}

/** The float64 ops a rule is written with, named under `at` (a rule built alone: nashRule.ts's test and probe). */
export function ruleOps(g: GraphBuilder, at: string, k: number): RuleOpsContract {
  return new RuleOps(g, at, k);
}

/** The float64 ops the rules are written with, named under one prefix. */
class RuleOps implements RuleOpsContract {
  constructor(readonly g: GraphBuilder, readonly at: string, readonly k: number) {}
  private n = 0;
  private name(what: string) { return `${this.at}/${what}_${this.n++}`; }
  /** A float64 constant (a float32 one cast: the writer's constants are float32 or int32). */
  c(value: number, shape: number[] = []): string {
    const size = shape.reduce((a, b) => a * b, 1);
    const f = this.g.constant(this.name('const32'), { dtype: 'float', shape, values: Array.from({ length: size }, () => value) });
    return this.g.op('Cast', [f], { SrcT: F, DstT: D, Truncate: { b: false } }, this.name('const'));
  }
  ints(values: number[]): string { return this.g.constant(this.name('ints'), { dtype: 'int32', shape: [values.length], values }); }
  bin(op: string, a: string, b: string): string { return this.g.op(op, [a, b], { T: D }, this.name(op.toLowerCase())); }
  un(op: string, a: string): string { return this.g.op(op, [a], { T: D }, this.name(op.toLowerCase())); }
  /** a > b (bool). */
  gt(a: string, b: string): string { return this.g.op('Greater', [a, b], { T: D }, this.name('greater')); }
  /** cond ? a : b, broadcasting. */
  select(cond: string, a: string, b: string): string { return this.g.op('SelectV2', [cond, a, b], { T: D }, this.name('select')); }
  /** A reduction over `axes` (none: all of a vector's). */
  reduce(op: 'Sum' | 'Max' | 'Min', a: string, axes: number[] = [0]): string {
    return this.g.op(op, [a, this.ints(axes)], { T: D, Tidx: I32, keep_dims: { b: false } }, this.name(op.toLowerCase()));
  }
  reshape(a: string, shape: number[]): string { return this.g.op('Reshape', [a, this.ints(shape)], { T: D, Tshape: I32 }, this.name('reshape')); }
  /** A [k, k] times a [k] vector, or A^T v. */
  times(A: string, v: string, transpose = false): string {
    const m = this.g.op('MatMul', [A, this.reshape(v, [this.k, 1])], { T: D, transpose_a: { b: transpose }, transpose_b: { b: false } }, this.name('matmul'));
    return this.reshape(m, [this.k]);
  }
  diag(A: string): string { return this.g.op('MatrixDiagPart', [A], { T: D }, this.name('diag')); }
  within(g: GraphBuilder, at: string): RuleOps { return new RuleOps(g, at, this.k); }
  /** Eigenvalues [k] and eigenvectors (columns of [k, k]) of a symmetric matrix. */
  eigen(A: string): { values: string; vectors: string } {
    const e = this.g.op('SelfAdjointEigV2', [A], { T: D, compute_v: { b: true } }, this.name('eigen'));
    return { values: e, vectors: `${e}:1` };
  }
}

/** MGDA's least-norm point of the segment [g1, g2] (solvers.ts minNormOnSegment), l2-normalised first when `l2` (mgda.ts mgdaWeights). */
function mgdaSegment(r: RuleOps, G: string, l2: boolean): string {
  const d = r.diag(G);
  // A zero gradient keeps scale 1, as in mgdaWeights.
  const s = l2 ? r.select(r.gt(d, r.c(0)), r.un('Sqrt', d), r.c(1, [2])) : undefined;
  const N = s ? r.bin('RealDiv', G, r.bin('Mul', r.reshape(s, [2, 1]), r.reshape(s, [1, 2]))) : G;
  const entries = r.g.op('Unpack', [r.reshape(N, [4])], { T: D, num: { i: 4 }, axis: { i: 0 } }, `${r.at}/entries`);
  const [a, c, b] = [entries, `${entries}:1`, `${entries}:3`];
  const scale = r.bin('Maximum', a, b);
  const distance = r.bin('Sub', r.bin('AddV2', a, b), r.bin('Mul', r.c(2), c));
  const gamma = r.bin('Minimum', r.c(1), r.bin('Maximum', r.c(0), r.bin('RealDiv', r.bin('Sub', b, c), distance)));
  // Equal within rounding: the shorter gradient (the first on a tie), where Wolfe's method stops.
  const shorter = r.select(r.gt(a, b), r.c(0), r.c(1));
  const onSegment = r.select(r.gt(distance, r.bin('Mul', r.c(1e-12), scale)), gamma, shorter);
  const first = r.select(r.gt(scale, r.c(0)), onSegment, r.c(0.5));
  const w = r.g.op('Pack', [first, r.bin('Sub', r.c(1), first)], { T: D, N: { i: 2 }, axis: { i: 0 } }, `${r.at}/weights`);
  return s ? r.bin('RealDiv', w, s) : w;
}

/** IMTL-G: alpha = G^+ n / (1^T G^+ n) (imtlg.ts imtlgWeights, solvers.ts pseudoInverseSolve with rcond 1e-6). */
function imtlg(r: RuleOps, G: string): string {
  const n = r.un('Sqrt', r.bin('Maximum', r.diag(G), r.c(0)));
  const { values, vectors } = r.eigen(G);
  const top = r.bin('Maximum', r.reduce('Max', values), r.c(0));
  const kept = r.gt(values, r.bin('Mul', r.c(1e-6), top));
  const along = r.select(kept, r.bin('RealDiv', r.times(vectors, n, true), r.select(kept, values, r.c(1, [r.k]))), r.c(0, [r.k]));
  const v = r.times(vectors, along);
  const sum = r.reduce('Sum', v);
  const fits = r.gt(r.un('Abs', sum), r.bin('Mul', r.c(IMTLG_VANISHED_SUM), r.reduce('Sum', r.un('Abs', v))));
  return r.select(fits, r.bin('RealDiv', v, r.select(fits, sum, r.c(1))), r.c(0, [r.k]));
}

/** Aligned-MTL: alpha = sqrt(lambda_min) sum_k v_k (v_k . 1) / sqrt(lambda_k) (alignedMtl.ts alignedMtlWeights). */
function alignedMtl(r: RuleOps, G: string): string {
  const { values, vectors } = r.eigen(G);
  const top = r.reduce('Max', values);
  const kept = r.gt(values, r.bin('Mul', r.bin('Maximum', top, r.c(0)), r.c(r.k * 2 ** -23)));
  // The smallest kept eigenvalue (the largest stands in for the others: it is kept when any is).
  const smallest = r.reduce('Min', r.select(kept, values, top));
  const sums = r.reduce('Sum', vectors, [0]);
  const along = r.select(kept, r.bin('Mul', sums, r.un('Sqrt', r.bin('RealDiv', smallest, r.select(kept, values, r.c(1, [r.k]))))), r.c(0, [r.k]));
  const alpha = r.times(vectors, along);
  // Some eigenvalue is kept exactly when the largest is positive (k eps32 < 1); none: every gradient is 0.
  return r.select(r.gt(top, r.c(0)), alpha, r.c(1, [r.k]));
}
