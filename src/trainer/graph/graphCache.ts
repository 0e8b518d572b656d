// The last training graph built (trainGraph.ts), kept for the next step made from the same
// network, heads and options in the same process: a loop run again on one model, the bench's
// warm-up before its timed run (as Keras keeps the train function its warm-up `fit` traced).
// Writing the graph is JavaScript work that grows with the layers and the unrolled time steps:
// on the bench's LSTM (64 units, 20 steps) a second build in a process took 27 ms of CPU, a
// sixth of its timed epoch at batch 256 (8 steps of 12 ms, bench/trainSpeed.ts), later ones
// 5-7 ms. The key is the whole spec, the order and the options as JSON, and the heads object
// itself (the loop's heads are made from the spec once per phase): anything else misses and
// builds anew. The graph is only read after it is built, so one object serves every step.
import type { ExperimentSpec } from '../../core/spec';
import type { TaskHead } from '../heads';
import { buildTrainGraph, type TrainGraph } from './trainGraph';

type Options = Parameters<typeof buildTrainGraph>[3];

let last: { key: string; heads: readonly TaskHead[]; graph: TrainGraph } | undefined;

/** Sets as sorted arrays: the same set gives the same key whatever order it was filled in. */
const setsAsArrays = (_: string, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)].map(String).sort() : v);

/** The training graph of these inputs: the last one built if it was built from the same ones, else a new one. */
export function trainGraphFor(spec: ExperimentSpec, heads: TaskHead[], topo: string[], options: Options): TrainGraph {
  const key = JSON.stringify([spec, topo, options], setsAsArrays);
  if (last && last.heads === heads && last.key === key) return last.graph;
  const graph = buildTrainGraph(spec, heads, topo, options);
  last = { key, heads, graph };
  return graph;
}
