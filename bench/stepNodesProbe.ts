// Counts the nodes one training step runs on the fused graph (src/trainer/graph/), per op, for
// equal weighting and a gradient method on the shared representation, with 2 and 4 tasks of the
// reference workload (weightingCost.ts's spec): the nodes reached backwards from the step's
// fetches. TensorFlow's executor costs some 1-3 µs a node on top of its kernel's work, so at
// batch 32 the count is most of what a small step costs. Counts, not times: they do not depend on the load.
// `node out/bench/stepNodesProbe.js [method=imtlg] [mode=representation]`
import { analyzeGraph } from '../src/core/graph';
import type { ExperimentSpec } from '../src/core/spec';
import { loadBackend } from '../src/trainer/backend';
import { makeHeads } from '../src/trainer/heads';
import { GraphBuilder, type GraphNode } from '../src/trainer/graph/graphDef';
import { buildTrainGraph } from '../src/trainer/graph/trainGraph';
import { hasGraphRule } from '../src/trainer/graph/graphRules';
import { weightingMethod } from '../src/core/weighting/registry';
import { referenceSpec } from './referenceWorkload';

function spec(tasks: 2 | 4): ExperimentSpec {
  const s = referenceSpec(32, 1);
  if (tasks === 4) {
    s.tasks = [...s.tasks, ...s.tasks.map((t) => ({ ...t, id: `${t.id}2`, target: `${t.target}2` }))];
    s.model.layers = [...s.model.layers, ...s.model.layers.filter((l) => l.id.endsWith('Head')).map((l) => ({ ...l, id: `${l.id}2` }))];
    s.model.outputs = { ...s.model.outputs, digit2: 'digitHead2', parity2: 'parityHead2' };
  }
  return s;
}

/** The nodes reached backwards (inputs and control inputs) from `fetches`. */
function reachedNames(nodes: readonly GraphNode[], fetches: string[]): Set<string> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const seen = new Set<string>();
  const stack = fetches.map((f) => f.replace(/^\^/, '').split(':')[0]!);
  while (stack.length) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const i of byName.get(name)?.inputs ?? []) stack.push(i.replace(/^\^/, '').split(':')[0]!);
  }
  return seen;
}

/** The same, by op. */
function reached(nodes: readonly GraphNode[], fetches: string[]): Map<string, number> {
  const ops = new Map<string, number>();
  for (const name of reachedNames(nodes, fetches)) { const op = nodes.find((n) => n.name === name)!.op; ops.set(op, (ops.get(op) ?? 0) + 1); }
  return ops;
}

async function main(): Promise<void> {
  const method = process.argv[2] ?? 'imtlg';
  const mode = (process.argv[3] ?? 'representation') as 'parameters' | 'representation';
  const { tf } = await loadBackend('tensorflow', { intraOpThreads: 1 });
  let captured: readonly GraphNode[] = [];
  const save = GraphBuilder.prototype.savedModel;
  GraphBuilder.prototype.savedModel = function (this: GraphBuilder, tags: string[]) { captured = [...this.added()]; return save.call(this, tags); };
  for (const tasks of [2, 4] as const) {
    const s = spec(tasks);
    const heads = makeHeads(tf, s);
    const topo = analyzeGraph(s).order;
    const equal = buildTrainGraph(s, heads, topo);
    const eq = reached(captured, [equal.stepSums]);
    const eqNames = reachedNames(captured, [equal.stepSums]);
    const m = weightingMethod(method)!;
    const params = {} as Record<string, unknown>;
    const ruled = hasGraphRule(method, tasks, params);
    const g = buildTrainGraph(s, heads, topo, { gradient: { mode, weightsOwnLayers: !!m.description.weightsOwnLayers, ...(ruled ? { rule: { id: method, params } } : {}) } });
    const runs = g.gradient!;
    const fetches = runs.ruled ? [[g.stepDone, runs.ruled.after]] : [[runs.gramian], [g.stepDone]];
    const counts = fetches.map((f) => reached(captured, f));
    const total = (c: Map<string, number>) => [...c.values()].reduce((a, b) => a + b, 0);
    const list = (c: Map<string, number>) => [...c].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(', ');
    console.log(`${tasks} tasks: equal ${total(eq)} nodes (${list(eq)})`);
    counts.forEach((c, k) => console.log(`${tasks} tasks: ${method} (${mode}) call ${k + 1}: ${total(c)} nodes (${list(c)})`));
    // VERBOSE=1: the nodes the method's step runs that equal weighting's does not (by name).
    if (process.env.VERBOSE) for (const f of fetches) for (const n of reachedNames(captured, f)) if (!eqNames.has(n)) console.log(`  + ${captured.find((x) => x.name === n)!.op} ${n}`);
  }
}

void main();
