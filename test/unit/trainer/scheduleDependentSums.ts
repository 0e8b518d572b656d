// What makes a graph's sum follow TensorFlow's schedule (orderedSum.ts): an AddN of three inputs
// or more, one of which another node reads too, sums first the input whose buffer it may reuse,
// which depends on which of its readers ran first. The determinism tests look for such sums in
// the graphs a training builds (graphGradientDeterminism.test.ts, graphRecurrentDeterminism.test.ts).
import { GraphBuilder, type GraphNode } from '../../../src/trainer/graph/graphDef';

/** The AddN nodes of `nodes` with three inputs or more, one of which another node reads too. */
export function scheduleDependentSums(nodes: readonly GraphNode[]): string[] {
  const readers = new Map<string, number>();
  const output = (input: string) => (input.includes(':') ? input : `${input}:0`);
  for (const n of nodes) for (const i of n.inputs) if (!i.startsWith('^')) readers.set(output(i), (readers.get(output(i)) ?? 0) + 1);
  return nodes.filter((n) => n.op === 'AddN').flatMap((n) => {
    const data = n.inputs.filter((i) => !i.startsWith('^'));
    const shared = data.filter((i) => readers.get(output(i))! > 1);
    return data.length >= 3 && shared.length ? [`${n.name}: ${shared.join(', ')} read elsewhere too`] : [];
  });
}

/** Runs `train` and returns the nodes of every graph it wrote as a SavedModel, as they were then. */
export async function graphsBuiltBy<T>(train: () => Promise<T>): Promise<{ result: T; graphs: GraphNode[][] }> {
  const graphs: GraphNode[][] = [];
  const write = GraphBuilder.prototype.savedModel;
  GraphBuilder.prototype.savedModel = function (this: GraphBuilder, tags: string[]) {
    graphs.push([...this.added()]);
    return write.call(this, tags);
  };
  try {
    return { result: await train(), graphs };
  } finally {
    GraphBuilder.prototype.savedModel = write;
  }
}

