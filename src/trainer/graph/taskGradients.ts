// Gradient-family task weighting (MGDA, PCGrad, UPGrad...: rule methods, weighting/index.ts
// ruleWeights) in the fused graph step, as two session calls per step instead of one, since
// the method's coefficients come from a solver in JavaScript between them (graphGradientStep.ts):
// 1. forward, one backward pass per task (to the shared parameters, or only through the task's
//    own layers to the shared representation), and the k x k Gramian of the tasks' gradients
//    on the shared part, which is all the method reads (with the batch's mean losses for
//    GradNorm). The tasks' gradients stay in the session (variables, `stash/...`);
// 2. the coefficients c fed: the shared part's gradient is sum_i c_i g_i (parameters: one
//    MatMul [1, k] x [k, P] per weight, or, for a dense layer where it costs less
//    (denseGramian.ts), the Gramian from its input and the tasks' pre-activation gradients D_i
//    and one weight gradient Xᵀ (sum_i c_i D_i), the D_i and X kept instead of k weight
//    gradients (MGDA, batch 32, weightingCost.ts --one, builds alternating, 2026-12-01 11:05-11:39,
//    load 11-27: 3.40 and 3.54 times equal weighting to 1.33 and 1.33 with 2 tasks, 4.31 and
//    4.06 to 1.67 and 1.81 with 4, medians of two rounds; node counts barely move, 187 to 185:
//    the tasks' 784 x 128 kernel gradients were the cost);
//    representation: the same at the trunk's output, then
//    one backward pass through the trunk, on its forward values kept from the first call),
//    a task's own layers get its own gradient (times c_i for a method whose coefficients are
//    loss weights: `weightsOwnLayers`), and the optimizer's kernels apply them.
// The eager compiled step does the same in one call of raw ops (native/denseStep.ts
// gradientUpdate); the graph is checked against it (test/unit/trainer/graphGradientStep.test.ts).
// GradDrop (signDrop) has no coefficients: its masks (gradDrop.ts) replace the MatMul and the
// whole step is one call, nothing stashed, the masks built on the tasks' gradients as they come
// (no [k, P] stack but for the Gramian of a reported step). A method whose coefficients are a
// closed form of the Gramian (graphRules.ts: IMTL-G, Aligned-MTL; MGDA and CAGrad with 2 to 4 tasks;
// UPGrad, Nash-MTL with two tasks; PCGrad and GradVac given the task orders drawn; GradNorm, with the batch's losses and its state in the session) computes them
// in the graph: one call too, nothing stashed, the coefficients read back only on a reported
// step (`rule`). Every task has labelled rows in every batch here (partial labels stay on the
// eager step), so the active tasks are all of them.
import type { ExperimentSpec } from '../../core/spec';
import { trunkOf } from '../../core/trunk';
import type { TaskHead } from '../heads';
import type { Attr, GraphBuilder } from './graphDef';
import { gradDropUniform, graphGradDrop, graphGradDropBlocks, uint32Scalar } from './gradDrop';
import { denseActivationGramian, denseDirectionCosts } from './denseGramian';
import { graphRule } from './graphRules';
import type { RuleIo } from './ruleState';
import { sumInOrder } from './orderedSum';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };
/** Layers whose backward pass reads only their input and output values (a dense one), or none. */
const KEPT_VALUES = new Set(['dense', 'concatenate', 'add', 'dropout']);

/** The nodes the step's two runs feed and fetch. */
export interface GradientRuns {
  /** Placeholder [tasks]: the method's coefficients, fed to the second run. */
  mix: string;
  /** The first run's fetch: the Gramian [tasks, tasks] of the tasks' gradients; the run keeps them for the second. */
  gramian: string;
  /** Fetched beside `gramian` when the method reads the losses: [tasks] each task's mean loss on the batch. */
  lossMeans: string;
  /**
   * Parameters mode: fetched beside `gramian`, each of `conflictBlocks`' Gramians [blocks, tasks,
   * tasks] of the tasks' mean-loss gradients (insight/conflict.ts measures them on the tape
   * otherwise); none with dropout, which the measurement leaves out and the step does not.
   */
  blockGramians?: string;
  /**
   * GradDrop (`signDrop`): its step is one run, not two (no coefficients come from JavaScript:
   * nothing is stashed; `recompute` is set, so the run takes the first run's feeds), fetching
   * `stepDone` and `after` (the first run's other work), with `keptDots` ([tasks] each task's
   * kept part <masked_i, g_i> summed over the blocks) and `gramian` on reported steps; `seed`,
   * the run's seed pair placeholder (int32 [2]).
   */
  signDrop?: { seed: string; keptDots: string; after: string };
  /**
   * A method with a graph rule (`rule` given): its step is one run, like GradDrop's, fetching
   * `stepDone` and `after`, with `coefficients` ([tasks]) on reported steps; `orders`, the
   * task orders it is fed (ruleState.ts RuleIo), `resets`, its state's start for "set", and
   * `kernel`, the native op the rule ran as (ruleKernels.ts; none: as graph ops).
   */
  ruled?: { coefficients: string; after: string; orders?: string; resets: string[]; kernel?: string };
  /** The second run runs the trunk's forward again (a convolution's or recurrent layer's backward reads its inner values): it takes the first run's feeds too. */
  recompute: boolean;
}

