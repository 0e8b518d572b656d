// The variants a study trains, made from its experiment (pure). Each variant is an ordinary
// experiment; the study only decides which:
//   single-task   the as-designed runs' single-task baselines (no spec of its own)
//   as-designed   the experiment itself (always trained: its baselines are every Δm's reference)
//   branch-<d>    hard sharing split after trunk depth d ("where to branch"): the trunk layers up
//                 to depth d stay shared, each deeper trunk layer is copied once per task it served
//   weighting-<m> the designed network with another task weighting
//   arch-<a>      the trunk's dense layers replaced by a sharing block (cross-stitch, MMoE, PLE)
//   grouping-<g>  the tasks in groups, one trunk per group (core/taskGrouping.ts)
// A variant that cannot be made from this experiment is a located problem in the study file.
import { isBlockLayer } from '../blockLayers';
import { analyzeGraph, type Graph } from '../graph';
import { inferShapes } from '../shapes';
import type { DenseLayer, ExperimentSpec, LayerSpec, LayerType, Problem } from '../spec';
import { sanitizePathSegment } from '../runLayout';
import { groupedSpec, groupingText } from '../taskGrouping';
import { trunkOf, type Trunk } from '../trunk';
import { validate } from '../validate';
import { weightingLabel, type WeightingSpec } from '../weighting/registry';
import type { StudyArchitecture, StudySpec, StudyVariant } from './studyTypes';

/** Layers that hold no weights: a depth counts layers that learn, so "split after pool1" is "split after conv1". */
const WEIGHTLESS: ReadonlySet<LayerType> = new Set<LayerType>(['maxPooling2d', 'averagePooling2d', 'flatten', 'reshape', 'dropout', 'concatenate', 'add', 'select']);

/** Defaults of the architectures a study tries (STUDY_ARCHITECTURES in studySchema.ts says them in words). */
export const ARCHITECTURE_DEFAULTS = { mmoeExperts: 4, pleSharedExperts: 2, pleTaskExperts: 1, crossStitchSelfWeight: 0.9 } as const;

export const SINGLE_TASK_VARIANT = 'single-task';
export const AS_DESIGNED_VARIANT = 'as-designed';

export interface StudyPlan {
  variants: StudyVariant[];
  problems: Problem[];
}

export function studyVariants(experiment: ExperimentSpec, study: StudySpec): StudyPlan {
  const graph = analyzeGraph(experiment);
  const trunk = trunkOf(experiment, graph);
  const problems: Problem[] = [];
  const v = study.variants;
  const variants: StudyVariant[] = [];
  if (v.singleTask !== false) variants.push({ id: SINGLE_TASK_VARIANT, label: 'Single-task models', kind: 'single-task' });
  variants.push({ id: AS_DESIGNED_VARIANT, label: 'As designed', kind: 'as-designed', spec: experiment });

  if (v.branchDepths !== undefined && v.branchDepths !== false) {
    variants.push(...branchVariants(experiment, graph, trunk, v.branchDepths, problems));
  }
  const used = new Set(variants.map((x) => x.id));
  (v.weighting ?? []).forEach((w, i) => {
    const id = freshId(`weighting-${w.method}${w.mode === 'representation' ? '-representation' : ''}`, used);
    variants.push({ id, label: weightingLabel(w), kind: 'weighting', spec: { ...experiment, training: { ...experiment.training, weighting: w as WeightingSpec } } });
    checkMade(variants[variants.length - 1]!, ['variants', 'weighting', i], experiment, problems);
  });
  (v.architectures ?? []).forEach((a, i) => {
    const made = architectureSpec(experiment, graph, trunk, a);
    const path = ['variants', 'architectures', i];
    if ('error' in made) {
      problems.push({ path, severity: 'error', message: `${ARCHITECTURE_LABELS[a]} cannot be made from "${experiment.name}": ${made.error}` });
      return;
    }
    variants.push({ id: freshId(`arch-${a}`, used), label: ARCHITECTURE_LABELS[a], kind: 'architecture', spec: made.spec });
    checkMade(variants[variants.length - 1]!, path, experiment, problems);
  });
  (v.groupings ?? []).forEach((groups, i) => {
    const made = groupedSpec(experiment, groups);
    const path = ['variants', 'groupings', i];
    if ('error' in made) {
      problems.push({ path, severity: 'error', message: made.error });
      return;
    }
    const id = freshId(`grouping-${sanitizePathSegment(groups.map((g) => g.join('-')).join('_'), 'grouping')}`, used);
    // The study's runs keep the experiment's name (one runs folder): only the model is the grouping's.
    variants.push({ id, label: `Groups ${groupingText(groups)}`, kind: 'grouping', spec: { ...made.spec, name: experiment.name } });
    checkMade(variants[variants.length - 1]!, path, experiment, problems);
  });
  return { variants, problems };
}

