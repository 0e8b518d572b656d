// Where the keyboard focus goes when nodes are deleted. The card that held it is gone, and
// focus left on the page's body sends the next Tab back to the toolbar, past the whole
// palette, before the graph is reached again: a keyboard user lost their place.
import { taskNodeId } from '../../src/core/nodeIds';
import type { DesignModel } from './model';

/**
 * The card that takes the focus after `deleted` (ids of inputs and layers) go: the first deleted
 * node's input (followed through deleted ones, as the deletion bridges them), else what read it,
 * else the task it was the head of, else the first node left; undefined when none is left.
 */
export function cardAfterDelete(model: Pick<DesignModel, 'nodes' | 'nodeById' | 'graph'>, deleted: readonly string[]): string | undefined {
  const gone = new Set(deleted);
  const survivor = (ids: readonly string[]): string | undefined => ids.find((id) => model.nodeById.has(id) && !gone.has(id));
  for (const id of deleted) {
    const seen = new Set<string>();
    let from = model.nodeById.get(id)?.from ?? [];
    while (from.length && !survivor(from) && from.some((f) => !seen.has(f))) {
      from.forEach((f) => seen.add(f));
      from = from.flatMap((f) => model.nodeById.get(f)?.from ?? []);
    }
    const next = survivor(from) ?? survivor(model.graph.consumers.get(id) ?? []);
    if (next) return next;
    const head = model.nodeById.get(id)?.headOf[0];
    if (head) return taskNodeId(head);
  }
  return survivor(model.nodes.map((n) => n.id));
}

/** Focuses the card `id` on the canvas, or the canvas itself when there is none. */
export function focusCard(id: string | undefined): void {
  const card = id === undefined ? null : document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(id)}"]`);
  (card ?? document.querySelector<HTMLElement>('.canvas'))?.focus();
}
