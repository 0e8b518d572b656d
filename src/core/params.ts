// Parameter counts exactly as tfjs-layers' model.countParams() counts them (trainable and
// non-trainable weights alike), and the sharing arithmetic built on them: what the shared
// model holds against what one separate model per task would need, each counted as the
// product's single-task baseline of that task is built (core/baseline.ts).
import { ownColumns } from './baseline';
import { blockParams, columnOwners, isBlockLayer, taskParts } from './blockLayers';
import { analyzeGraph, taskSubgraph, type Graph } from './graph';
import { inferShapes, type Shape } from './shapes';
import type { ExperimentSpec, LayerSpec } from './spec';

/**
 * Weights of one layer, given the shape of its (first) input; undefined when unknown.
 * dense: kernel in×units + bias; conv2d: kh×kw×cin×filters + bias; batchNormalization:
 * gamma, beta, moving mean and moving variance (4×channels, tfjs counts all four);
 * lstm: 4 gates × (in×u + u×u + u); gru: 3 gates × (in×u + u×u + u) (tfjs GRU has no
 * reset_after option, so one bias per gate); embedding: inputDim×outputDim.
 */
export function layerParams(layer: LayerSpec, input: Shape | undefined): number | undefined {
  // Guard against partly invalid documents (the designer counts while the user types).
  const n = rawLayerParams(layer, input);
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function rawLayerParams(layer: LayerSpec, input: Shape | undefined): number | undefined {
  if (isBlockLayer(layer)) return blockParams(layer, input);
  switch (layer.type) {
    case 'embedding':
      return layer.inputDim * layer.outputDim;
    case 'maxPooling2d': case 'averagePooling2d': case 'flatten': case 'reshape':
    case 'dropout': case 'concatenate': case 'add':
      return 0;
    default:
      break;
  }
  const last = input?.[input.length - 1];
  if (last === undefined) return undefined;
  switch (layer.type) {
    case 'dense':
      return last * layer.units + (layer.useBias === false ? 0 : layer.units);
    case 'conv2d': {
      // Half-typed while the designer counts: anything but a number or a pair is unknown.
      const k: unknown = layer.kernelSize;
      const [kh, kw] = typeof k === 'number' ? [k, k] : Array.isArray(k) && k.length === 2 ? k as [number, number] : [NaN, NaN];
      return kh * kw * last * layer.filters + (layer.useBias === false ? 0 : layer.filters);
    }
    case 'batchNormalization':
      return 4 * last;
    case 'lstm':
      return 4 * (layer.units * (last + layer.units) + layer.units);
    case 'gru':
      return 3 * (layer.units * (last + layer.units) + layer.units);
  }
}

export interface ParamCounts {
  /** Node id -> parameters, for every node whose count is known (inputs hold 0). */
  perNode: Map<string, number>;
  /** Node id -> how many of its parameters are in `shared` (a block's shared parts; all of a shared plain layer). */
  sharedPerNode: Map<string, number>;
  /** The multi-task model: every node that serves at least one task (what countParams() returns). */
  total: number;
  /** Parameters serving two or more tasks: plain layers on several tasks' paths, a block's shared parts. */
  shared: number;
  /** Task id -> parameters serving that task alone (its layers, its columns and gates of blocks). */
  perTask: Record<string, number>;
  /** Parameters in `total` that no task's loss reaches: a block's column (or gate) that no select picks. */
  unused: number;
  /**
   * Sum over tasks of the model that task's single-task baseline trains (core/baseline.ts):
   * its whole path, with only its own columns of a sharing block.
   */
  singleTaskTotal: number;
  /** singleTaskTotal - total: parameters saved by sharing; negative when the multi-task model is the bigger. */
  saving: number;
  /** saving / singleTaskTotal (0 when there is nothing to compare). */
  savingFraction: number;
  /** False when some serving node's count is unknown (e.g. its input shape could not be inferred). */
  complete: boolean;
}

type NodeCounts = Omit<ParamCounts, 'singleTaskTotal' | 'saving' | 'savingFraction'>;

export function countParams(spec: Pick<ExperimentSpec, 'model'>, graph: Graph = analyzeGraph(spec), shapes: Map<string, Shape> = inferShapes(spec, graph).shapes): ParamCounts {
  const counts = countNodes(spec, graph, shapes);
  let singleTaskTotal = 0, complete = counts.complete;
  const owners = columnOwners(graph);
  for (const task of graph.tasks) {
    const cut = ownColumns(spec, task, graph, owners);
    if (!cut) {
      // The baseline is the task's path as it is: the same layers, the same counts.
      for (const id of taskSubgraph(spec, task, graph)) singleTaskTotal += counts.perNode.get(id) ?? 0;
      continue;
    }
    const model = { model: cut };
    const baseline = countNodes(model, analyzeGraph(model));
    singleTaskTotal += baseline.total;
    complete &&= baseline.complete;
  }
  const saving = singleTaskTotal - counts.total;
  return { ...counts, singleTaskTotal, saving, savingFraction: singleTaskTotal > 0 ? saving / singleTaskTotal : 0, complete };
}

function countNodes(spec: Pick<ExperimentSpec, 'model'>, graph: Graph, shapes: Map<string, Shape> = inferShapes(spec, graph).shapes): NodeCounts {
  const perNode = new Map<string, number>();
  for (const node of graph.nodes.values()) {
    const n = node.kind === 'input' ? 0 : layerParams(node.layer, node.from[0] === undefined ? undefined : shapes.get(node.from[0]));
    if (n !== undefined) perNode.set(node.id, n);
  }
  let total = 0, shared = 0, unused = 0, complete = true;
  const sharedPerNode = new Map<string, number>();
  const perTask: Record<string, number> = Object.fromEntries(graph.tasks.map((t) => [t, 0]));
  const owners = columnOwners(graph);
  for (const [id, tasks] of graph.serves) {
    if (tasks.length === 0) continue;
    const n = perNode.get(id);
    if (n === undefined) { complete = false; continue; }
    total += n;
    // A sharing block serves every task as a whole, but a column's part (a gate, a column's
    // kernel) is its owner task's alone.
    const parts = taskParts(graph, shapes, owners, id, tasks) ?? [{ params: n, tasks }];
    let nodeShared = 0;
    for (const part of parts) {
      if (part.tasks.length >= 2) nodeShared += part.params;
      else if (part.tasks.length === 1) perTask[part.tasks[0]!]! += part.params;
      else unused += part.params;
    }
    shared += nodeShared;
    sharedPerNode.set(id, nodeShared);
  }
  return { perNode, sharedPerNode, total, shared, perTask, unused, complete };
}
