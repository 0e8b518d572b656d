// Which experts each task leans on: the mean of each gated block's gate weights (its top
// level's for PLE) over the test rows, recorded in the run and drawn as a heatmap.
import type * as TF from '@tensorflow/tfjs';
import { columnOwners, gateLayout, isBlockLayer } from '../../core/blockLayers';
import { analyzeGraph } from '../../core/graph';
import type { GateMeans } from '../../core/protocol';
import type { ExperimentSpec } from '../../core/spec';
import type { Tf } from '../backend';
import type { BuiltModel } from './build';
import { isGated } from './blockLayers';

/** Rows averaged over at most: the means settle long before, and memory stays small. */
const GATE_ROWS = 4096;

export function gateMeans(tf: Tf, spec: ExperimentSpec, built: BuiltModel, x: ReadonlyMap<string, TF.Tensor>): GateMeans[] {
  const graph = analyzeGraph(spec);
  const gated = spec.model.layers.filter((l) => isBlockLayer(l) && gateLayout(l) && isGated(built.layers.get(l.id)));
  const rows = Math.min(GATE_ROWS, x.values().next().value?.shape[0] ?? 0);
  if (!gated.length || rows === 0) return [];
  const owners = columnOwners(graph);
  const last = Math.max(...gated.map((l) => graph.order.indexOf(l.id)));
  return tf.tidy(() => {
    // Inference up to the last gated block, through the layers' own apply (as the saved model computes).
    const values = new Map<string, TF.Tensor>([...x].map(([id, t]) => [id, tf.slice(t, 0, rows)]));
    for (const id of graph.order.slice(0, last + 1)) {
      const node = graph.nodes.get(id)!;
      if (node.kind !== 'layer') continue;
      const args = node.from.map((f) => values.get(f)!);
      values.set(id, built.layers.get(id)!.apply(args.length === 1 ? args[0]! : args, { training: false }) as TF.Tensor);
    }
    return gated.map((l) => {
      const gates = (built.layers.get(l.id) as unknown as { gateWeights(x: TF.Tensor): TF.Tensor }).gateWeights(values.get(l.from[0]!)!);
      const weights = (tf.mean(gates, 0).arraySync() as number[][]);
      const own = owners.get(l.id) ?? [];
      return { layer: l.id, columns: weights.map((_, i) => own[i]?.length ? own[i]!.join(', ') : `column ${i}`), experts: gateLayout(l as Parameters<typeof gateLayout>[0])!.experts, weights, rows };
    });
  });
}
