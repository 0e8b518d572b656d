// Sharing architectures as layers of the graph (no second model format): parallel dense
// columns with optional soft sharing (Duong et al. 2015), cross-stitch units (Misra et al.
// 2016), MMoE (Ma et al. 2018) and CGC/PLE (Tang et al. 2020), and `select`, which hands
// one column to a task's head. A block passes its columns on stacked, [columns, ...features],
// so blocks chain (parallelDense -> crossStitch -> parallelDense ...) and each column is
// followed down to the task that reads it (columnOwners).
//
// Here: output shapes, exact parameter counts (as tfjs-layers' countParams counts the
// trainer's block layers) and each block's parts: what is shared by all columns and what
// belongs to one column (a gate, a column's kernel).
import { LIMITS } from './experimentSchema';
import type { Graph } from './graph';
import type { LayerSpec } from './spec';
import type { LayerShapeResult, Shape } from './shapeTypes';
import { formatShape } from './wording';

export type BlockLayerSpec = Extract<LayerSpec, { type: 'parallelDense' | 'crossStitch' | 'mmoe' | 'ple' | 'select' }>;
export type BlockType = BlockLayerSpec['type'];

const BLOCK_TYPES: ReadonlySet<string> = new Set<BlockType>(['parallelDense', 'crossStitch', 'mmoe', 'ple', 'select']);
export const isBlockLayer = (l: LayerSpec): l is BlockLayerSpec => BLOCK_TYPES.has(l.type);
/** Whether a layer type (as the designer holds it, any string) is a sharing block's. */
export const isBlockType = (type: string): boolean => BLOCK_TYPES.has(type);

/** Blocks whose column i reads column i of a stacked input: ownership flows through them. */
const KEEPS_COLUMNS: ReadonlySet<string> = new Set(['parallelDense', 'crossStitch']);

const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** One part of a block's weights: shared by every column, or column `column`'s own. */
export interface BlockPart {
  label: string;
  params: number;
  column?: number;
}

/** Levels of a PLE block (CGC is one level). */
export const pleLevels = (l: { levels?: number }): number => l.levels ?? 1;

/** Output shape of a block layer given its input; the problem says how to fix the graph. */
export function blockOutputShape(layer: BlockLayerSpec, input: Shape, receives: string): LayerShapeResult {
  switch (layer.type) {
    case 'parallelDense':
      if (!isSize(layer.columns) || !isSize(layer.units)) return { unknown: true };
      if (input.length === 2 && input[0] !== layer.columns) {
        return { problem: `parallelDense has ${layer.columns} columns but ${receives}, ${input[0]} columns: make them equal.`, field: 'columns' };
      }
      if (input.length > 2) return { problem: `parallelDense needs a vector [features] or columns [columns, features] but ${receives}: add a flatten layer before it.` };
      return { shape: [layer.columns, layer.units] };
    case 'crossStitch':
      if (input.length < 2 || input[0]! < 2) {
        return { problem: `crossStitch mixes parallel task columns [columns, features] but ${receives}: put a parallelDense (one column per task) before it.` };
      }
      return { shape: [...input] };
    case 'mmoe':
    case 'ple':
      if (!isSize(layer.units) || !isSize(layer.tasks)) return { unknown: true };
      if (input.length !== 1) return { problem: `${layer.type} needs a flat vector but ${receives}: add a flatten layer before it.` };
      return { shape: [layer.tasks, layer.units] };
    case 'select':
      if (typeof layer.index !== 'number' || !Number.isInteger(layer.index) || layer.index < 0) return { unknown: true };
      if (input.length < 2) return { problem: `select picks one column of a block's output [columns, features] but ${receives}: read an mmoe, ple, parallelDense or crossStitch layer.` };
      if (layer.index >= input[0]!) return { problem: `index ${layer.index} is past the ${input[0]} columns of ${formatShape(input)}: use 0 to ${input[0]! - 1}.`, field: 'index' };
      return { shape: input.slice(1) };
  }
}

