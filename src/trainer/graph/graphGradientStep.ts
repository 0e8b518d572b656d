// One step of a gradient-family method (a rule: weighting/index.ts ruleWeights) on the fused
// graph: the first session call takes the tasks' gradients and returns their Gramian (and the
// batch's mean losses when the method reads them), the method turns it into coefficients in
// JavaScript, the second call combines the gradients with them and updates (taskGradients.ts).
// A method with a graph rule (graphRules.ts) computes its coefficients in the graph: one call
// (fed the task orders PCGrad and GradVac draw).
// GradDrop has no coefficients, so its step is one call (nothing kept between two calls:
// taskGradients.ts), fed a seed pair for its
// masks (gradDrop.ts); on a step whose shares are reported it returns each task's kept part,
// which the Gramian's diagonal turns into shares.
// Every call is a prepared run (preparedRun.ts), one per fetch set, made on the first step that
// asks for it: a step that measures conflict fetches each block's Gramian too, a reported
// GradDrop step its kept parts and Gramian.
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
export function graphGradientStep(session: GraphSession, runs: GradientRuns, stepDone: string, lr: string, weighting: TaskWeighting) {
  const first = weighting.description.needs.losses ? [runs.gramian, runs.lossMeans] : [runs.gramian];
  const prepared = new Map<string, PreparedRun>();
  /** The prepared run of this fetch set (its feeds follow from it: each path fetches its own `after`). */
  const runOf = (feeds: readonly Feed[], fetches: readonly string[], keepLast = false): PreparedRun => {
    const key = `${keepLast ? 'keep:' : ''}${fetches.join(',')}`;
    let run = prepared.get(key);
    if (!run) prepared.set(key, run = session.prepare([...feeds], [...fetches], keepLast));
    return run;
  };
  /** [blocks, k, k] Gramians read flat, as nested arrays (k: the step's tasks). */
  const gramians = (flat: ArrayLike<number>) => toGramians(flat, weighting.active().length);
  /** Returns each conflict block's Gramian when `measure` (runs.blockGramians given). */
  const step = (feeds: readonly Feed[], given: readonly PreparedFeed[], measure = false): number[][][] | undefined => {
    const blocks = measure && runs.blockGramians ? [runs.blockGramians] : [];
    if (runs.ruled && weighting.graphRule) {
      // The task orders a rule draws (PCGrad, GradVac with 3 or more tasks) go in as an Int32Array.
      const rule = weighting.graphRule;
      const orders = runs.ruled.orders;
      const ruledFeeds = [...feeds, ...(orders ? [{ name: orders, tfDtype: 'DT_INT32' }] : [])];
      const values = [...given, ...(orders ? [rule.orders()] : [])];
      const fetches = [stepDone, runs.ruled.after, runs.ruled.coefficients];
      if (blocks.length) {
        const out = runOf(ruledFeeds, [...fetches, ...blocks]).read(values);
        if (rule.reported()) rule.record(out[2]!);
        return gramians(out[3]!);
      }
      /**
       * Every other step: its coefficients kept in TensorFlow's tensor (`keepLast`), read on a
       * reported step only (every REPORTS_PER_EPOCH-th of an epoch, loop.ts). One fetch set for
       * every step: a reported step had been a session run through tfjs (the rows uploaded as a
       * tfjs tensor, each output wrapped as one), some 450 µs of CPU, 45 a step on average
       * (IMTL-G, representation, 4 tasks, 2026-12-01, load 14).
       */
      const run = runOf(ruledFeeds, fetches, true);
      run.run(values);
      if (rule.reported()) rule.record(run.last()!);
      return undefined;
    }
    if (runs.signDrop && weighting.signDrop) {
      // GradDrop's seed pair fed as int32 values, drawn from the weighting's stream. A step that
      // reads nothing back was not slower prepared than through the session's call (2 tasks,
      // shared parameters, XLA's mask, bench/weightingCost.ts --one with this path switched off in
      // turn, 4 rounds, load 12-15: 1.29 against 1.60 ms of CPU a step, medians;
      // test/unit/trainer/graphGradDropPrepared.test.ts checks it trains the same).
      const drop = weighting.signDrop;
      const reported = drop.reported();
      const values = [...given, Int32Array.from(drop.seed())];
      const fetches = [stepDone, runs.signDrop.after, ...(reported ? [runs.signDrop.keptDots, runs.gramian] : []), ...blocks];
      const run = runOf([...feeds, { name: runs.signDrop.seed, tfDtype: 'DT_INT32' }], fetches);
      if (!reported && !blocks.length) {
        run.run(values);
        return undefined;
      }
      const out = run.read(values);
      if (reported) drop.record(out[2]!, out[3]!);
      return blocks.length ? gramians(out[out.length - 1]!) : undefined;
    }
    // Two calls: the Gramian (and the losses) read straight from TensorFlow's outputs, the
    // coefficients fed from a Float32Array. The second call takes the rate (`lr`) and the
    // coefficients, or all the first call's feeds too when it runs the trunk's forward again.
    const out = runOf(feeds, [...first, ...blocks]).read([...given]);
    const coefficients = weighting.ruleWeights!(out[0]!, first.length > 1 ? Array.from(out[1]!) : undefined);
    const rate = feeds.findIndex((f) => f.name === lr);
    const mix = Float32Array.from(coefficients);
    runOf([...(runs.recompute ? feeds : [feeds[rate]!]), { name: runs.mix }], [stepDone]).run(runs.recompute ? [...given, mix] : [given[rate]!, mix]);
    return blocks.length ? gramians(out[out.length - 1]!) : undefined;
  };
  /** `free`: the kept coefficients' tensor, freed when the step is let go. */
  return Object.assign(step, { free: () => prepared.forEach((run) => run.free()) });
}

/** [blocks, k, k] read flat (row-major), as nested arrays (also graphStep.ts's conflict measurement). */
export function toGramians(flat: ArrayLike<number>, k: number): number[][][] {
  const b = flat.length / (k * k);
  return Array.from({ length: b }, (_, x) => Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => flat[(x * k + i) * k + j]!)));
}
