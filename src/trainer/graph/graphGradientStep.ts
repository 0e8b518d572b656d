// One step of a gradient-family method (a rule: weighting/index.ts ruleWeights) on the fused
// graph: the first session call takes the tasks' gradients and returns their Gramian (and the
// batch's mean losses when the method reads them), the method turns it into coefficients in
// JavaScript, the second call combines the gradients with them and updates (taskGradients.ts).
// Both calls are prepared once (twoCalls: preparedRun.ts), but on a step that measures conflict.
// A method with a graph rule (graphRules.ts) computes its coefficients in the graph: one call
// (fed the task orders PCGrad and GradVac draw).
// GradDrop has no coefficients, so its step is one call (nothing kept between two calls:
// taskGradients.ts), fed a seed pair for its
// masks (gradDrop.ts); on a step whose shares are reported it returns each task's kept part,
// which the Gramian's diagonal turns into shares.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { TaskWeighting } from '../weighting/index';
import type { PreparedFeed, PreparedRun } from './preparedRun';
import type { GraphSession } from './session';
import type { GradientRuns } from './taskGradients';

type Feed = { name: string; tfDtype?: string };

/**
 * The step: `feeds`/`values` are the one-call step's (the split, its labels, the rows, the
 * gradient scales, the rate named `lr`); the second call takes only the rate and the
 * coefficients (all it reads of the first is kept in the session), or all of them when it runs
 * the trunk's forward again (`runs.recompute`).
 */