export interface GraphTaskGradients {
  /** The second run's gradient of every weight, by key (without weight decay). */
  weightGrads: Map<string, string>;
  /** The runs' nodes; `after`: the first run's other work (losses summed, dropout draws advanced). */
  runs(after: string[]): GradientRuns;
}

export interface TaskGradientInputs {
  spec: ExperimentSpec;
  heads: TaskHead[];
  /** Per head, its loss gradient at its output (scaled by 1/n, or 2/n for a squared error). */
  seeds: string[];
  /** Per head, its per-example losses. */
  losses: string[];
  /** trainGraph's backward pass: from gradients at layers' outputs, through the layers `through` holds, to weight gradients by key (and each dense layer's gradient at its pre-activation into `preActivation`). */
  backward(grads: Map<string, string[]>, through?: (id: string) => boolean, weightGrads?: Map<string, string>, at?: ReadonlyMap<string, string>, preActivation?: Map<string, string>): Map<string, string>;
  /** Forward values by layer id. */
  values: ReadonlyMap<string, string>;
  /** Each weight's read, by key. */
  reads: ReadonlyMap<string, string>;
  /** Each layer's output shape without the batch. */
  shapes: ReadonlyMap<string, number[]>;
  weights: ReadonlyArray<{ key: string; layer: string; shape: number[] }>;
  mode: 'parameters' | 'representation';
  weightsOwnLayers: boolean;
  /** The shared layers whose Gramians the conflict measurement reads, in its order (none: not measured). */
  conflictBlocks?: readonly string[];
  /** GradDrop with this leak instead of a rule's coefficients: one run masks the tasks' gradients per coordinate (gradDrop.ts) and updates. */
  signDrop?: { leak: number; xla: boolean };
  /** A method whose coefficients the graph computes from the Gramian (graphRules.ts hasGraphRule): one run, no coefficients fed. */
  rule?: { id: string; params: Readonly<Record<string, unknown>>; kernels?: readonly string[] };
}

/** The rule's coefficients, named before the Gramian they come from is summed (runs()). */
const RULE_MIX = 'task_gradients/rule/mix';

