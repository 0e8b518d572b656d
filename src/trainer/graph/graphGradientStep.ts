// One step of a gradient-family method (a rule: weighting/index.ts ruleWeights) on the fused
// graph: the first session call takes the tasks' gradients and returns their Gramian (and the
// batch's mean losses when the method reads them), the method turns it into coefficients in
// JavaScript, the second call combines the gradients with them and updates (taskGradients.ts).
// GradDrop has no coefficients: its second call takes a seed pair for its masks instead
// (gradDrop.ts) and, on a step whose shares are reported, returns each task's kept part, which
// the Gramian's diagonal turns into shares.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { TaskWeighting } from '../weighting/index';
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
  /** Returns each conflict block's Gramian when `measure` (runs.blockGramians given). */
  return (feeds: readonly Feed[], values: readonly TF.Tensor[], measure = false): number[][][] | undefined => {
    const blocks = measure && runs.blockGramians ? [runs.blockGramians] : [];
    const drop = runs.signDrop && weighting.signDrop;
    const reported = drop && weighting.signDrop!.reported();
    // GradDrop reads the Gramian (its diagonal) only on a reported step: on the others the first
    // call keeps the gradients without computing it (a pass over the Jacobian less).
    const out = session.run([...feeds], [...values], [...(drop && !reported ? [runs.signDrop!.stashed] : first), ...blocks]);
    const [gramian, losses] = [out[0]!, first.length > 1 ? out[1] : undefined];
    const gram = !drop || reported ? gramian.dataSync() : undefined;
    const coefficients = drop ? undefined : weighting.ruleWeights!(gram!, losses ? Array.from(losses.dataSync()) : undefined);
    const measured = blocks.length ? toGramians(out[out.length - 1]!) : undefined;
    tf.dispose(out);
    const mix = drop ? tf.tensor1d(weighting.signDrop!.seed(), 'int32') : tf.tensor1d(coefficients!);
    const rate = feeds.findIndex((f) => f.name === lr);
    const second = session.run([...(runs.recompute ? feeds : [feeds[rate]!]), drop ? { name: runs.signDrop!.seed, tfDtype: 'DT_INT32' } : { name: runs.mix }],
      [...(runs.recompute ? values : [values[rate]!]), mix], reported ? [stepDone, runs.signDrop!.keptDots] : [stepDone]);
    if (reported) weighting.signDrop!.record(second[1]!.dataSync(), gram!);
    tf.dispose(second);
    mix.dispose();
    return measured;
  };
}

/** [blocks, k, k] as nested arrays. */
function toGramians(t: TF.Tensor): number[][][] {
  const [b, k] = t.shape as [number, number, number];
  const flat = t.dataSync();
  return Array.from({ length: b }, (_, x) => Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => flat[(x * k + i) * k + j]!)));
}