const ARCHITECTURE_LABELS: Record<StudyArchitecture, string> = {
  crossStitch: 'Cross-stitch',
  mmoe: `MMoE (${ARCHITECTURE_DEFAULTS.mmoeExperts} experts)`,
  ple: `PLE/CGC (${ARCHITECTURE_DEFAULTS.pleSharedExperts} shared + ${ARCHITECTURE_DEFAULTS.pleTaskExperts} per task)`,
};

/** A made variant must be an experiment that validates; if not, that is the study's problem, said where. */
function checkMade(variant: StudyVariant, path: (string | number)[], experiment: ExperimentSpec, problems: Problem[]): void {
  const bad = validate(variant.spec).problems.find((p) => p.severity === 'error');
  if (bad) problems.push({ path, severity: 'error', message: `Variant "${variant.label}" cannot be made from "${experiment.name}": ${bad.message} (at ${bad.path.join('.')} of the variant)` });
}

function freshId(base: string, used: Set<string>): string {
  let id = base;
  for (let n = 2; used.has(id); n++) id = `${base}-${n}`;
  used.add(id);
  return id;
}

/**
 * Depth of each trunk layer: the most layers with weights on a path from an input to it,
 * itself included. Layers before the first weighted one have depth 0 and are always shared.
 */
export function trunkDepths(spec: ExperimentSpec, graph: Graph, trunk: Trunk): Map<string, number> {
  const depth = new Map<string, number>();
  for (const id of graph.order) {
    const node = graph.nodes.get(id);
    if (!trunk.layers.has(id) || node?.kind !== 'layer') continue;
    const below = Math.max(0, ...node.from.map((f) => depth.get(f) ?? 0));
    depth.set(id, below + (WEIGHTLESS.has(node.layer.type) ? 0 : 1));
  }
  return depth;
}

