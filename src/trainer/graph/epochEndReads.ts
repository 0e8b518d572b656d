// The fused graph's reads at an epoch's end: the weights (`get`, before the model is read) and
// the running train metrics' sums (`take`, metricSums.ts), in one session run. Each distinct set
// of fetches is a signature of its own to TensorFlow: its first run prunes the graph, runs
// Grappler's passes over it and sets up an executor, 4-10 ms of CPU on the dense reference
// graph (bench/firstEpochProbe.ts), and a run reads both at every epoch's end with no step
// between. Taken together the second set-up is never paid. A weights read elsewhere (a tape
// measurement's, mid-epoch) leaves the sums in the session, as does a phase without metrics.
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { MetricSumNodes } from './metricSums';
import type { GraphSession } from './session';

export interface EpochEndReads {
  /** The weights' values in `get`'s order (caller disposes); `withMetricSums`: the sums are taken in the same run and kept for `takeMetricSums`. */
  weights(withMetricSums: boolean): TF.Tensor[];
  /** The metric sums since the last take: those the last `weights(true)` took, else a run of their own. */
  takeMetricSums(): Float32Array[];
}

export function epochEndReads(tf: Tf, session: Pick<GraphSession, 'run'>, getOutputs: readonly string[], metricSums: MetricSumNodes | undefined): EpochEndReads {
  let kept: Float32Array[] | undefined;
  const read = (tensors: TF.Tensor[]) => {
    const values = tensors.map((t) => t.dataSync() as Float32Array);
    tf.dispose(tensors);
    return values;
  };
  return {
    weights(withMetricSums) {
      if (!withMetricSums || !metricSums) return session.run([], [], [...getOutputs]);
      const outs = session.run([], [], [...getOutputs, ...metricSums.take]);
      kept = read(outs.slice(getOutputs.length));
      return outs.slice(0, getOutputs.length);
    },
    takeMetricSums() {
      if (kept) {
        const taken = kept;
        kept = undefined;
        return taken;
      }
      return read(session.run([], [], metricSums?.take ?? []));
    },
  };
}
