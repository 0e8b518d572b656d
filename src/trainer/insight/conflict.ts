// Gradient conflict measured during training (issue 14 item 1; formulas in core/conflict.ts).
// A separate tape computation on the step's batch, before the step: one forward and backward
// pass per task on the shared layers' variables, without dropout (the measure should not
// depend on a random mask) and without training-mode batch normalisation (which would update
// the moving statistics a second time). The training step itself is untouched.
import type * as TF from '@tensorflow/tfjs';
import { ConflictTally, WHOLE_TRUNK, conflictMetric, pairTask, pairValues, sumGramians, type PairValues } from '../../core/conflict';
import type { MetricPoint } from '../../core/protocol';
import { analyzeGraph } from '../../core/graph';
import { trunkOf } from '../../core/trunk';
import type { Tf } from '../backend';
import type { TaskHead } from '../heads';
import type { BatchMask } from '../labelMask';
import type { LoopSetup } from '../loopSetup';

/** A batch's labels as the heads' losses take them: the compiled step's binary labels are two columns [1 - y, y] (native/denseStep.ts twoColumnBinaryLabels). */
export function headLabels(tf: Tf, h: TaskHead, y: TF.Tensor): TF.Tensor {
  return h.encoding === 'binary' && y.shape[1] === 2 ? tf.slice(y, [0, 1], [-1, 1]) : y;
}

/** A shared layer's variables and the tasks it serves (not every task: with separate trunks per group of tasks, some reach none). */
export interface SharedBlock { id: string; vars: TF.Variable[]; tasks?: readonly string[] }

/** Shared layers (blocks) with trainable variables, in document order. */
export function sharedBlocks(s: Pick<LoopSetup, 'spec' | 'built'>): SharedBlock[] {
  const graph = analyzeGraph(s.spec);
  const trunk = trunkOf(s.spec, graph);
  return s.spec.model.layers.filter((l) => trunk.layers.has(l.id))
    .map((l) => ({ id: l.id, vars: (s.built.layers.get(l.id)?.trainableWeights ?? []).map((w) => w.read() as TF.Variable), tasks: graph.serves.get(l.id) ?? [] }))
    .filter((b) => b.vars.length > 0);
}

/** The shared variables a task's loss reaches (tf.variableGrads refuses a loss connected to none of the variables it is given). */
export function reachedVars(blocks: readonly SharedBlock[], task: string): TF.Variable[] {
  return blocks.filter((b) => !b.tasks || b.tasks.includes(task)).flatMap((b) => b.vars);
}

/**
 * Each block's Gramian of the tasks' gradients on the batch (tasks in heads order), read back
 * in one transfer. A task whose rows are all unlabelled in the batch has a zero gradient.
 */
export function blockGramians(s: Pick<LoopSetup, 'tf' | 'forward' | 'heads'>, blocks: readonly SharedBlock[],
  xb: ReadonlyMap<string, TF.Tensor>, yb: ReadonlyMap<string, TF.Tensor>, masks: ReadonlyMap<string, BatchMask>): number[][][] {
  const { tf, heads } = s;
  const t = heads.length;
  const stacked = tf.tidy(() => {
    // rows[task][block]: the task's gradient on the block, flattened (zero on a block the task does not reach).
    const rows = heads.map((h) => {
      const vars = reachedVars(blocks, h.task.id);
      const { grads } = vars.length ? tf.variableGrads(() => {
        const out = s.forward(xb, false).get(h.task.id)!;
        return h.lossFn(headLabels(tf, h, yb.get(h.task.id)!), out, masks.get(h.task.id)?.weights);
      }, vars) : { grads: {} as Record<string, TF.Tensor> };
      return blocks.map((b) => tf.concat(b.vars.map((v) => tf.reshape(grads[v.name] ?? tf.zerosLike(v), [-1]))));
    });
    return tf.stack(blocks.map((_, k) => {
      const r = tf.stack(rows.map((row) => row[k]!));
      return tf.matMul(r, r, false, true);
    }));
  });
  const flat = stacked.dataSync();
  stacked.dispose();
  return blocks.map((_, k) => Array.from({ length: t }, (_, a) => Array.from({ length: t }, (_, b) => flat[k * t * t + a * t + b]!)));
}

/** Measures every `every` steps; each measurement's points and the phase's tally. */
export class ConflictMeter {
  readonly tally: ConflictTally;
  private readonly blocks: SharedBlock[];

  constructor(private readonly s: LoopSetup, readonly every: number) {
    this.tally = new ConflictTally(every);
    this.blocks = sharedBlocks(s);
  }

  /** Nothing shared (a baseline's phase) or one task: nothing to measure. */
  get active(): boolean { return this.blocks.length > 0 && this.s.heads.length >= 2; }

  /** Whether `measure` measures at this step (a step that batches itself makes the batch only then). */
  due(step: number): boolean { return this.active && step % this.every === 0; }

  /** Measures at steps 0, every, 2·every… (the global step before the update); the points to log, if it measured. */
  measure(step: number, epoch: number, xb: ReadonlyMap<string, TF.Tensor>, yb: ReadonlyMap<string, TF.Tensor>, masks: ReadonlyMap<string, BatchMask>): MetricPoint[] {
    if (!this.due(step)) return [];
    return this.fromGramians(step, epoch, blockGramians(this.s, this.blocks, xb, yb, masks));
  }

  /** The shared layers (blocks) measured, in the order `fromGramians` takes their Gramians. */
  get blockIds(): string[] { return this.blocks.map((b) => b.id); }

  /** A measurement from each block's Gramian of the tasks' gradients taken elsewhere (the fused graph's task gradients: graph/taskGradients.ts). */
  fromGramians(step: number, epoch: number, grams: number[][][]): MetricPoint[] {
    const tasks = this.s.heads.map((h) => h.task.id);
    const byBlock = new Map<string, PairValues[]>([[WHOLE_TRUNK, pairValues(sumGramians(grams), tasks)]]);
    this.blocks.forEach((b, k) => byBlock.set(b.id, pairValues(grams[k]!, tasks)));
    this.tally.add(epoch, byBlock);
    const points: MetricPoint[] = [];
    for (const [block, values] of byBlock) {
      for (const v of values) {
        const at = { step, epoch, split: 'train' as const, task: pairTask(v.a, v.b) };
        points.push({ ...at, metric: conflictMetric('cosine', block), value: v.cosine }, { ...at, metric: conflictMetric('ratio', block), value: v.ratio });
      }
    }
    return points;
  }
}
