// Task weighting in the trainer: one TaskWeighting per training phase, made from the
// method's description (src/core/weighting/). A 'rule' method's weights are numbers worked
// out from what it asks for (losses, loss history, the Gramian of the task gradients); a
// 'tensor' method is implemented on tensors in ./tensor/. Either way the steps see only
// this interface, and report the effective weights of every method.
import type * as TF from '@tensorflow/tfjs';
import { SeededRandom, deriveSeed } from '../../core/random';
import type { TaskSpec, WeightingSpec } from '../../core/spec';
import type { GradientMode, TaskInfo, WeightingContext, WeightingDescription, WeightingMethod, WeightingRule } from '../../core/weighting/method';
import { gradientMode, weightingMethod, weightingParams } from '../../core/weighting/registry';
import { keptShare } from '../../core/weighting/gradDropDirection';
import { randomOrder } from '../../core/weighting/gramian';
import type { Tf } from '../backend';
import { diverged, type TrainingDiverged } from '../trainingDiverged';
import { TENSOR_METHODS, type TensorWeighting } from './tensor/index';

export interface TaskWeighting {
  description: WeightingDescription;
  /** Gradient family: where the task gradients are taken. */
  mode: GradientMode;
  /** Trainable variables of the method (uncertainty's log-variances), trained with the model. */
  variables: TF.Variable[];
  /**
   * Before each step: which tasks have labelled rows in this batch; `reported` (default true):
   * whether this step's weights go into the next report (the loop reports every few steps).
   */
  begin(step: number, epoch: number, labelled: readonly boolean[], reported?: boolean): void;
  /** Loss family, inside the gradient tape: the one loss to differentiate (all tasks, experiment order). */
  combine(losses: TF.Scalar[]): TF.Scalar;
  /**
   * Loss family, rule engine: this step's weights as numbers (all tasks; 0 for a task left
   * out), for the compiled step; `losses` (all tasks) when the method reads them.
   */
  stepWeights?(losses?: readonly number[]): number[];
  /**
   * Gradient family: the update direction on the shared part from the active tasks' gradients,
   * one row per active task ([active, P], the order of `active()`); `losses`: the active
   * tasks' batch losses, read back only for a method that needs them (GradNorm). `scale`
   * multiplies the direction (the compiled step's learning rate: a tensor method folds it into
   * a product it computes anyway).
   */
  aggregate(jacobian: TF.Tensor2D, losses?: readonly TF.Tensor[], scale?: number): TF.Tensor1D;
  /**
   * Gradient family, rule engine: the coefficients of the active tasks' gradients from their
   * Gramian read back as numbers (row-major, active x active) and their losses when the method
   * asks (GradNorm). For a step that builds the direction itself (the compiled step).
   */
  ruleWeights?(gramian: ArrayLike<number>, losses?: readonly number[]): number[];
  /**
   * GradDrop on a step that builds its masks itself (the fused graph: graph/gradDrop.ts):
   * `leak`; `seed()`, this step's seed pair for the masks' uniforms, from the weighting's
   * stream; `reported()`, whether this step's shares are wanted; `record`, each active task's
   * <masked_i, g_i> and the Gramian of their gradients (row-major) on a reported step.
   */
  signDrop?: { leak: number; seed(): [number, number]; reported(): boolean; record(maskedDots: ArrayLike<number>, gramian: ArrayLike<number>): void };
  /**
   * Gradient family, rule engine, on a step that computes the coefficients itself (the fused
   * graph: graph/graphRules.ts, for the methods it has): the method's `id` and `params`;
   * `reported()`, whether this step's weights are wanted; `record`, the active tasks'
   * coefficients the step computed, on a reported step; `orders()`, for a rule fed task orders
   * (PCGrad, GradVac: graph/taskOrders.ts), this step's: row i the other active tasks in the
   * order task i visits them ([n (n - 1)]), drawn from the stream the rule draws them from.
   */
  graphRule?: { id: string; params: Readonly<Record<string, unknown>>; reported(): boolean; record(weights: ArrayLike<number>): void; orders(): Int32Array };
  /**
   * A graph rule's NaN coefficients on this reported step (its Gramian was not finite): thrown by
   * the loop after its own check of the step's losses, which names the task when a loss is the cause.
   */
  divergence(): TrainingDiverged | undefined;
  /** Indices of the tasks in this step (those with labelled rows). */
  active(): number[];
  /** Rule engine: the weights the method gave last (one per active task, `active()` order). */
  coefficients(): number[];
  /** After the update, when `description.needs.lossesAfter`: this batch's losses again (all tasks). */
  afterStep(lossesAfter: readonly number[]): void;
  /** At the end of an epoch: each task's mean training loss in it. */
  endEpoch(meanLosses: readonly number[]): void;
  /**
   * Each task's effective weight (gradient family: its coefficient in the direction), averaged
   * over the steps since the last call; a gradient method's over the `reported` steps only
   * (GradDrop's shares cost two passes over the Jacobian; a rule's coefficients computed in the
   * fused graph are read back only then).
   */
  current(): Record<string, number>;
  dispose(): void;
}