export function graphGradientStep(tf: Tf, session: GraphSession, runs: GradientRuns, stepDone: string, lr: string, weighting: TaskWeighting) {
  const first = weighting.description.needs.losses ? [runs.gramian, runs.lossMeans] : [runs.gramian];
  /**
   * A graph rule's step, prepared once (preparedRun.ts), as the one-call step's: every step fetches
   * its coefficients and keeps them in TensorFlow's tensor (`keepLast`), read on a reported step
   * only (every REPORTS_PER_EPOCH-th of an epoch, loop.ts). One fetch set for every step: a
   * reported step had been a session run through tfjs (the rows uploaded as a tfjs tensor, each
   * output wrapped as one), some 450 µs of CPU, 45 a step on average (IMTL-G, representation,
   * 4 tasks, 2026-12-01, load 14).
   */
  let ruledStep: PreparedRun | undefined;
  /** The two-call step on a step that measures no conflict, prepared once (twoCalls). */
  let twoCallStep: ReturnType<typeof twoCalls> | undefined;
  /** GradDrop's step on a step that reads nothing back, prepared once. */
  let droppedStep: PreparedRun | undefined;
  /**
   * Returns each conflict block's Gramian when `measure` (runs.blockGramians given). The
   * batch's rows may come as an Int32Array (uploaded here only for a run that is not prepared).
   */
  const step = (feeds: readonly Feed[], given: readonly PreparedFeed[], measure = false): number[][][] | undefined => {
    const blocks = measure && runs.blockGramians ? [runs.blockGramians] : [];
    if (runs.ruled && weighting.graphRule && !blocks.length) {
      // The task orders a rule draws (PCGrad, GradVac with 3 or more tasks) go in as an Int32Array.
      const rule = weighting.graphRule;
      const orders = runs.ruled.orders;
      const ruledFeeds = [...feeds, ...(orders ? [{ name: orders, tfDtype: 'DT_INT32' }] : [])];
      const values = [...given, ...(orders ? [rule.orders()] : [])];
      (ruledStep ??= session.prepare(ruledFeeds, [stepDone, runs.ruled.after, runs.ruled.coefficients], true)).run(values);
      if (rule.reported()) rule.record(ruledStep.last()!);
      return undefined;
    }
    if (runs.signDrop && weighting.signDrop && !weighting.signDrop.reported() && !blocks.length) {
      // GradDrop's likewise, its seed pair fed as int32 values (the same draw from the stream as below).
      // Not slower than the session's call (2 tasks, shared parameters, XLA's mask, bench/weightingCost.ts
      // --one with this path switched off in turn, 4 rounds, load 12-15: 1.29 against 1.60 ms of CPU a
      // step, medians; test/unit/trainer/graphGradDropPrepared.test.ts checks it trains the same).
      (droppedStep ??= session.prepare([...feeds, { name: runs.signDrop.seed, tfDtype: 'DT_INT32' }], [stepDone, runs.signDrop.after])).run([...given, Int32Array.from(weighting.signDrop.seed())]);
      return undefined;
    }
    if (!runs.ruled && !(runs.signDrop && weighting.signDrop) && !blocks.length) {
      (twoCallStep ??= twoCalls(feeds)).step(given);
      return undefined;
    }
    const uploads = given.flatMap((v) => (v instanceof Int32Array ? [tf.tensor1d(v, 'int32')] : []));
    let u = 0;
    const values = given.map((v) => (v instanceof Int32Array ? uploads[u++]! : v as TF.Tensor));
    try {
      return unprepared(feeds, values, blocks);
    } finally {
      tf.dispose(uploads);
    }
  };
  /** `free`: the kept coefficients' tensor, freed when the step is let go. */
  return Object.assign(step, { free: () => ruledStep?.free() });

  /**
   * The two calls prepared once (preparedRun.ts), as the one-call step is: the Gramian (and
   * the losses) read straight from TensorFlow's outputs, the coefficients fed from a
   * Float32Array, no tfjs tensor made or disposed. The second call takes the rate (`lr`) and
   * the coefficients, or all the first call's feeds too when it runs the trunk's forward again.
   */
  function twoCalls(feeds: readonly Feed[]) {
    const rate = feeds.findIndex((f) => f.name === lr);
    const gradients = session.prepare([...feeds], first);
    const update = session.prepare([...(runs.recompute ? feeds : [feeds[rate]!]), { name: runs.mix }], [stepDone]);
    return {
      step(given: readonly PreparedFeed[]) {
        const out = gradients.read([...given]);
        const coefficients = weighting.ruleWeights!(out[0]!, first.length > 1 ? Array.from(out[1]!) : undefined);
        const mix = Float32Array.from(coefficients);
        update.run(runs.recompute ? [...given, mix] : [given[rate]!, mix]);
      },
    };
  }

  function unprepared(feeds: readonly Feed[], values: readonly TF.Tensor[], blocks: string[]): number[][][] | undefined {
    if (runs.signDrop && weighting.signDrop) {
      // GradDrop: one run (taskGradients.ts), the Gramian only on a reported step (its diagonal, for the shares).
      const drop = weighting.signDrop;
      const reported = drop.reported();
      const seed = tf.tensor1d(drop.seed(), 'int32');
      const out = session.run([...feeds, { name: runs.signDrop.seed, tfDtype: 'DT_INT32' }], [...values, seed],
        [stepDone, runs.signDrop.after, ...(reported ? [runs.signDrop.keptDots, runs.gramian] : []), ...blocks]);
      if (reported) drop.record(out[2]!.dataSync(), out[3]!.dataSync());
      const measured = blocks.length ? toGramians(out[out.length - 1]!) : undefined;
      tf.dispose([...out, seed]);
      return measured;
    }
    if (runs.ruled && weighting.graphRule) {
      // The coefficients computed in the graph (graphRules.ts): one run, read back when reported.
      const rule = weighting.graphRule;
      const reported = rule.reported();
      const orders = runs.ruled.orders ? tf.tensor1d(rule.orders(), 'int32') : undefined;
      const out = session.run([...feeds, ...(orders ? [{ name: runs.ruled.orders!, tfDtype: 'DT_INT32' }] : [])], [...values, ...(orders ? [orders] : [])],
        [stepDone, runs.ruled.after, ...(reported ? [runs.ruled.coefficients] : []), ...blocks]);
      if (reported) rule.record(out[2]!.dataSync());
      const measured = blocks.length ? toGramians(out[out.length - 1]!) : undefined;
      tf.dispose([...out, ...(orders ? [orders] : [])]);
      return measured;
    }
    const out = session.run([...feeds], [...values], [...first, ...blocks]);
    const [gramian, losses] = [out[0]!, first.length > 1 ? out[1] : undefined];
    const coefficients = weighting.ruleWeights!(gramian.dataSync(), losses ? Array.from(losses.dataSync()) : undefined);
    const measured = blocks.length ? toGramians(out[out.length - 1]!) : undefined;
    tf.dispose(out);
    const mix = tf.tensor1d(coefficients);
    const rate = feeds.findIndex((f) => f.name === lr);
    const second = session.run([...(runs.recompute ? feeds : [feeds[rate]!]), { name: runs.mix }], [...(runs.recompute ? values : [values[rate]!]), mix], [stepDone]);
    tf.dispose(second);
    mix.dispose();
    return measured;
  }
}

/** [blocks, k, k] as nested arrays. */
export function toGramians(t: TF.Tensor): number[][][] {
  return gramiansOf(t.dataSync(), t.shape[0]!, t.shape[1]!);
}

/** `blocks` Gramians of `k` tasks from their values in row-major order (also graphStep.ts's conflict measurement). */
export function gramiansOf(flat: ArrayLike<number>, blocks: number, k: number): number[][][] {
  return Array.from({ length: blocks }, (_, x) => Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => flat[(x * k + i) * k + j]!)));
}
