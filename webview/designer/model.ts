// What the designer shows, derived from the document with the core helpers: graph, shapes,
// parameter counts, task colours and problems per node. Tolerant of half-edited documents
// (a malformed entry keeps its index, so problem paths still point at the right node).
import { isObject } from '../../src/core/checkHelpers';
import { analyzeGraph, isShared, nodeAtPath, type Graph } from '../../src/core/graph';
import { estimateDocument, type MemoryEstimate } from '../../src/core/budget';
import { columnOwners, taskParts, type TaskPart } from '../../src/core/blockLayers';
import { countParams, type ParamCounts } from '../../src/core/params';
import { parseNodeId, taskNodeId } from '../../src/core/nodeIds';
import { inferShapes, type Shape } from '../../src/core/shapes';
import type { ExperimentSpec, InputSpec, LayerSpec, Problem } from '../../src/core/spec';
import { chartColorVar, TASK_COLOR_NAMES, taskColorVar } from '../../src/core/taskColors';
import { settingsSummary } from './settingsSummary';
import { setOwn } from '../../src/core/own';

export interface NodeInfo {
  id: string;
  kind: 'input' | 'layer';
  /** Index in model.inputs or model.layers: the JSON path of the node. */
  index: number;
  /** Layer type, or 'input'. */
  type: string;
  label?: string;
  settings: string;
  shape?: Shape;
  params?: number;
  /** Tasks served, in task order. */
  serves: string[];
  /** Serves two or more tasks (its place in the graph; how its weights split is `sharing`). */
  shared: boolean;
  /**
   * How the weights of a node serving several tasks split, as the summary bar counts them
   * (core/params): all shared; every part some task's own (parallel columns); or part shared
   * (mmoe/ple experts shared, a gate per task). Undefined for a node of one task or none.
   */
  sharing?: 'shared' | 'columns' | 'partly';
  /** Tasks whose output (head) this node is. */
  headOf: string[];
  from: string[];
  /** A sharing block's parts and the tasks each serves (experts shared, a gate or column per task). */
  parts?: TaskPart[];
}

export interface TaskInfo {
  id: string;
  /** Index in `tasks`, or -1 for an output whose task is not declared. */
  index: number;
  kind: string;
  target?: string;
  classes?: number;
  output?: string;
  /** CSS colour of the task (a VS Code charts colour). */
  color: string;
}

export interface DesignModel {
  /** The document (an object; anything else is shown as an empty experiment). */
  doc: Record<string, unknown>;
  /** The model part, sanitised for the graph helpers. */
  spec: Pick<ExperimentSpec, 'model'>;
  graph: Graph;
  nodes: NodeInfo[];
  nodeById: Map<string, NodeInfo>;
  tasks: TaskInfo[];
  taskById: Map<string, TaskInfo>;
  params: ParamCounts;
  /** Peak memory of training, from the document alone (core/budget); undefined without a batch size. */
  memory?: MemoryEstimate;
  problems: Problem[];
  /** Problems by canvas node id (layer or input id, or taskNodeId(task)). */
  problemsByNode: Map<string, Problem[]>;
  layout: Record<string, { x: number; y: number }>;
}

/** Every task colour (core/taskColors), e.g. for one arrowhead each. */
export const TASK_COLORS = TASK_COLOR_NAMES.map(chartColorVar);

// The designer's panels take isObject from here, with the model they read.
export { isObject };