/**
 * n tasks' orders as PCGrad and GradVac draw them (one randomOrder per task, in task order:
 * core/weighting/pcgrad.ts, gradvac.ts), each without its own task: row i of [n, n - 1].
 */
export function visitOrders(n: number, random: () => number): Int32Array {
  const out = new Int32Array(n * Math.max(0, n - 1));
  for (let i = 0; i < n; i++) out.set(randomOrder(n, random).filter((j) => j !== i), i * (n - 1));
  return out;
}

export function taskInfos(tasks: readonly TaskSpec[]): TaskInfo[] {
  return tasks.map((t) => ({ id: t.id, kind: t.kind, weight: t.weight ?? 1 }));
}

/**
 * The weighting of a phase; `seed` drives the methods that sample (RLW, PCGrad's order).
 * `method`: the registry's method for the spec unless given (tests try rules of their own).
 */
export function makeWeighting(tf: Tf, spec: WeightingSpec | undefined, tasks: readonly TaskSpec[], seed: number,
  method: WeightingMethod | undefined = weightingMethod(spec?.method ?? 'equal')): TaskWeighting {
  if (!method) throw new Error(`unknown weighting method ${spec?.method}`); // validation refuses it first
  const d = method.description;
  const infos = taskInfos(tasks);
  const params = weightingParams(d, spec as Record<string, unknown> | undefined);
  const rng = new SeededRandom(deriveSeed(seed, `weighting/${d.id}`));
  const epochLosses: number[][] = [];
  let step = 0;
  let epoch = 1;
  let active: number[] = tasks.map((_, i) => i);
  let reported = true;
  const sums = new Float64Array(tasks.length);
  let counted = 0;
  let last: number[] = [];
  const record = (w: number[], counts = true) => {
    last = w;
    if (!counts) return;
    active.forEach((t, k) => { sums[t]! += w[k]!; });
    counted++;
  };
  const context = (extra: Partial<WeightingContext> = {}): WeightingContext =>
    ({ step, epoch, active, epochLosses, random: () => rng.next(), ...extra });

  const tensor: TensorWeighting | undefined = d.engine === 'tensor' ? TENSOR_METHODS[d.id]?.(tf, infos, params) : undefined;
  if (d.engine === 'tensor' && !tensor) throw new Error(`weighting method ${d.id} has no tensor implementation`);
  const rule: WeightingRule | undefined = d.engine === 'rule' ? method.create!(params, infos) : undefined;

  /**
   * A NaN or infinite loss makes its task's gradient, so the Gramian (active x active, row-major),
   * not finite; so does a gradient too large to square in float32 while the loss is finite. The
   * run ends where the Gramian is read, as where a loss is seen to diverge (loop.ts), not with
   * the solver's NaN weights, nor with NaN weights saved after a last step no report follows.
   */
  const checkGramian = (flat: ArrayLike<number>) => {
    const n = active.length;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (Number.isFinite(flat[i * n + j]!)) continue;
        const value = Number.isFinite(flat[i * n + i]!) ? flat[i * n + j]! : flat[i * n + i]!;
        throw diverged(`the gradient of task "${infos[active[i]!]!.id}" (${d.title}'s Gramian)`, value, epoch, step + 1, active[i]!);
      }
    }
  };

  const weightsNow = (losses?: readonly number[], gramian?: number[][], counts = true): number[] => {
    const w = rule!.weights(context({ ...(losses ? { losses } : {}), ...(gramian ? { gramian } : {}) }));
    if (w.length !== active.length || w.some((v) => !Number.isFinite(v))) {
      throw new Error(`weighting ${d.id} gave weights [${w.join(', ')}] for ${active.length} tasks`);
    }
    record(w, counts);
    return w;
  };

  const ruleWeights = (flat: ArrayLike<number>, losses?: readonly number[]): number[] => {
    checkGramian(flat);
    const n = active.length;
    const gramian = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => flat[i * n + j]!));
    // Counted on reported steps only, as where the fused graph computes them (graphRule).
    return weightsNow(d.needs.losses ? losses : undefined, gramian, reported);
  };

  /**
   * A graph rule's coefficients are NaN exactly where its Gramian was not finite (graph/graphRules.ts);
   * the Gramian itself is not fetched. A reported step reads them, and every epoch's last step is
   * one: a run's last update cannot leave NaN weights unsaid.
   */
  let pendingDivergence: TrainingDiverged | undefined;
  const recordGraphRule = (weights: ArrayLike<number>) => {
    const w = Array.from(weights);
    const bad = w.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) pendingDivergence ??= diverged(`${d.title}'s coefficients (from a Gramian of the task gradients that was not finite)`, w[bad]!, epoch, step + 1, active[bad]!);
    else record(w);
  };

  return {
    description: d,
    mode: gradientMode(spec),
    variables: tensor?.variables ?? [],
    divergence: () => pendingDivergence,
    begin(s, e, labelled, report = true) {
      step = s;
      epoch = e;
      reported = report;
      active = tasks.map((_, i) => i).filter((i) => labelled[i] !== false);
    },
    combine(losses) {
      if (tensor?.combine) return tensor.combine(losses, active);
      const used = active.map((i) => losses[i]!);
      if (!used.length) return tf.scalar(0);
      const values = d.needs.losses ? used.map((l) => l.dataSync()[0]!) : undefined;
      const w = weightsNow(values);
      return tf.addN(used.map((l, k) => (w[k] === 1 ? l : tf.mul(l, w[k]!)))) as TF.Scalar;
    },
    ...(d.family === 'loss' && d.engine === 'rule' ? {
      stepWeights(losses) {
        const w = active.length ? weightsNow(d.needs.losses && losses ? active.map((i) => losses[i]!) : undefined) : [];
        const all = tasks.map(() => 0);
        active.forEach((t, k) => { all[t] = w[k]!; });
        return all;
      },
    } : {}),
    aggregate(jacobian, losses, scale = 1) {
      if (tensor?.aggregate) {
        const out = tensor.aggregate(jacobian, active, context(), scale, reported);
        if (reported) record(tensor.lastWeights ? tensor.lastWeights() : active.map(() => 1));
        return out;
      }
      return tf.tidy(() => {
        const values = d.needs.losses && losses ? losses.map((l) => l.dataSync()[0]!) : undefined;
        const w = ruleWeights(tf.matMul(jacobian, jacobian, false, true).dataSync(), values);
        return tf.reshape(tf.matMul(tf.tensor2d(w.map((x) => x * scale), [1, w.length]), jacobian), [-1]) as TF.Tensor1D;
      });
    },
    ...(d.family === 'gradient' && rule ? { ruleWeights, graphRule: { id: d.id, params, reported: () => reported, record: recordGraphRule, orders: () => visitOrders(active.length, () => rng.next()) } } : {}),
    ...(d.id === 'graddrop' ? {
      signDrop: {
        leak: Number(params.leak ?? 0),
        // Two 31-bit halves from the stream (the eager step takes one 32-bit seed a step from it).
        seed: () => [Math.floor(rng.next() * 2 ** 31), Math.floor(rng.next() * 2 ** 31)] as [number, number],
        reported: () => reported,
        record(maskedDots, gramian) {
          checkGramian(gramian);
          const n = active.length;
          const leak = Number(params.leak ?? 0);
          record(active.map((_, i) => Math.fround(keptShare(maskedDots[i]!, gramian[i * n + i]!, leak))));
        },
      },
    } : {}),
    active: () => active,
    coefficients: () => last,
    afterStep(lossesAfter) {
      // Most rules keep no state between steps: no context is made for them (this runs every step).
      if (rule?.afterStep) rule.afterStep(context(), active.map((i) => lossesAfter[i]!));
      step++;
    },
    endEpoch(meanLosses) { epochLosses.push([...meanLosses]); },
    current() {
      if (tensor && !tensor.lastWeights) return tensor.current();
      const out = Object.fromEntries(tasks.map((t, i) => [t.id, counted ? sums[i]! / counted : 0]));
      sums.fill(0);
      counted = 0;
      return out;
    },
    dispose: () => tensor?.dispose(),
  };
}
