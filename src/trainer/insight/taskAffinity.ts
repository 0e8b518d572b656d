// Inter-task affinity by lookahead during training (formula and grouping in core/taskAffinity.ts).
// On the step's batch, before the step: each task's gradient on the shared variables, a
// trial SGD step of the shared variables on it at the step's learning rate, every task's loss
// there, and the shared variables put back. As in Fifty et al., the lookahead is a plain SGD
// step whatever the optimizer (their SGD form; momentum and Adam's state are left untouched).
// No dropout, no training-mode batch normalisation, as for the conflict measure.
import type * as TF from '@tensorflow/tfjs';
import type { MetricPoint } from '../../core/protocol';
import { AffinityTally, affinityTask, bestGroupings, lookaheadAffinity, type TaskAffinitySummary } from '../../core/taskAffinity';
import type { BatchMask } from '../labelMask';
import type { LoopSetup } from '../loopSetup';
import { headLabels, reachedVars, sharedBlocks } from './conflict';

type Batch = { xb: ReadonlyMap<string, TF.Tensor>; yb: ReadonlyMap<string, TF.Tensor>; masks: ReadonlyMap<string, BatchMask> };

/** Every task's loss on the batch with the model's current weights. */
function taskLosses(s: Pick<LoopSetup, 'tf' | 'forward' | 'heads'>, b: Batch): TF.Tensor1D {
  const { tf, heads } = s;
  return tf.tidy(() => {
    const outs = s.forward(b.xb, false);
    return tf.stack(heads.map((h) => h.lossFn(headLabels(tf, h, b.yb.get(h.task.id)!), outs.get(h.task.id)!, b.masks.get(h.task.id)?.weights))) as TF.Tensor1D;
  });
}

/**
 * after[i][j]: task j's loss after an SGD step of size lr of the shared variables on task i's loss; before[j] without it.
 * `reached(task)`: the shared variables the task's loss reaches (default all); a task that reaches none steps nothing: after = before.
 */
export function lookaheadLosses(s: Pick<LoopSetup, 'tf' | 'forward' | 'heads'>, shared: TF.Variable[], lr: number, b: Batch,
  reached: (task: string) => TF.Variable[] = () => shared): { before: number[]; after: number[][] } {
  const { tf, heads } = s;
  const saved = shared.map((v) => tf.clone(v));
  const rows: TF.Tensor1D[] = [taskLosses(s, b)];
  try {
    for (const h of heads) {
      const vars = reached(h.task.id);
      if (!vars.length) {
        rows.push(tf.clone(rows[0]!));
        continue;
      }
      const { grads, value } = tf.variableGrads(() => tf.tidy(() => {
        const out = s.forward(b.xb, false).get(h.task.id)!;
        return h.lossFn(headLabels(tf, h, b.yb.get(h.task.id)!), out, b.masks.get(h.task.id)?.weights);
      }), vars);
      shared.forEach((v) => { const g = grads[v.name]; if (g) v.assign(tf.tidy(() => tf.sub(v, tf.mul(g, lr)))); });
      tf.dispose([value, ...Object.values(grads)]);
      rows.push(taskLosses(s, b));
      shared.forEach((v, k) => v.assign(saved[k]!));
    }
    const all = tf.tidy(() => tf.stack(rows));
    const flat = Array.from(all.dataSync());
    all.dispose();
    const t = heads.length;
    return { before: flat.slice(0, t), after: heads.map((_, i) => flat.slice((i + 1) * t, (i + 2) * t)) };
  } finally {
    shared.forEach((v, k) => v.assign(saved[k]!));
    tf.dispose([...saved, ...rows]);
  }
}

/** Measures every `every` steps; each measurement's points and the phase's mean matrix. */
export class AffinityMeter {
  private readonly tally: AffinityTally;
  private readonly shared: TF.Variable[];
  private readonly reached: Map<string, TF.Variable[]>;

  constructor(private readonly s: LoopSetup, readonly every: number) {
    this.tally = new AffinityTally(s.heads.map((h) => h.task.id));
    const blocks = sharedBlocks(s);
    this.shared = blocks.flatMap((b) => b.vars);
    this.reached = new Map(s.heads.map((h) => [h.task.id, reachedVars(blocks, h.task.id)]));
  }

  get active(): boolean { return this.shared.length > 0 && this.s.heads.length >= 2; }

  measure(step: number, epoch: number, lr: number, b: Batch): MetricPoint[] {
    if (!this.active || step % this.every !== 0) return [];
    const { before, after } = lookaheadLosses(this.s, this.shared, lr, b, (task) => this.reached.get(task) ?? this.shared);
    const z = lookaheadAffinity(before, after);
    this.tally.add(z);
    const tasks = this.tally.tasks;
    return z.flatMap((row, i) => row.flatMap((v, j) => (i !== j && Number.isFinite(v)
      ? [{ step, epoch, split: 'train' as const, task: affinityTask(tasks[i]!, tasks[j]!), metric: 'affinity', value: v }] : [])));
  }

  summary(): TaskAffinitySummary {
    const matrix = this.tally.mean();
    return { every: this.every, measurements: this.tally.measurements, tasks: this.tally.tasks, matrix, groupings: bestGroupings(this.tally.tasks, matrix) };
  }
}
