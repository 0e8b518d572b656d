// The last training graph written (trainGraph.ts), kept for the next step made from the same
// experiment, heads and options in this process (the bench's warm-up before its timed run, a
// loop run again on one model, a study's repeats). Writing the graph costs 20-40 ms of CPU on
// the bench's CNN, nearly all of it in google-protobuf's serialisation of the SavedModel: 5 %
// of that workload's timed run. The key holds everything the graph is written from (the whole
// spec, what of each head the graph reads, the order, the options), so a hit is the same graph.
import type { ExperimentSpec } from '../../core/spec';
import type { TaskHead } from '../heads';
import { buildTrainGraph, type TrainGraph } from './trainGraph';

let last: { key: string; graph: TrainGraph } | undefined;

/** buildTrainGraph's graph, the last one again when it was written from the same inputs. */
export function trainGraphFor(spec: ExperimentSpec, heads: TaskHead[], topo: string[], o: { uncertainty?: boolean } = {}): TrainGraph {
  const key = JSON.stringify([spec, heads.map((h) => [h.task, h.layerId, h.encoding, h.units, h.loss, h.logits]), topo, o]);
  if (last?.key !== key) last = { key, graph: buildTrainGraph(spec, heads, topo, o) };
  return last.graph;
}
