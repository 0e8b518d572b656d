// "Try this grouping" (issue 14 item 2): the experiment rewritten so that the tasks of one group
// share a trunk and each group has a trunk of its own (Fifty et al. 2021 train one network per
// group; here the groups' networks sit side by side in one experiment). One experiment, not one
// per group, because the schema expresses it (sharing follows from the graph: a layer copied per
// group serves that group's tasks only) and one run then trains the groups and the same
// single-task baselines, so its report and Δm compare directly with the original's.
// Pure: the host writes the result as a new *.mtl.json; a study compares it with the original.
import { isBlockLayer } from './blockLayers';
import { analyzeGraph } from './graph';
import { sanitizePathSegment } from './runLayout';
import type { ExperimentSpec, LayerSpec } from './spec';

/** How a grouping reads in names and messages: "{a, b} {c}". */
export function groupingText(groups: readonly (readonly string[])[]): string {
  return groups.map((g) => `{${g.join(', ')}}`).join(' ');
}

/** Why `groups` is not a partition of the experiment's tasks, or undefined. */
export function groupingProblem(tasks: readonly string[], groups: readonly (readonly string[])[]): string | undefined {
  const seen = new Set<string>();
  for (const g of groups) {
    if (!g.length) return 'a group is empty.';
    for (const t of g) {
      if (!tasks.includes(t)) return `"${t}" is not a task of the experiment (its tasks: ${tasks.join(', ')}).`;
      if (seen.has(t)) return `"${t}" is in two groups.`;
      seen.add(t);
    }
  }
  const missing = tasks.filter((t) => !seen.has(t));
  if (missing.length) return `${missing.map((t) => `"${t}"`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} in no group.`;
  if (groups.length < 2) return 'one group is the experiment as designed: a grouping needs two groups or more.';
  return undefined;
}

/**
 * Every layer that serves tasks of two or more groups is copied once per group (id
 * `<layer>_<group's tasks joined by _>`), each copy reading its group's copies; a layer that
 * serves one group keeps its id and reads that group's copies. Inputs are never copied. The
 * designer's positions are dropped (they name nodes that moved); the name says the grouping.
 */
export function groupedSpec(spec: ExperimentSpec, groups: readonly (readonly string[])[]): { spec: ExperimentSpec } | { error: string } {
  const graph = analyzeGraph(spec);
  const problem = groupingProblem(graph.tasks, groups);
  if (problem) return { error: `The grouping ${groupingText(groups)} cannot be made: ${problem}` };
  const groupOf = new Map(groups.flatMap((g, k) => g.map((t) => [t, k] as const)));
  const groupsServed = (id: string) => [...new Set((graph.serves.get(id) ?? []).map((t) => groupOf.get(t)!))].sort((a, b) => a - b);
  const block = spec.model.layers.find((l) => isBlockLayer(l) && groupsServed(l.id).length >= 2);
  if (block) {
    return { error: `"${block.id}" is a ${block.type} layer serving tasks of several groups; a grouping copies ordinary layers only (a sharing block is made for a fixed number of tasks).` };
  }
  const used = new Set([...spec.model.inputs.map((i) => i.id), ...spec.model.layers.map((l) => l.id)]);
  const fresh = (base: string) => {
    let id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    used.add(id);
    return id;
  };
  const copies = new Map<string, Map<number, string>>(); // layer -> group -> copy id
  for (const l of spec.model.layers) {
    const served = groupsServed(l.id);
    if (served.length >= 2) copies.set(l.id, new Map(served.map((k) => [k, fresh(`${l.id}_${groups[k]!.join('_')}`)])));
  }
  const rewire = (from: string[], k: number) => from.map((f) => copies.get(f)?.get(k) ?? f);
  const layers: LayerSpec[] = [];
  for (const l of spec.model.layers) {
    const perGroup = copies.get(l.id);
    if (perGroup) {
      for (const [k, id] of perGroup) layers.push({ ...l, id, from: rewire(l.from, k) } as LayerSpec);
      continue;
    }
    const served = groupsServed(l.id);
    layers.push(served.length === 1 ? ({ ...l, from: rewire(l.from, served[0]!) } as LayerSpec) : l);
  }
  const outputs = Object.fromEntries(Object.entries(spec.model.outputs).map(([task, id]) => [task, copies.get(id)?.get(groupOf.get(task)!) ?? id]));
  const { layout: _layout, ...rest } = spec;
  const description = `${spec.name} with its tasks in groups ${groupingText(groups)}: each group has its own trunk ("Try this grouping", task affinity).`;
  return { spec: { ...rest, name: `${spec.name} grouped ${groupingText(groups)}`, description, model: { ...spec.model, layers, outputs } } };
}

/** `digits.mtl.json` + {a, b} {c} -> `digits.groups-a-b_c.mtl.json` (the host adds -2, -3… to keep an existing file). */
export function groupingFileName(experimentFile: string, groups: readonly (readonly string[])[]): string {
  const base = experimentFile.replace(/\.mtl\.json$/i, '').replace(/\.json$/i, '');
  return `${base}.groups-${sanitizePathSegment(groups.map((g) => g.join('-')).join('_'), 'grouping')}.mtl.json`;
}

/** `name.mtl.json` (or `.mtl-study.json`), else `name-2.mtl.json`, `name-3.mtl.json`…: the first that `exists` says is free. */
export function freshFileName(name: string, exists: (candidate: string) => boolean): string {
  const ext = /\.mtl(-study)?\.json$/i.exec(name)?.[0] ?? '';
  const stem = name.slice(0, name.length - ext.length);
  let candidate = name;
  for (let n = 2; exists(candidate); n++) candidate = `${stem}-${n}${ext}`;
  return candidate;
}
