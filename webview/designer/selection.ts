// The selection follows its nodes across document versions: a node renamed (here or in the
// text) stays selected, because it keeps its place in model.inputs/layers or tasks; a node
// that is gone leaves the selection.
import { parseNodeId, taskNodeId } from '../../src/core/nodeIds';
import { onCanvas, type DesignModel } from './model';

export interface Selection { nodes: string[]; edges: string[] }

/** `selection` (made on `before`) in terms of `after`. Returns the same object when nothing changed. */
export function followSelection(selection: Selection, before: DesignModel | undefined, after: DesignModel): Selection {
  const exists = (id: string): boolean => onCanvas(after, id);
  if (selection.nodes.every(exists)) return selection;
  const nodes = selection.nodes.flatMap((id): string[] => {
    if (exists(id)) return [id];
    if (!before) return [];
    const ref = parseNodeId(id);
    if (ref.kind === 'task') {
      const index = before.taskById.get(ref.task)?.index;
      const task = after.tasks.find((t) => t.index === index && index !== undefined && index >= 0);
      return task ? [taskNodeId(task.id)] : [];
    }
    const old = before.nodeById.get(id);
    const same = old && after.nodes.find((n) => n.kind === old.kind && n.index === old.index && !before.nodeById.has(n.id));
    return same ? [same.id] : [];
  });
  return { ...selection, nodes };
}