function branchVariants(spec: ExperimentSpec, graph: Graph, trunk: Trunk, asked: true | number[], problems: Problem[]): StudyVariant[] {
  const path: (string | number)[] = ['variants', 'branchDepths'];
  const block = spec.model.layers.find((l) => trunk.layers.has(l.id) && isBlockLayer(l));
  if (block) {
    problems.push({ path, severity: 'error', message: `A split depth needs a trunk of ordinary layers; "${spec.name}" shares through the ${block.type} layer "${block.id}". Remove branchDepths.` });
    return [];
  }
  const depths = trunkDepths(spec, graph, trunk);
  const deepest = Math.max(0, ...depths.values());
  const named = (d: number) => [...depths].filter(([id, x]) => x === d && !WEIGHTLESS.has(layerOf(spec, id).type)).map(([id]) => id).join(', ');
  const possible = `its shared trunk has layers with weights at depth${deepest === 1 ? '' : 's'} 1..${deepest}, so a split is possible after depth${deepest === 2 ? '' : 's'} 1${deepest > 2 ? `..${deepest - 1}` : ''} (depth ${deepest} is the network as designed)`;
  let wanted: { depth: number; path: (string | number)[] }[];
  if (asked === true) {
    if (deepest < 2) {
      problems.push({ path, severity: 'warning', message: `"${spec.name}" has ${deepest === 0 ? 'no shared layer with weights' : `one shared depth with weights (${named(1)})`}: there is no depth to split at besides the network as designed. No branch variant is trained.` });
      return [];
    }
    wanted = Array.from({ length: deepest - 1 }, (_, i) => ({ depth: i + 1, path }));
  } else {
    wanted = [];
    asked.forEach((d, i) => {
      if (d >= 1 && d < deepest) wanted.push({ depth: d, path: [...path, i] });
      else problems.push({ path: [...path, i], severity: 'error', message: deepest < 2
        ? `Depth ${d}: "${spec.name}" has ${deepest === 0 ? 'no shared layer with weights' : `one shared depth with weights (${named(1)})`}, so there is no depth to split at. Remove branchDepths.`
        : `Depth ${d}: "${spec.name}" ${possible}.` });
    });
  }
  return wanted.map(({ depth }) => ({
    id: `branch-${depth}`,
    label: `Split after ${named(depth)} (depth ${depth})`,
    kind: 'branch' as const,
    spec: branchedSpec(spec, graph, depths, depth),
  }));
}

function layerOf(spec: ExperimentSpec, id: string): LayerSpec {
  return spec.model.layers.find((l) => l.id === id)!;
}

/** The experiment with its trunk layers deeper than `depth` copied once per task they served. */
export function branchedSpec(spec: ExperimentSpec, graph: Graph, depths: ReadonlyMap<string, number>, depth: number): ExperimentSpec {
  const used = new Set([...spec.model.inputs.map((i) => i.id), ...spec.model.layers.map((l) => l.id)]);
  const copies = new Map<string, Map<string, string>>(); // layer -> task -> copy id
  for (const l of spec.model.layers) {
    if ((depths.get(l.id) ?? 0) <= depth || !depths.has(l.id)) continue;
    copies.set(l.id, new Map((graph.serves.get(l.id) ?? []).map((t) => [t, freshId(`${l.id}_${t}`, used)])));
  }
  const rewire = (from: string[], task: string) => from.map((f) => copies.get(f)?.get(task) ?? f);
  const layers: LayerSpec[] = [];
  for (const l of spec.model.layers) {
    const perTask = copies.get(l.id);
    if (perTask) {
      for (const [task, id] of perTask) layers.push({ ...l, id, from: rewire(l.from, task) } as LayerSpec);
      continue;
    }
    const served = graph.serves.get(l.id) ?? [];
    layers.push(served.length === 1 ? ({ ...l, from: rewire(l.from, served[0]!) } as LayerSpec) : l);
  }
  const outputs = Object.fromEntries(Object.entries(spec.model.outputs).map(([task, id]) => [task, copies.get(id)?.get(task) ?? id]));
  return withoutLayout(spec, { ...spec.model, layers, outputs });
}

/**
 * The experiment with the dense layers at the end of its trunk replaced by a sharing block fed
 * by what fed them (an input or a flattened feature vector), one `select` per task in their
 * place. What stays before them (convolutions) stays shared; the tasks' own layers are kept.
 */
