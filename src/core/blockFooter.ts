// A sharing block's parameter line, the same on the diagram webview and the report's SVG
// (trainer/artifacts/weightDiagram.ts), and in the terms of the summary above both (core/params).
import { formatInteger as int } from './markup';
import type { SharingBlock, SharingDiagram } from './sharingBlocks';

/** Weights of the block's layers that serve only one task (a gate, a task's column or experts). */
function ownParts(b: SharingBlock, task?: string): Array<{ layer: string; params: number }> {
  return b.layers.flatMap((l) => (l.parts ?? [])
    .filter((p) => p.tasks.length === 1 && (task === undefined || p.tasks[0] === task))
    .map((p) => ({ layer: l.id, params: p.params })));
}

/**
 * The block's parameter line. A sharing layer (MMoE, PLE, parallel columns) sits in the shared
 * block but holds parts of one task each (a gate, a column per task): those count for their
 * task, as in the summary above the diagram, else the block said "7,272 params · 96.2%" under
 * a summary of "6,464 shared (85.5%)".
 */
export function blockFooter(b: SharingBlock, d: SharingDiagram): string {
  const total = d.params.total;
  const pct = (n: number) => (total > 0 ? ` · ${((100 * n) / total).toFixed(1)}%` : '');
  switch (b.kind) {
    case 'input': return '';
    case 'unused': return `${int(b.params)} params · not trained`;
    case 'shared': {
      const own = ownParts(b).reduce((a, p) => a + p.params, 0);
      // A column no task reads (core/blockLayers taskParts) is neither shared nor a task's.
      const unused = b.layers.flatMap((l) => l.parts ?? []).filter((p) => p.tasks.length === 0).reduce((a, p) => a + p.params, 0);
      const rest = `${own > 0 ? ` + ${int(own)} per task` : ''}${unused > 0 ? ` + ${int(unused)} unused` : ''}`;
      const shared = b.params - own - unused;
      return rest ? `${int(shared)} shared${pct(shared)}${rest}` : `${int(b.params)} params${pct(b.params)}`;
    }
    case 'task': {
      const task = b.tasks[0] ?? '';
      const elsewhere = d.blocks.filter((o) => o.kind !== 'task').flatMap((o) => ownParts(o, task));
      const extra = elsewhere.reduce((a, p) => a + p.params, 0);
      if (extra === 0) return `${int(b.params)} params${pct(b.params)}`;
      const where = [...new Set(elsewhere.map((p) => p.layer))].join(', ');
      return `${int(b.params + extra)} params${pct(b.params + extra)} (${int(extra)} in ${where})`;
    }
  }
}
