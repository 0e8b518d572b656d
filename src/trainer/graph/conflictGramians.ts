// The gradient-conflict measurement (insight/conflict.ts) in the fused graph, for a loss-family
// method, whose step takes one backward pass of the weighted sum and so has no task gradients
// to serve it (a gradient-family method's step has them: taskGradients.ts). A run of its own
// before the step, on the step's batch and the weights before the update: one backward pass per
// task from the gradient of its mean loss (unweighted, as the tape measures it), and each shared
// layer's Gramian of the tasks' gradients on its weights. On the tape the same measurement ran
// about 170 eager ops after a read-back of every weight: 26 ms of CPU, 60 ms at its first run in
// a process, where the dense reference workload's whole step at batch 256 takes 1.7 ms
// (bench/firstEpochProbe.ts, 2026-11-30).
// A dense layer's Gramian needs no weight gradient (denseGramian.ts): at batch 32 on the reference
// workload's 784 x 128 layer, about 1.1 million multiply-adds from its input and the tasks'
// gradients at its pre-activation against 6.8 million for the tasks' kernel gradients and their
// products (denseGramianCosts); at batch 256 the weight gradients are cheaper, and the graph takes them.
import type { TaskHead } from '../heads';
import type { Attr, GraphBuilder } from './graphDef';
import { denseActivationGramian, denseGramianCosts } from './denseGramian';
import { sumInOrder } from './orderedSum';

const F: Attr = { type: 'float' };
const I32: Attr = { type: 'int32' };

export interface ConflictGramianInputs {
  heads: TaskHead[];
  /** Per head: its per-example loss's gradient at its output (before any weight or 1/n). */
  grads: string[];
  /** Per head: the factor of that gradient in the mean loss's (a squared error's 2, else 1). */
  factors: number[];
  /** The batch's row numbers (int32 [n]): n divides the per-example gradients. */
  rows: string;
  /** trainGraph's backward pass: from gradients at layers' outputs to weight gradients by key, and each dense layer's gradient at its pre-activation by layer id. */
  backward(grads: Map<string, string[]>): { weights: Map<string, string>; preActivation: Map<string, string> };
  /** A dense layer's input in the step's forward pass and its sizes; undefined for another layer. */
  denseInput(layer: string): { x: string; inputs: number; units: number } | undefined;
  weights: ReadonlyArray<{ key: string; layer: string }>;
  /** The shared layers measured, in the measurement's order (ConflictMeter.blockIds). */
  blocks: readonly string[];
  /** The rows a measurement takes (the training batch size): which form of a dense layer's Gramian is cheaper. */
  batchSize: number;
}

/**
 * The node of the blocks' Gramians [blocks, tasks, tasks] (tasks in heads order), or undefined
 * when a block has no weight the graph trains (the loop then measures on the tape).
 */
export function graphConflictGramians(g: GraphBuilder, o: ConflictGramianInputs): string | undefined {
  const k = o.heads.length;
  const n = g.op('Cast', [g.op('Size', [o.rows], { T: I32, out_type: I32 }, 'conflict/batch')], { SrcT: I32, DstT: F, Truncate: { b: false } }, 'conflict/batch_float');
  const perTask = o.heads.map((h, i) => {
    const factor = g.constant(`conflict/factor_${i}`, { dtype: 'float', shape: [], values: [o.factors[i]!] });
    const seed = g.op('Mul', [g.op('RealDiv', [o.grads[i]!, n], { T: F }, `conflict/${h.task.id}/mean`), factor], { T: F }, `conflict/${h.task.id}/seed`);
    return o.backward(new Map([[h.layerId, [seed]]]));
  });
  const shape = g.constant('conflict/rows_shape', { dtype: 'int32', shape: [2], values: [k, -1] });
  const grams: string[] = [];
  for (const block of o.blocks) {
    const dense = o.denseInput(block);
    const cost = dense && denseGramianCosts(o.batchSize, dense.inputs, dense.units, k);
    if (dense && cost && cost.fromActivations < cost.fromWeights) {
      const reached = perTask.find((t) => t.preActivation.has(block))?.preActivation.get(block);
      if (!reached) return undefined;
      const d = g.op('Pack', perTask.map((t, i) => t.preActivation.get(block) ?? g.op('ZerosLike', [reached], { T: F }, `conflict/${block}/zeros_${i}`)),
        { T: F, N: { i: k }, axis: { i: 0 } }, `conflict/${block}/pre_activation_grads`);
      grams.push(denseActivationGramian(g, `conflict/${block}`, dense.x, d, k));
      continue;
    }
    const keys = o.weights.filter((w) => w.layer === block && perTask.some((t) => t.weights.has(w.key))).map((w) => w.key);
    if (!keys.length) return undefined;
    // The block's Gramian is the sum of its weights' (each a k x P Jacobian times its transpose).
    const parts = keys.map((key) => {
      const rows = perTask.map((t, i) => t.weights.get(key) ?? g.op('ZerosLike', [perTask.find((u) => u.weights.has(key))!.weights.get(key)!], { T: F }, `conflict/${key}/zeros_${i}`));
      const jacobian = g.op('Reshape', [g.op('Pack', rows, { T: F, N: { i: k }, axis: { i: 0 } }, `conflict/${key}/stack`), shape], { T: F, Tshape: I32 }, `conflict/${key}/jacobian`);
      return g.op('MatMul', [jacobian, jacobian], { T: F, transpose_a: { b: false }, transpose_b: { b: true } }, `conflict/${key}/gramian`);
    });
    grams.push(sumInOrder(g, parts, `conflict/${block}/gramian`));
  }
  return g.op('Pack', grams, { T: F, N: { i: grams.length }, axis: { i: 0 } }, 'conflict/block_gramians');
}