/** Whether `id` names a node of this model's canvas: an input or a layer, or a task's node. */
export function onCanvas(model: Pick<DesignModel, 'nodeById' | 'taskById'>, id: string): boolean {
  const ref = parseNodeId(id);
  return ref.kind === 'task' ? model.taskById.has(ref.task) : model.nodeById.has(ref.id);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** model.inputs/layers/outputs with ids and "from" made well-formed, indexes kept. */
export function lenientModel(doc: Record<string, unknown>): Pick<ExperimentSpec, 'model'> {
  const model = isObject(doc.model) ? doc.model : {};
  const inputs = list(model.inputs).map((raw, i): InputSpec => {
    const o = isObject(raw) ? raw : {};
    return { ...(o as unknown as InputSpec), id: str(o.id) ?? `input #${i + 1}` };
  });
  const layers = list(model.layers).map((raw, i): LayerSpec => {
    const o = isObject(raw) ? raw : {};
    return { ...(o as unknown as LayerSpec), id: str(o.id) ?? `layer #${i + 1}`, from: list(o.from).filter((s): s is string => typeof s === 'string') };
  });
  const outputs = Object.fromEntries(Object.entries(isObject(model.outputs) ? model.outputs : {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  return { model: { inputs, layers, outputs } };
}

/** `problems`: what core `validate` found in `raw` (the host validates each version once and sends them along). */
export function buildModel(raw: unknown, problems: Problem[]): DesignModel {
  const doc = isObject(raw) ? raw : {};
  const spec = lenientModel(doc);
  const graph = analyzeGraph(spec);
  const { shapes } = inferShapes(spec, graph);
  const params = countParams(spec, graph, shapes);

  const declared = list(doc.tasks).map((t) => (isObject(t) ? t : {}));
  const taskIds = [...declared.map((t, i) => str(t.id) ?? `task #${i + 1}`)];
  for (const t of graph.tasks) if (!taskIds.includes(t)) taskIds.push(t);
  const tasks: TaskInfo[] = taskIds.map((id, i) => {
    const t = declared[i];
    const output = Object.hasOwn(spec.model.outputs, id) ? spec.model.outputs[id] : undefined;
    return {
      id, index: t ? i : -1, kind: str(t?.kind) ?? '?', target: str(t?.target),
      classes: typeof t?.classes === 'number' ? t.classes : undefined, output, color: taskColorVar(i),
    };
  });
  const order = new Map(taskIds.map((id, i) => [id, i]));
  const byTaskOrder = (a: string, b: string): number => (order.get(a) ?? 0) - (order.get(b) ?? 0);

  const owners = columnOwners(graph);
  const nodes: NodeInfo[] = [...graph.nodes.values()].map((n) => {
    const type = n.kind === 'input' ? 'input' : String(n.layer.type);
    const serves = [...(graph.serves.get(n.id) ?? [])].sort(byTaskOrder);
    const parts = taskParts(graph, shapes, owners, n.id, serves);
    const sharing = sharingOf(params.perNode.get(n.id), params.sharedPerNode.get(n.id), serves.length);
    return {
      id: n.id, kind: n.kind, index: n.index, type,
      label: str(n.kind === 'input' ? undefined : n.layer.label),
      settings: n.kind === 'input' ? settingsSummary(n.input) : settingsSummary(n.layer, layerOf(graph, n.layer.from[0])),
      shape: shapes.get(n.id), params: params.perNode.get(n.id),
      serves, shared: isShared(graph, n.id), ...(sharing ? { sharing } : {}),
      headOf: tasks.filter((t) => t.output === n.id).map((t) => t.id), from: n.from,
      ...(parts ? { parts } : {}),
    };
  });

  return {
    doc, spec, graph, nodes, nodeById: new Map(nodes.map((n) => [n.id, n])), tasks, taskById: new Map(tasks.map((t) => [t.id, t])),
    params, ...memoryOf(doc, spec), problems, problemsByNode: problemsByNode(spec, graph, tasks, problems), layout: layoutOf(doc),
  };
}

function sharingOf(params: number | undefined, shared: number | undefined, tasks: number): NodeInfo['sharing'] {
  if (tasks < 2) return undefined;
  if (!params || shared === undefined || shared === params) return 'shared';
  return shared === 0 ? 'columns' : 'partly';
}

/** The layer spec of node `id`, if it is a layer. */
function layerOf(graph: Graph, id: string | undefined): LayerSpec | undefined {
  const n = id === undefined ? undefined : graph.nodes.get(id);
  return n?.kind === 'layer' ? n.layer : undefined;
}

function memoryOf(doc: Record<string, unknown>, spec: Pick<ExperimentSpec, 'model'>): { memory?: MemoryEstimate } {
  const memory = estimateDocument(doc, spec.model);
  return memory ? { memory } : {};
}

function layoutOf(doc: Record<string, unknown>): Record<string, { x: number; y: number }> {
  const out: Record<string, { x: number; y: number }> = {};
  if (!isObject(doc.layout)) return out;
  for (const [id, p] of Object.entries(doc.layout)) {
    if (isObject(p) && typeof p.x === 'number' && typeof p.y === 'number' && Number.isFinite(p.x) && Number.isFinite(p.y)) setOwn(out, id, { x: p.x, y: p.y });
  }
  return out;
}

/** The canvas node a problem belongs to, if any: a layer or input, or a task's node. */
export function problemNode(spec: Pick<ExperimentSpec, 'model'>, graph: Graph, tasks: readonly TaskInfo[], path: readonly (string | number)[]): string | undefined {
  const [root, a, b] = path;
  if (root === 'tasks' && typeof a === 'number') {
    const task = tasks.find((t) => t.index === a);
    return task ? taskNodeId(task.id) : undefined;
  }
  const id = nodeAtPath(spec, path);
  if (id !== undefined && graph.nodes.has(id)) return id;
  // An output naming a missing layer: the task's node is where it is fixed.
  if (root === 'model' && a === 'outputs' && typeof b === 'string' && tasks.some((t) => t.id === b)) return taskNodeId(b);
  return undefined;
}

function problemsByNode(spec: Pick<ExperimentSpec, 'model'>, graph: Graph, tasks: TaskInfo[], problems: Problem[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const p of problems) {
    const id = problemNode(spec, graph, tasks, p.path);
    if (id === undefined) continue;
    const bucket = out.get(id);
    if (bucket) bucket.push(p); else out.set(id, [p]);
  }
  return out;
}