/**
 * The block's weights in parts, given its input shape; undefined when unknown.
 * parallelDense: per column d*units (+ units bias). crossStitch: alpha n*n, shared: it is
 * the sharing itself (alpha_ij is how much column i takes of task j's column) and no
 * single-task model holds it (core/baseline.ts), so it is no task's own.
 * mmoe: E experts d*units + units (shared); per task a gate d*E + E. ple, per level l with
 * input width d_l (d, then units): S shared and T per task experts d_l*units + units; per
 * task a gate d_l*(T+S) + (T+S); below the top level a shared gate d_l*(tasks*T+S) +
 * (tasks*T+S) (Tang et al. eqs. 4-5, Fig. 4).
 * Gates have a bias, which the papers' g(x) = softmax(W x) leaves out (LibMTL and most
 * implementations keep it): on centred inputs a bias-free gate averages to uniform weights,
 * so without it a task could not prefer an expert overall, and the gate heatmap would show
 * nothing of what each task leans on.
 */
export function blockParts(layer: BlockLayerSpec, input: Shape | undefined): BlockPart[] | undefined {
  if (layer.type === 'select') return [];
  const d = input?.[input.length - 1];
  if (d === undefined || !countable(layer, input!)) return undefined;
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  switch (layer.type) {
    case 'parallelDense': {
      const each = d * layer.units + (layer.useBias === false ? 0 : layer.units);
      return range(layer.columns).map((column) => ({ label: `column ${column}`, params: each, column }));
    }
    case 'crossStitch': {
      const n = input![0]!;
      return [{ label: `alpha ${n}×${n}`, params: n * n }];
    }
    case 'mmoe':
      return [
        { label: `${layer.experts} experts`, params: layer.experts * (d * layer.units + layer.units) },
        ...range(layer.tasks).map((column) => ({ label: `gate ${column}`, params: (d + 1) * layer.experts, column })),
      ];
    case 'ple': {
      const { sharedExperts: s, taskExperts: t, units: u, tasks: n } = layer;
      const levels = pleLevels(layer);
      let shared = 0, own = 0;
      for (let level = 0; level < levels; level++) {
        const width = level === 0 ? d : u;
        shared += s * (width * u + u) + (level < levels - 1 ? (width + 1) * (n * t + s) : 0);
        own += t * (width * u + u) + (width + 1) * (t + s);
      }
      return [
        { label: `${s} shared experts${levels > 1 ? ' and gates' : ''}`, params: shared },
        ...range(n).map((column) => ({ label: `task ${column}: ${t} experts and gate`, params: own, column })),
      ];
    }
  }
}

/**
 * Whether the counts that size the parts are within the schema's limits: the designer counts
 * while the user types, and a half-typed 1e9 columns must not build a billion parts.
 */
function countable(layer: BlockLayerSpec, input: Shape): boolean {
  const within = (v: unknown, max: number): boolean => isSize(v) && v <= max;
  switch (layer.type) {
    case 'parallelDense': return within(layer.columns, LIMITS.columns) && isSize(layer.units);
    case 'crossStitch': return within(input[0], LIMITS.columns);
    case 'mmoe': return within(layer.experts, LIMITS.experts) && within(layer.tasks, LIMITS.columns) && isSize(layer.units);
    case 'ple': return within(layer.sharedExperts, LIMITS.experts) && within(layer.taskExperts, LIMITS.experts) && within(layer.tasks, LIMITS.columns)
      && isSize(layer.units) && (layer.levels === undefined || within(layer.levels, LIMITS.levels));
    case 'select': return true;
  }
}

/** Sum of the parts; undefined when unknown. */
export function blockParams(layer: BlockLayerSpec, input: Shape | undefined): number | undefined {
  const parts = blockParts(layer, input);
  return parts?.reduce((sum, p) => sum + p.params, 0);
}

