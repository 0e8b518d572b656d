// The fused graph's reads at an epoch's end: the weights (`get`, before the model is read), the
// running train metrics' sums (`take`, metricSums.ts) and the evaluation's outputs, in one
// session run where they can be. Each distinct set of fetches is a signature of its own to
// TensorFlow: its first run prunes the graph, runs Grappler's passes over it and sets up an
// executor, 4-12 ms of CPU each on the dense reference graph (bench/firstEpochProbe.ts, load
// 15), and a run reads all three at every epoch's end with no step between. So the loop asks
// for the weights with the next run (`syncWithNextRun`): the evaluation's first session run
// fetches them too; `sync` afterwards reads them only where no run did (no validation rows).
import type * as TF from '@tensorflow/tfjs';
import type { Tf } from '../backend';
import type { MetricSumNodes } from './metricSums';
import type { GraphSession } from './session';

export interface EpochEndReads {
  /** A session run that also reads the weights (and the sums) where `syncWithNextRun` asked for them. */
  run: GraphSession['run'];
  /** The next `run` reads the weights into the model too (`withMetricSums`: and takes the sums for `takeMetricSums`). */
  syncWithNextRun(withMetricSums: boolean): void;
  /** Reads the weights into the model (and takes the sums), unless a run has since the last step. */
  sync(withMetricSums: boolean): void;
  /** A step ran: the session's weights are ahead of the model's, and a pending read is the next epoch end's business. */
  stepped(): void;
  /** The metric sums since the last take: those the last read took, else a run of their own. */
  takeMetricSums(): Float32Array[];
}

/** `assign`: puts the weights' values (`getOutputs`' order) into the model; the tensors are disposed after. */
export function epochEndReads(tf: Tf, session: Pick<GraphSession, 'run'>, getOutputs: readonly string[], metricSums: MetricSumNodes | undefined,
  assign: (weights: TF.Tensor[]) => void): EpochEndReads {
  /** The sums the last read took, not yet handed out. */
  let kept: Float32Array[] | undefined;
  /** Whether the model holds the session's weights (none changed since the last read; `set` made them equal). */
  let current = true;
  let pending: { withMetricSums: boolean } | undefined;
  const values = (tensors: TF.Tensor[]) => {
    const read = tensors.map((t) => t.dataSync() as Float32Array);
    tf.dispose(tensors);
    return read;
  };
  const takes = (withMetricSums: boolean) => withMetricSums && !!metricSums;
  const reads = (withMetricSums: boolean) => [...getOutputs, ...(takes(withMetricSums) ? metricSums!.take : [])];
  const consume = (outs: TF.Tensor[], withMetricSums: boolean) => {
    const weights = outs.slice(0, getOutputs.length);
    assign(weights);
    tf.dispose(weights);
    if (takes(withMetricSums)) kept = values(outs.slice(getOutputs.length));
    current = true;
  };
  return {
    run(feeds, inputs, fetches) {
      if (!pending) return session.run(feeds, inputs, fetches);
      const { withMetricSums } = pending;
      pending = undefined;
      const outs = session.run(feeds, inputs, [...fetches, ...reads(withMetricSums)]);
      consume(outs.slice(fetches.length), withMetricSums);
      return outs.slice(0, fetches.length);
    },
    syncWithNextRun(withMetricSums) {
      pending = { withMetricSums };
    },
    sync(withMetricSums) {
      pending = undefined;
      if (current && (!takes(withMetricSums) || kept)) return;
      consume(session.run([], [], reads(withMetricSums)), withMetricSums);
    },
    stepped() {
      current = false;
      pending = undefined;
    },
    takeMetricSums() {
      if (kept) {
        const taken = kept;
        kept = undefined;
        return taken;
      }
      return values(session.run([], [], metricSums?.take ?? []));
    },
  };
}
