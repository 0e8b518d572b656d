// The layout elk computes ("layered", left to right, one compound node per group), which the
// designer asks for only when the user presses "Auto-layout": elk is about 1.5 MB of code and
// takes a few hundred milliseconds on a cold start, so this module (and elk with it) is a
// bundle of its own, designer-elk.js (esbuild.mjs), loaded on demand. It imports nothing else
// at run time (what it needs comes in a LayoutInput, see layout.ts' layoutInput), so nothing
// of the designer is in it twice. The first frame and every automatic placement come from
// columnLayout.ts instead.
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { Direction, LayoutInput, Point, Size } from './layout';

/**
 * Runs of nodes that elk may treat as one: a chain a -> b -> c inside one group, where each
 * link is the only way out of its start and the only way into its end. Deep networks are
 * mostly such chains; laying them out as single wide nodes gives the picture elk would draw
 * and keeps a 100-layer graph to a handful of elk nodes (elk's time grows quickly with nodes).
 */
export function chainsOf({ groups, edges }: LayoutInput): string[][] {
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g.id);
  const outs = new Map<string, string[]>();
  const ins = new Map<string, string[]>();
  for (const e of edges) {
    outs.set(e.source, [...(outs.get(e.source) ?? []), e.target]);
    ins.set(e.target, [...(ins.get(e.target) ?? []), e.source]);
  }
  const next = (id: string): string | undefined => {
    const o = outs.get(id);
    if (o?.length !== 1) return undefined;
    const t = o[0]!;
    return ins.get(t)?.length === 1 && groupOf.get(t) === groupOf.get(id) && t !== id ? t : undefined;
  };
  const hasPrev = new Set<string>();
  for (const id of groupOf.keys()) { const n = next(id); if (n !== undefined) hasPrev.add(n); }
  const chains: string[][] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    for (const start of g.members) {
      if (hasPrev.has(start) || seen.has(start)) continue;
      const chain = [start];
      seen.add(start);
      for (let n = next(start); n !== undefined && !seen.has(n); n = next(n)) { chain.push(n); seen.add(n); }
      chains.push(chain);
    }
    // Members left over sit on a cycle; each stays on its own.
    for (const m of g.members) if (!seen.has(m)) { chains.push([m]); seen.add(m); }
  }
  return chains;
}

const CHAIN_GAP = 56;

/** A chain as one node: its cards in a row along the flow (a column top to bottom). */
function chainSize(chain: string[], sizeOf: (id: string) => Size, direction: Direction = 'LR'): Size {
  const sizes = chain.map(sizeOf);
  const along = (s: Size): number => (direction === 'TB' ? s.height : s.width);
  const across = (s: Size): number => (direction === 'TB' ? s.width : s.height);
  const length = sizes.reduce((w, s) => w + along(s), 0) + CHAIN_GAP * (chain.length - 1), thickness = Math.max(...sizes.map(across));
  return direction === 'TB' ? { width: thickness, height: length } : { width: length, height: thickness };
}

/** The elk graph (groups as compound nodes holding chains, edges at the root) and the chains by id (their first node). */
export function layoutPlan(input: LayoutInput): { graph: ElkNode; chains: Map<string, string[]> } {
  const { groups, edges, sizeOf, groupPad, direction = 'LR' } = input;
  const chains = chainsOf(input);
  const chainOf = new Map<string, string>();
  for (const c of chains) for (const id of c) chainOf.set(id, c[0]!);
  const groupOf = new Map<string, string>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g.id);
  const members = new Map<string, string[][]>();
  for (const c of chains) members.set(groupOf.get(c[0]!)!, [...(members.get(groupOf.get(c[0]!)!) ?? []), c]);
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': direction === 'TB' ? 'DOWN' : 'RIGHT',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': String(CHAIN_GAP),
      'elk.spacing.nodeNode': '28',
      'elk.spacing.componentComponent': '40',
    },
    children: groups.map((g) => ({
      id: g.id,
      layoutOptions: { 'elk.padding': `[top=${groupPad.top},left=${groupPad.side},bottom=${groupPad.bottom},right=${groupPad.side}]` },
      children: (members.get(g.id) ?? []).map((c) => ({ id: c[0]!, ...chainSize(c, sizeOf, direction) })),
    })),
    // Links inside a chain are implied; the others end at a chain's first node.
    edges: edges.filter((e) => chainOf.get(e.target) === e.target).map((e) => ({ id: e.id, sources: [chainOf.get(e.source)!], targets: [e.target] })),
  };
  return { graph, chains: new Map(chains.map((c) => [c[0]!, c])) };
}

export interface LayoutEngine { layout(graph: ElkNode): Promise<ElkNode> }

/** Absolute positions of every node as elk places them (chains unrolled along the flow). */
export async function autoLayout(elk: LayoutEngine, input: LayoutInput): Promise<Map<string, Point>> {
  const { sizeOf, direction = 'LR' } = input;
  const plan = layoutPlan(input);
  const result = await elk.layout(plan.graph);
  const positions = new Map<string, Point>();
  for (const g of result.children ?? []) {
    for (const n of g.children ?? []) {
      const chain = plan.chains.get(n.id) ?? [n.id];
      const whole = chainSize(chain, sizeOf, direction);
      let x = (g.x ?? 0) + (n.x ?? 0);
      let y = (g.y ?? 0) + (n.y ?? 0);
      for (const id of chain) {
        const s = sizeOf(id);
        if (direction === 'TB') {
          positions.set(id, { x: x + (whole.width - s.width) / 2, y });
          y += s.height + CHAIN_GAP;
        } else {
          positions.set(id, { x, y: y + (whole.height - s.height) / 2 });
          x += s.width + CHAIN_GAP;
        }
      }
    }
  }
  return positions;
}

let engine: LayoutEngine | undefined;

/** elk's positions for every node (elk.bundled runs in this thread: the CSP allows no worker). */
export function elkLayout(input: LayoutInput): Promise<Map<string, Point>> {
  engine ??= new ELK();
  return autoLayout(engine, input);
}