export function architectureSpec(spec: ExperimentSpec, graph: Graph, trunk: Trunk, arch: StudyArchitecture): { spec: ExperimentSpec } | { error: string } {
  const block = spec.model.layers.find(isBlockLayer);
  if (block) return { error: `it already shares through the ${block.type} layer "${block.id}".` };
  if (graph.tasks.length < 2) return { error: 'it has one task; a sharing block needs two or more.' };
  if (trunk.representation.length !== 1) {
    return { error: trunk.representation.length === 0 ? 'it has no shared trunk to replace.' : `its trunk hands the tasks ${trunk.representation.length} layers (${trunk.representation.join(', ')}); a block replaces a trunk that ends in one.` };
  }
  const top = trunk.representation[0]!;
  if ((graph.serves.get(top) ?? []).length !== graph.tasks.length) return { error: `its trunk's last layer "${top}" serves only some of the tasks.` };
  // The dense tail of the trunk: top, and the dense layers feeding it one after another.
  const tail: DenseLayer[] = [];
  for (let id: string | undefined = top; id !== undefined;) {
    const node = graph.nodes.get(id);
    if (node?.kind !== 'layer' || node.layer.type !== 'dense' || node.from.length !== 1) break;
    if (tail.length && (graph.consumers.get(id) ?? []).length !== 1) break;
    tail.unshift(node.layer);
    id = trunk.layers.has(node.from[0]!) || graph.nodes.get(node.from[0]!)?.kind === 'input' ? node.from[0] : undefined;
  }
  if (!tail.length) return { error: `its trunk ends in the ${layerOf(spec, top).type} layer "${top}"; a block replaces the dense layers at the end of a trunk.` };
  const source = tail[0]!.from[0]!;
  const shape = inferShapes(spec, graph).shapes.get(source);
  if (!shape || shape.length !== 1) return { error: `the trunk's dense layers read "${source}" of shape [${shape?.join(', ') ?? '?'}]; a block reads a feature vector (flatten it first).` };

  const used = new Set([...spec.model.inputs.map((i) => i.id), ...spec.model.layers.map((l) => l.id)]);
  const tasks = graph.tasks;
  const activation = tail[tail.length - 1]!.activation ?? 'relu';
  const units = tail[tail.length - 1]!.units;
  const made: LayerSpec[] = [];
  let last = source;
  if (arch === 'crossStitch') {
    for (const d of tail) {
      const columns = freshId(`${d.id}_columns`, used);
      const stitch = freshId(`${d.id}_stitch`, used);
      made.push({ id: columns, type: 'parallelDense', columns: tasks.length, units: d.units, activation: d.activation ?? 'linear', from: [last] });
      made.push({ id: stitch, type: 'crossStitch', selfWeight: ARCHITECTURE_DEFAULTS.crossStitchSelfWeight, from: [columns] });
      last = stitch;
    }
  } else {
    const id = freshId(arch === 'mmoe' ? 'experts' : 'extraction', used);
    made.push(arch === 'mmoe'
      ? { id, type: 'mmoe', experts: ARCHITECTURE_DEFAULTS.mmoeExperts, units, tasks: tasks.length, activation, from: [last] }
      : { id, type: 'ple', sharedExperts: ARCHITECTURE_DEFAULTS.pleSharedExperts, taskExperts: ARCHITECTURE_DEFAULTS.pleTaskExperts, units, tasks: tasks.length, levels: 1, activation, from: [last] });
    last = id;
  }
  const selectOf = new Map(tasks.map((t, index) => {
    const id = freshId(`${t}_column`, used);
    made.push({ id, type: 'select', index, from: [last] });
    return [t, id];
  }));
  const replaced = new Set(tail.map((d) => d.id));
  const layers: LayerSpec[] = [];
  for (const l of spec.model.layers) {
    if (l.id === tail[0]!.id) layers.push(...made);
    if (replaced.has(l.id)) continue;
    const served = graph.serves.get(l.id) ?? [];
    layers.push(served.length === 1 && l.from.includes(top) ? ({ ...l, from: l.from.map((f) => (f === top ? selectOf.get(served[0]!)! : f)) } as LayerSpec) : l);
  }
  const outputs = Object.fromEntries(Object.entries(spec.model.outputs).map(([t, id]) => [t, id === top ? selectOf.get(t)! : id]));
  return { spec: withoutLayout(spec, { ...spec.model, layers, outputs }) };
}

/** A remade graph keeps no designer positions: they name nodes that moved or went (the designer lays it out anew). */
function withoutLayout(spec: ExperimentSpec, model: ExperimentSpec['model']): ExperimentSpec {
  const { layout: _layout, ...rest } = spec;
  return { ...rest, model };
}