/** Gate names of a gated block, one per task column; the experts each gate weighs. */
export function gateLayout(layer: BlockLayerSpec): { experts: string[] } | undefined {
  if (layer.type === 'mmoe') return { experts: Array.from({ length: layer.experts }, (_, i) => `expert ${i}`) };
  if (layer.type === 'ple') {
    // The top level's gates: a task's gate weighs its own experts, then the shared ones.
    return { experts: [...Array.from({ length: layer.taskExperts }, (_, i) => `own ${i}`), ...Array.from({ length: layer.sharedExperts }, (_, i) => `shared ${i}`)] };
  }
  return undefined;
}

/**
 * For each block whose output is stacked columns: the tasks that own each column, found by
 * following column i down through column-keeping blocks to the `select` layers that pick it
 * (their tasks). A column read any other way (a flatten, say) has no owner here.
 */
export function columnOwners(graph: Graph): Map<string, string[][]> {
  const owners = new Map<string, string[][]>();
  for (const id of [...graph.order].reverse()) {
    const node = graph.nodes.get(id)!;
    if (node.kind !== 'layer' || !isBlockLayer(node.layer) || node.layer.type === 'select') continue;
    const columns: Array<Set<string>> = [];
    const at = (i: number): Set<string> => (columns[i] ??= new Set());
    for (const c of graph.consumers.get(id) ?? []) {
      const consumer = graph.nodes.get(c);
      if (consumer?.kind !== 'layer') continue;
      const l = consumer.layer;
      if (l.type === 'select' && Number.isInteger(l.index) && l.index >= 0 && l.index <= LIMITS.columns) {
        for (const t of graph.serves.get(c) ?? []) at(l.index).add(t);
      } else if (KEEPS_COLUMNS.has(l.type)) {
        (owners.get(c) ?? []).forEach((ts, i) => ts.forEach((t) => at(i).add(t)));
      }
    }
    owners.set(id, Array.from(columns, (s) => [...(s ?? [])]));
  }
  return owners;
}

/**
 * Blocks whose columns some layer reads all at once, so that a column no `select` picks still
 * reaches every task: a flatten, a dense, a crossStitch (each of its columns mixes them all), or
 * a parallelDense read so itself (its column i reads column i only). A block read only by
 * `select` layers and such parallelDense layers holds its unpicked columns for no task.
 */
function readWhole(graph: Graph): Set<string> {
  const whole = new Set<string>();
  for (const id of [...graph.order].reverse()) {
    const reads = (c: string): boolean => {
      const consumer = graph.nodes.get(c);
      if (consumer?.kind !== 'layer') return false;
      if (consumer.layer.type === 'select') return false;
      return consumer.layer.type !== 'parallelDense' || whole.has(c);
    };
    if ((graph.consumers.get(id) ?? []).some(reads)) whole.add(id);
  }
  return whole;
}

/** A block's part with the tasks it serves: a column's part its owners, a shared part all `served`; none for a column no task reads. */
export interface TaskPart { label: string; params: number; tasks: string[] }

/**
 * What each task gets of the block `id` (undefined for other nodes): its parts, each with the
 * tasks it serves. `served`: the node's tasks in display order; `owners` from columnOwners.
 */
export function taskParts(graph: Graph, shapes: ReadonlyMap<string, Shape>, owners: ReadonlyMap<string, string[][]>, id: string, served: string[]): TaskPart[] | undefined {
  const node = graph.nodes.get(id);
  if (node?.kind !== 'layer' || !isBlockLayer(node.layer)) return undefined;
  const parts = blockParts(node.layer, node.from[0] === undefined ? undefined : shapes.get(node.from[0]));
  if (!parts?.length) return undefined;
  const whole = readWhole(graph).has(id);
  return parts.map((p) => {
    const own = p.column === undefined ? undefined : owners.get(id)?.[p.column];
    // A column no select picks, in a block no layer reads whole: no task's loss reaches it (and no
    // baseline holds it, core/baseline.ts), so it is unused, not shared.
    const tasks = own?.length ? own : p.column !== undefined && !whole ? [] : served;
    return { label: p.label, params: p.params, tasks };
  });
}