export function graphTaskGradients(g: GraphBuilder, o: TaskGradientInputs): GraphTaskGradients {
  const k = o.heads.length;
  const trunk = trunkOf(o.spec);
  const int = (name: string, values: number[]) => g.constant(name, { dtype: 'int32', shape: [values.length], values });
  const rows = int('task_gradients/rows', [k, -1]);
  const oneRun = !!o.signDrop || !!o.rule;
  const mix = o.rule ? g.op('Identity', [RULE_MIX], { T: F }, 'task_gradients/mix') : g.placeholder('task_gradients/mix', [k]);
  const mixRow = g.op('Reshape', [mix, int('task_gradients/row_shape', [1, k])], { T: F, Tshape: I32 }, 'task_gradients/mix_row');
  const mixes = g.op('Unpack', [mix], { T: F, num: { i: k }, axis: { i: 0 } }, 'task_gradients/mixes');
  const stashes: string[] = [];
  /** A session variable holding `value` from the first run to the second; returns its read (second run). A one-run step reads `value` itself. */
  const stash = (name: string, value: string, shape: number[]) => {
    if (oneRun) return value;
    const h = g.op('VarHandleOp', [], { dtype: F, shape: { shape }, container: { s: '' }, shared_name: { s: `stash/${name}` } }, `var/stash/${name}`);
    stashes.push(g.op('AssignVariableOp', [h, value], { dtype: F }, `stash/${name}/assign`));
    return g.op('ReadVariableOp', [h], { dtype: F }, `stash/${name}/read`);
  };
  const grams: string[] = [];
  const seed = o.signDrop ? g.placeholder('task_gradients/seed', [2], 'int32') : undefined;
  /** GradDrop's uniform stream: where the next block's words start (the blocks lie end to end). */
  let streamAt = seed ? uint32Scalar(g, 'task_gradients/stream_start', 0) : undefined;
  const keptDots: string[] = [];
  /** Per trunk layer, the Gramians of its weights (their sum is the layer's: parameters mode). */
  const layerGrams = new Map<string, string[]>();
  /**
   * The tasks' gradients on one part of the shared part, stacked [k, ...]: adds their Gramian
   * to the step's and returns the second run's sum_i c_i g_i in `shape` (-1: the batch).
   */
  const combined = (name: string, perTask: string[], stackShape: number[], shape: number[], dropped?: string) => {
    const stacked = g.op('Pack', perTask, { T: F, N: { i: k }, axis: { i: 0 } }, `task_gradients/${name}/stack`);
    const jacobian = g.op('Reshape', [stacked, rows], { T: F, Tshape: I32 }, `task_gradients/${name}/jacobian`);
    grams.push(g.op('MatMul', [jacobian, jacobian], { T: F, transpose_a: { b: false }, transpose_b: { b: true } }, `task_gradients/${name}/gramian`));
    let sum: string;
    if (dropped) sum = dropped;
    else if (o.signDrop) {
      // GradDrop's one run reads the tasks' gradients as they come, flat: the stack above (a copy) only for the Gramian on reported steps.
      const at = `task_gradients/${name}/graddrop`;
      const flat = perTask.map((p, i) => g.op('Reshape', [p, int(`${at}/flat_${i}`, [1, -1])], { T: F, Tshape: I32 }, `${at}/task_${i}`));
      const drop = graphGradDrop(g, at, flat, (like) => {
        const drawn = gradDropUniform(g, at, like, seed!, streamAt!);
        streamAt = drawn.end;
        return drawn.uniform;
      }, o.signDrop.leak);
      keptDots.push(drop.keptDots);
      sum = drop.direction;
    } else {
      // A one-run step combines the stack it took the Gramian of: no second Reshape of it.
      const kept = oneRun ? jacobian : g.op('Reshape', [stash(name, stacked, stackShape), rows], { T: F, Tshape: I32 }, `task_gradients/${name}/kept`);
      sum = g.op('MatMul', [mixRow, kept], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }, `task_gradients/${name}/combined`);
    }
    return g.op('Reshape', [sum, int(`task_gradients/${name}/shape`, shape)], { T: F, Tshape: I32 }, `task_gradients/${name}/direction`);
  };
  const weightGrads = new Map<string, string>();
  let recompute = false;
  /** Task i's gradient of one of its own layers' weights, kept for the second run. */
  const own = (i: number, key: string, grad: string) => {
    const shape = o.weights.find((w) => w.key === key)!.shape;
    const kept = stash(key, grad, shape);
    weightGrads.set(key, o.weightsOwnLayers ? g.op('Mul', [kept, i === 0 ? mixes : `${mixes}:${i}`], { T: F }, `task_gradients/${key}/weighted`) : kept);
  };
  const seeded = (i: number) => new Map([[o.heads[i]!.layerId, [o.seeds[i]!]]]);
  const zeros = (of: string, name: string) => g.op('ZerosLike', [of], { T: F }, `task_gradients/${name}/zeros`);

  if (o.mode === 'parameters') {
    const shared = o.weights.filter((w) => trunk.layers.has(w.layer));
    // A dense trunk layer whose Gramian and combined gradient cost less from its input and the
    // tasks' gradients at its pre-activation (denseGramian.ts): no task's weight gradient is
    // formed there, one weight gradient of the combined pre-activation gradient is. GradDrop's
    // masks read each task's weight gradients.
    const fromActivations = new Set(o.signDrop ? [] : o.spec.model.layers.filter((l) => {
      if (l.type !== 'dense' || !trunk.layers.has(l.id)) return false;
      const [inputs, units] = o.weights.find((w) => w.key === `${l.id}/kernel`)!.shape as [number, number];
      const cost = denseDirectionCosts(o.spec.training.batchSize, inputs, units, k);
      return cost.fromActivations < cost.fromWeights;
    }).map((l) => l.id));
    const perTask = o.heads.map((_, i) => {
      const preActivation = new Map<string, string>();
      const grads = o.backward(seeded(i), undefined, undefined, undefined, preActivation);
      for (const [key, grad] of grads) if (!shared.some((w) => w.key === key)) own(i, key, grad);
      return { grads, preActivation };
    });
    /** Each layer input kept for the second run, by its forward value (two layers may read one). */
    const keptInputs = new Map<string, string>();
    // A layer no task's gradient reaches keeps the weights' form (its zero rows).
    for (const id of fromActivations) if (!perTask.some((t) => t.preActivation.has(id))) fromActivations.delete(id);
    for (const id of fromActivations) {
      const layer = o.spec.model.layers.find((l) => l.id === id)!;
      const units = o.weights.find((w) => w.key === `${id}/kernel`)!.shape[1]!;
      const at = `task_gradients/${id}`;
      const reached = perTask.find((t) => t.preActivation.has(id))!.preActivation.get(id)!;
      const d = g.op('Pack', perTask.map((t, i) => t.preActivation.get(id) ?? zeros(reached, `${id}/${i}`)), { T: F, N: { i: k }, axis: { i: 0 } }, `${at}/pre_activation_grads`);
      const x = o.values.get(layer.from[0]!)!;
      grams.push(denseActivationGramian(g, at, x, d, k));
      layerGrams.set(id, [grams[grams.length - 1]!]);
      // Two runs: the second reads the stacked D_t and the layer's input, kept from the first (a
      // batch's rows, where the tasks' weight gradients would be k times the layer's weights).
      const inputShape = o.shapes.get(layer.from[0]!) ?? o.spec.model.inputs.find((input) => input.id === layer.from[0])!.shape;
      const keptX = keptInputs.get(x) ?? keptInputs.set(x, stash(`values/${layer.from[0]}`, x, [-1, ...inputShape])).get(x)!;
      const keptD = g.op('Reshape', [stash(`${id}/pre_activation`, d, [k, -1, units]), rows], { T: F, Tshape: I32 }, `${at}/pre_activation_flat`);
      const direction = g.op('Reshape', [g.op('MatMul', [mixRow, keptD], { T: F, transpose_a: { b: false }, transpose_b: { b: false } }, `${at}/combined`),
        int(`${at}/pre_activation_shape`, [-1, units])], { T: F, Tshape: I32 }, `${at}/direction`);
      weightGrads.set(`${id}/kernel`, g.op('MatMul', [keptX, direction], { T: F, transpose_a: { b: true }, transpose_b: { b: false } }, `${at}/kernel_grad`));
      weightGrads.set(`${id}/bias`, g.op('BiasAddGrad', [direction], { T: F, data_format: { s: 'NHWC' } }, `${at}/bias_grad`));
    }
    const byWeights = shared.filter((w) => !fromActivations.has(w.layer));
    // A task that does not reach a weight (a trunk layer serving other tasks) adds a zero row.
    const parts = byWeights.map((w) => perTask.map(({ grads }, i) => grads.get(w.key) ?? zeros(o.reads.get(w.key)!, `${w.key}/${i}`)));
    // GradDrop: all the shared weights' blocks in one (gradDrop.ts graphGradDropBlocks).
    const dropped = o.signDrop && byWeights.length ? graphGradDropBlocks(g, 'task_gradients/graddrop', parts, byWeights.map((w) => w.shape.reduce((a, b) => a * b, 1)), seed!, streamAt!, o.signDrop.leak, o.signDrop.xla) : undefined;
    if (dropped) keptDots.push(dropped.keptDots);
    for (const [b, w] of byWeights.entries()) {
      weightGrads.set(w.key, combined(w.key, parts[b]!, [k, ...w.shape], w.shape, dropped?.directions[b]));
      (layerGrams.get(w.layer) ?? layerGrams.set(w.layer, []).get(w.layer)!).push(grams[grams.length - 1]!);
    }
  } else {
    const rep = trunk.representation;
    const atRep = o.heads.map((_, i) => {
      const grads = new Map<string, string[]>(seeded(i));
      for (const [key, grad] of o.backward(grads, (id) => !trunk.layers.has(id))) own(i, key, grad);
      return rep.map((id) => {
        const gs = grads.get(id);
        return !gs ? zeros(o.values.get(id)!, `${id}/${i}`) : sumInOrder(g, gs, `task_gradients/${id}/${i}/sum`);
      });
    });
    // The batch's size is the stash's one unknown dimension.
    const grads = new Map(rep.map((id, r) => {
      const shape = o.shapes.get(id)!;
      return [id, [combined(`representation/${id}`, atRep.map((parts) => parts[r]!), [k, -1, ...shape], [-1, ...shape])]];
    }));
    // The trunk's backward pass reads its layers' inputs and outputs: kept from the first call
    // (a copy of a batch's activations), where running the trunk's forward again would cost
    // its MatMuls (measured with weightingCost.ts, UPGrad, 2 tasks, load 10-12: 1.43x equal
    // weighting with the forward run again, 1.08x with the copies). Other
    // layers than these (convolutions, LSTM...) read values inside their own forward pass: the
    // second run then runs the trunk's forward again.
    recompute = o.spec.model.layers.some((l) => trunk.layers.has(l.id) && !KEPT_VALUES.has(l.type));
    const kept = new Map<string, string>();
    for (const l of o.spec.model.layers) {
      if (recompute || !trunk.layers.has(l.id) || l.type !== 'dense') continue;
      for (const id of [l.id, l.from[0]!]) {
        if (kept.has(id)) continue;
        const shape = o.shapes.get(id) ?? o.spec.model.inputs.find((input) => input.id === id)!.shape;
        kept.set(id, stash(`values/${id}`, o.values.get(id)!, [-1, ...shape]));
      }
    }
    o.backward(grads, (id) => trunk.layers.has(id), weightGrads, recompute ? o.values : kept);
  }

  return {
    weightGrads,
    runs(after) {
      const sum = sumInOrder(g, grams, 'task_gradients/gramian_sum');
      const done = [...stashes, ...after].map((n) => `^${n}`);
      const gramian = g.op('Identity', [sum, ...done], { T: F }, 'task_gradients/gramian');
      const means = o.losses.map((loss, i) => {
        const rank = o.heads[i]!.encoding === 'value' ? 2 : 1;
        return g.op('Mean', [loss, int(`task_gradients/loss_axes_${i}`, Array.from({ length: rank }, (_, a) => a))], { T: F, Tidx: I32, keep_dims: { b: false } }, `task_gradients/mean_loss_${i}`);
      });
      const lossMeans = g.op('Pack', means, { T: F, N: { i: k }, axis: { i: 0 } }, 'task_gradients/loss_means');
      const blocks = o.mode === 'parameters' && o.conflictBlocks?.length && o.conflictBlocks.every((id) => layerGrams.has(id))
        ? g.op('Pack', o.conflictBlocks.map((id) => sumInOrder(g, layerGrams.get(id)!, `task_gradients/${id}/block_gramian`)),
          { T: F, N: { i: o.conflictBlocks.length }, axis: { i: 0 } }, 'task_gradients/block_gramians') : undefined;
      // A rule with state (GradNorm's weights, GradVac's targets: ruleState.ts) updates it with the
      // step's other work (`after`), and resets it with `set`; PCGrad's and GradVac's orders are fed.
      const io: RuleIo = { losses: lossMeans, updates: [], resets: [], ...(o.rule?.kernels ? { kernels: o.rule.kernels } : {}) };
      const coefficients = o.rule ? graphRule(g, 'task_gradients/rule', o.rule.id, o.rule.params, k, sum, io) : undefined;
      const afterNode = oneRun ? g.op('Identity', [g.constant('task_gradients/after_value', { dtype: 'float', shape: [], values: [0] }), ...done, ...io.updates.map((n) => `^${n}`)], { T: F }, 'task_gradients/after') : undefined;
      const signDrop = seed ? { seed, keptDots: sumInOrder(g, keptDots, 'task_gradients/kept_dots'), after: afterNode! } : undefined;
      let ruled: GradientRuns['ruled'];
      if (o.rule) {
        if (!coefficients || g.op('Identity', [coefficients], { T: F }, RULE_MIX) !== RULE_MIX) throw new Error(`no graph rule for ${o.rule.id} with ${k} tasks`);
        ruled = { coefficients: RULE_MIX, after: afterNode!, ...(io.orders ? { orders: io.orders } : {}), resets: io.resets, ...(io.kernel ? { kernel: io.kernel } : {}) };
      }
      return { mix, gramian, lossMeans, recompute: recompute || oneRun, ...(blocks ? { blockGramians: blocks } : {}), ...(signDrop ? { signDrop } : {}), ...(ruled ? { ruled } : {}) };
    },
  };
}
