// "Use this variant": the edits that make the experiment document train what a study's variant
// trained. The variant's model, training and evaluation replace the document's (the study may
// have changed any of them: the branch depth, the weighting method, the architecture); data,
// tasks and name stay the user's. Designer positions are kept for nodes the variant still has
// (same ids) and dropped for the others, so the layout neither points at missing nodes nor
// loses the user's arrangement. One list of operations: the host applies it as one undoable edit.
import { isObject } from '../checkHelpers';
import type { EditOp } from '../editOps';
import { parseNodeId } from '../nodeIds';
import type { ExperimentSpec } from '../spec';

const REPLACED = ['model', 'training', 'evaluation'] as const;

export function useVariantOps(doc: unknown, variant: ExperimentSpec): EditOp[] {
  if (!isObject(doc)) return [];
  const ops: EditOp[] = [];
  for (const key of REPLACED) {
    const value = variant[key];
    if (value === undefined) {
      if (key in doc) ops.push({ op: 'remove', path: [key] });
    } else if (JSON.stringify(doc[key]) !== JSON.stringify(value)) {
      ops.push({ op: 'set', path: [key], value });
    }
  }
  const layout = doc.layout;
  if (isObject(layout)) {
    const nodes = new Set([...variant.model.inputs.map((i) => i.id), ...variant.model.layers.map((l) => l.id)]);
    const tasks = new Set(variant.tasks.map((t) => t.id));
    for (const id of Object.keys(layout)) {
      const ref = parseNodeId(id);
      const kept = ref.kind === 'task' ? tasks.has(ref.task) : nodes.has(ref.id);
      if (!kept) ops.push({ op: 'remove', path: ['layout', id] });
    }
  }
  return ops;
}
