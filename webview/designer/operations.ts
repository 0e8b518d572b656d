// What the user does on the canvas and in the inspector, as edit operations on the
// document (core/edits). Pure: each takes the document as it is and returns the ops; the
// host applies them to the text. References follow renames and deletions, so an edit never
// leaves a "from", an output or a layout entry pointing at nothing it did not mean to.
import type { EditOp, JsonPath } from '../../src/core/edits';
import { LAYER_SCHEMAS } from '../../src/core/experimentSchema';
import type { ColumnType, LayerType, ProblemFix } from '../../src/core/spec';
import { isObject } from './model';
import { taskNodeId } from '../../src/core/nodeIds';
import { own, setOwn } from '../../src/core/own';

type Doc = Record<string, unknown>;
type Raw = Record<string, unknown>;
export interface Point { x: number; y: number }
export interface Edit { label: string; ops: EditOp[] }

const model = (doc: Doc): Raw => (isObject(doc.model) ? doc.model : {});
const items = (v: unknown): Raw[] => (Array.isArray(v) ? v.map((x) => (isObject(x) ? x : {})) : []);
const inputsOf = (doc: Doc): Raw[] => items(model(doc).inputs);
const layersOf = (doc: Doc): Raw[] => items(model(doc).layers);
const outputsOf = (doc: Doc): Record<string, unknown> => (isObject(model(doc).outputs) ? model(doc).outputs as Raw : {});
const fromOf = (layer: Raw): string[] => (Array.isArray(layer.from) ? layer.from.filter((s): s is string => typeof s === 'string') : []);
const round = (p: Point): Point => ({ x: Math.round(p.x), y: Math.round(p.y) });
const MERGE = new Set(['concatenate', 'add']);
const TASK_COLUMN_BLOCKS: ReadonlySet<string> = new Set(['mmoe', 'ple']);

export const isMergeType = (type: unknown): boolean => MERGE.has(String(type));

/** Every id in use: inputs, layers and tasks (tasks too, so node ids never read like task ids). */
function usedIds(doc: Doc): Set<string> {
  const ids = [...inputsOf(doc), ...layersOf(doc), ...items(doc.tasks)].map((o) => o.id);
  return new Set(ids.filter((id): id is string => typeof id === 'string'));
}

/** `base1`, `base2`... the first one not in use (or `base` itself when `plain` and free). */
export function freshId(taken: ReadonlySet<string>, base: string, plain = false): string {
  if (plain && !taken.has(base)) return base;
  for (let n = 1; ; n++) if (!taken.has(`${base}${n}`)) return `${base}${n}`;
}

/** Settings a new layer of `type` starts with: the example values of its JSON Schema snippet. */
export function layerDefaults(type: LayerType): Raw {
  const snippet = LAYER_SCHEMAS[type].snippet ?? {};
  return Object.fromEntries(Object.entries(snippet).filter(([k, v]) => !['id', 'type', 'from'].includes(k) && !(typeof v === 'string' && v.includes('${'))));
}

const isPoint = (v: unknown): boolean => isObject(v) && typeof v.x === 'number' && typeof v.y === 'number';

/**
 * Saves positions the user chose (a drag, arrow keys, a drop from the palette). A layout is
 * either absent (every node placed automatically) or complete: the first time the user
 * places anything, every node's position as it is on screen (`onScreen`) is saved with it, so
 * the picture the user arranged is the one the document keeps, and automatic placement
 * cannot later move the nodes the user did not touch around the ones they did. Later moves
 * then only rewrite the entries that changed (small diffs). Without `onScreen` only the
 * given positions are written.
 */
function layoutOps(doc: Doc, positions: Record<string, Point>, onScreen?: ReadonlyMap<string, Point>): EditOp[] {
  const entries = Object.entries(positions);
  if (entries.length === 0) return [];
  const layout = isObject(doc.layout) ? doc.layout : undefined;
  const complete = !onScreen || (layout !== undefined && [...onScreen.keys()].every((id) => isPoint(layout[id])));
  if (!complete) return [{ op: 'set', path: ['layout'], value: Object.fromEntries([...onScreen!, ...entries].map(([id, p]) => [id, round(p)])) }];
  if (!layout) return [{ op: 'set', path: ['layout'], value: Object.fromEntries(entries.map(([id, p]) => [id, round(p)])) }];
  return entries.map(([id, p]) => ({ op: 'set', path: ['layout', id], value: round(p) }));
}

/** A new layer reading from `from`; placed at `position` when dropped there (see layoutOps for `onScreen`). */
export function addLayer(doc: Doc, type: LayerType, from: string[], position?: Point, onScreen?: ReadonlyMap<string, Point>): Edit & { id: string } {
  const taken = usedIds(doc);
  const id = freshId(taken, type);
  const layer: Raw = { id, type, ...layerDefaults(type), from };
  const added: Raw[] = [layer];
  // A block with one output column per task (mmoe, ple) comes sized to the document's tasks,
  // with a select per column ready to feed each task's tower.
  const tasks = items(doc.tasks).map((t) => t.id).filter((t): t is string => typeof t === 'string');
  if (TASK_COLUMN_BLOCKS.has(type) && tasks.length >= 2) {
    layer.tasks = tasks.length;
    tasks.forEach((task, index) => {
      const select = freshId(taken, `${id}_${task}`, true);
      taken.add(select);
      added.push({ id: select, type: 'select', index, from: [id] });
    });
  }
  const ops: EditOp[] = added.map((value, k) => ({ op: 'set', path: ['model', 'layers', layersOf(doc).length + k], value }));
  if (position) ops.push(...layoutOps(doc, { [id]: position }, onScreen));
  return { label: added.length > 1 ? `Add ${type} block with a select per task` : `Add ${type} layer`, ops, id };
}

export function addInput(doc: Doc, position?: Point, onScreen?: ReadonlyMap<string, Point>): Edit & { id: string } {
  const id = freshId(usedIds(doc), 'input', true);
  const ops: EditOp[] = [{ op: 'set', path: ['model', 'inputs', inputsOf(doc).length], value: { id, shape: [10] } }];
  if (position) ops.push(...layoutOps(doc, { [id]: position }, onScreen));
  return { label: 'Add input', ops, id };
}

/** Nodes the user moved; `onScreen`: where every node is drawn now (see layoutOps). */
export function moveNodes(doc: Doc, positions: Record<string, Point>, onScreen?: ReadonlyMap<string, Point>): Edit {
  return { label: 'Move nodes', ops: layoutOps(doc, positions, onScreen) };
}

/** "Auto-layout": every node where a fresh layout put it (the whole layout replaced, stale entries gone). */
export function arrangeAll(positions: ReadonlyMap<string, Point>): Edit {
  return { label: 'Auto-layout', ops: [{ op: 'set', path: ['layout'], value: Object.fromEntries([...positions].map(([id, p]) => [id, round(p)])) }] };
}

/**
 * Connects `source` (an input or layer) to `target`: a layer reads from it (merge layers
 * gain an input, the others get it as their only input), or a task makes it its head.
 */
export function connect(doc: Doc, source: string, target: { layer: string } | { task: string }): Edit | undefined {
  if ('task' in target) return { label: `Make ${source} the head of ${target.task}`, ops: [{ op: 'set', path: ['model', 'outputs', target.task], value: source }] };
  const index = layersOf(doc).findIndex((l) => l.id === target.layer);
  const layer = layersOf(doc)[index];
  if (!layer || source === target.layer) return undefined;
  const from = fromOf(layer);
  if (from.includes(source)) return undefined;
  const next = isMergeType(layer.type) ? [...from, source] : [source];
  return { label: `Connect ${source} to ${target.layer}`, ops: [{ op: 'set', path: ['model', 'layers', index, 'from'], value: next }] };
}

export type EdgeRef = { kind: 'from'; target: string; source: string } | { kind: 'output'; task: string };

function disconnectOps(doc: Doc, edges: readonly EdgeRef[]): EditOp[] {
  const ops: EditOp[] = [];
  const layers = layersOf(doc);
  const cut = new Map<number, Set<string>>();
  for (const e of edges) {
    if (e.kind === 'output') { ops.push({ op: 'remove', path: ['model', 'outputs', e.task] }); continue; }
    const i = layers.findIndex((l) => l.id === e.target);
    if (i >= 0) cut.set(i, (cut.get(i) ?? new Set()).add(e.source));
  }
  for (const [i, sources] of cut) ops.push({ op: 'set', path: ['model', 'layers', i, 'from'], value: fromOf(layers[i]!).filter((s) => !sources.has(s)) });
  return ops;
}

export function disconnect(doc: Doc, edges: readonly EdgeRef[]): Edit {
  return { label: edges.length === 1 ? 'Remove connection' : `Remove ${edges.length} connections`, ops: disconnectOps(doc, edges) };
}

/**
 * Deletes nodes and connections. A deleted layer with a single input is bridged: what read
 * from it reads from its input instead, so removing a layer from a stack keeps the stack
 * connected. Heads of deleted layers leave model.outputs; their saved positions go too.
 */
export function deleteElements(doc: Doc, nodeIds: readonly string[], edges: readonly EdgeRef[] = []): Edit {
  const gone = new Set(nodeIds);
  const layers = layersOf(doc);
  const inputs = inputsOf(doc);
  const byId = new Map(layers.map((l) => [l.id, l]));
  // What a deleted node hands its readers: its single input, followed through deleted ones.
  const replacement = (id: string, seen = new Set<string>()): string[] => {
    if (!gone.has(id)) return [id];
    const layer = byId.get(id);
    const from = layer ? fromOf(layer) : [];
    if (from.length !== 1 || seen.has(id)) return [];
    return replacement(from[0]!, seen.add(id));
  };
  const cutEdges = new Set(edges.flatMap((e) => (e.kind === 'from' ? [`${e.source}\u0000${e.target}`] : [])));
  const ops: EditOp[] = [];
  layers.forEach((layer, i) => {
    if (gone.has(layer.id as string)) return;
    const from = fromOf(layer);
    const next = [...new Set(from.filter((s) => !cutEdges.has(`${s}\u0000${String(layer.id)}`)).flatMap((s) => replacement(s)))];
    if (next.join('\u0000') !== from.join('\u0000')) ops.push({ op: 'set', path: ['model', 'layers', i, 'from'], value: next });
  });
  for (const [task, head] of Object.entries(outputsOf(doc))) {
    if (typeof head === 'string' && gone.has(head)) ops.push({ op: 'remove', path: ['model', 'outputs', task] });
  }
  ops.push(...edges.flatMap((e): EditOp[] => (e.kind === 'output' ? [{ op: 'remove', path: ['model', 'outputs', e.task] }] : [])));
  if (isObject(doc.layout)) for (const id of Object.keys(doc.layout)) if (gone.has(id)) ops.push({ op: 'remove', path: ['layout', id] });
  // Array removals last and from the end, so earlier paths stay right.
  const drop = (section: 'inputs' | 'layers', list: Raw[]): void => {
    for (let i = list.length - 1; i >= 0; i--) if (gone.has(list[i]!.id as string)) ops.push({ op: 'remove', path: ['model', section, i] });
  };
  drop('layers', layers);
  drop('inputs', inputs);
  const n = nodeIds.length + edges.length;
  return { label: nodeIds.length === 0 ? disconnect(doc, edges).label : `Delete ${n === 1 ? nodeIds[0] : `${n} elements`}`, ops: dedupe(ops) };
}

function dedupe(ops: EditOp[]): EditOp[] {
  const seen = new Set<string>();
  return ops.filter((op) => {
    if (op.op !== 'remove') return true;
    const key = JSON.stringify(op.path);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/**
 * Copies nodes. Inside the selection the copies connect to each other (duplicating a
 * branch gives a parallel branch); from outside it they read from the same nodes as the
 * originals. Copies are placed next to originals that have a saved position.
 */
export function duplicateNodes(doc: Doc, ids: readonly string[], offset: Point = { x: 40, y: 40 }): Edit & { ids: string[] } {
  const taken = usedIds(doc);
  const rename = new Map<string, string>();
  for (const id of ids) {
    const fresh = freshId(taken, `${id}Copy`, true);
    taken.add(fresh);
    rename.set(id, fresh);
  }
  const ops: EditOp[] = [];
  const layout = isObject(doc.layout) ? doc.layout : {};
  const positions: Record<string, Point> = {};
  let nInputs = inputsOf(doc).length;
  let nLayers = layersOf(doc).length;
  for (const input of inputsOf(doc)) {
    const copy = rename.get(input.id as string);
    if (copy) ops.push({ op: 'set', path: ['model', 'inputs', nInputs++], value: { ...input, id: copy } });
  }
  for (const layer of layersOf(doc)) {
    const copy = rename.get(layer.id as string);
    if (copy) ops.push({ op: 'set', path: ['model', 'layers', nLayers++], value: { ...layer, id: copy, from: fromOf(layer).map((s) => rename.get(s) ?? s) } });
  }
  for (const [id, copy] of rename) {
    const p = own(layout, id);
    if (isObject(p) && typeof p.x === 'number' && typeof p.y === 'number') setOwn(positions, copy, { x: p.x + offset.x, y: p.y + offset.y });
  }
  ops.push(...layoutOps(doc, positions));
  return { label: `Duplicate ${ids.length === 1 ? ids[0] : `${ids.length} nodes`}`, ops, ids: [...rename.values()] };
}

/** Renames an input or layer and every reference to it ("from", outputs, layout). */
export function renameNode(doc: Doc, oldId: string, newId: string): Edit {
  const ops: EditOp[] = [];
  inputsOf(doc).forEach((input, i) => { if (input.id === oldId) ops.push({ op: 'set', path: ['model', 'inputs', i, 'id'], value: newId }); });
  layersOf(doc).forEach((layer, i) => {
    if (layer.id === oldId) ops.push({ op: 'set', path: ['model', 'layers', i, 'id'], value: newId });
    const from = fromOf(layer);
    from.forEach((s, j) => { if (s === oldId) ops.push({ op: 'set', path: ['model', 'layers', i, 'from', j], value: newId }); });
  });
  for (const [task, head] of Object.entries(outputsOf(doc))) if (head === oldId) ops.push({ op: 'set', path: ['model', 'outputs', task], value: newId });
  if (isObject(doc.layout) && Object.hasOwn(doc.layout, oldId)) ops.push({ op: 'renameKey', path: ['layout', oldId], key: newId });
  return { label: `Rename ${oldId} to ${newId}`, ops };
}

/** Why `id` cannot be the new id of a node or task, or undefined when it can. */
export function idProblem(doc: Doc, id: string, current: string): string | undefined {
  if (id.trim() === '') return 'An id cannot be empty.';
  if (id !== current && usedIds(doc).has(id)) return `"${id}" is already used.`;
  return undefined;
}

/** A new layer type keeps the id, label, inputs and the settings both types share. */
export function changeLayerType(doc: Doc, index: number, type: LayerType): Edit {
  const old = layersOf(doc)[index] ?? {};
  const props = LAYER_SCHEMAS[type].properties;
  const kept = Object.fromEntries(Object.entries(old).filter(([k]) => k !== 'type' && Object.hasOwn(props, k)));
  const value = { id: old.id, type, ...layerDefaults(type), ...kept, from: fromOf(old) };
  return { label: `Change ${String(old.id)} to ${type}`, ops: [{ op: 'set', path: ['model', 'layers', index], value }] };
}

/**
 * Switches a tagged object (optimizer, schedule, data source...) to another variant:
 * settings the new variant also has are kept, its required ones get `starter` values.
 */
export function changeVariant(doc: Doc, path: JsonPath, tag: string, value: string, allowed: readonly string[], starter: Raw = {}): Edit {
  let old: unknown = doc;
  for (const k of path) old = isObject(old) || Array.isArray(old) ? (old as Record<string | number, unknown>)[k] : undefined;
  const kept = isObject(old) ? Object.fromEntries(Object.entries(old).filter(([k]) => allowed.includes(k))) : {};
  return { label: `Set ${String(path[path.length - 1])} to ${value}`, ops: [{ op: 'set', path, value: { [tag]: value, ...starter, ...kept } }] };
}

export function addTask(doc: Doc): Edit & { id: string } {
  const id = freshId(usedIds(doc), 'task');
  return { label: 'Add task', ops: [{ op: 'set', path: ['tasks', items(doc.tasks).length], value: { id, kind: 'binary', target: id } }], id };
}

/** Removes a task and its output; its head layers stay (they are marked as unused). */
export function removeTask(doc: Doc, index: number): Edit {
  const id = items(doc.tasks)[index]?.id;
  const ops: EditOp[] = [];
  if (typeof id === 'string' && Object.hasOwn(outputsOf(doc), id)) ops.push({ op: 'remove', path: ['model', 'outputs', id] });
  if (typeof id === 'string' && isObject(doc.layout) && Object.hasOwn(doc.layout, taskNodeId(id))) ops.push({ op: 'remove', path: ['layout', taskNodeId(id)] });
  ops.push({ op: 'remove', path: ['tasks', index] });
  return { label: `Remove task ${String(id)}`, ops };
}

/** Renames a task and its key in model.outputs (in place, keeping the task order). */
export function renameTask(doc: Doc, index: number, newId: string): Edit {
  const oldId = items(doc.tasks)[index]?.id;
  const ops: EditOp[] = [{ op: 'set', path: ['tasks', index, 'id'], value: newId }];
  if (typeof oldId === 'string' && Object.hasOwn(outputsOf(doc), oldId)) ops.push({ op: 'renameKey', path: ['model', 'outputs', oldId], key: newId });
  if (typeof oldId === 'string' && isObject(doc.layout) && Object.hasOwn(doc.layout, taskNodeId(oldId))) ops.push({ op: 'renameKey', path: ['layout', taskNodeId(oldId)], key: taskNodeId(newId) });
  return { label: `Rename task ${String(oldId)} to ${newId}`, ops };
}

/** Sets one value, or removes it when `value` is undefined (back to the default). */
export function setValue(path: JsonPath, value: unknown, label = `Set ${String(path[path.length - 1])}`): Edit {
  return { label, ops: [value === undefined ? { op: 'remove', path } : { op: 'set', path, value }] };
}

/** The fix a problem carries (core, e.g. an input's shape set to what the data gives), as this designer's edit. */
export function applyFix(fix: ProblemFix): Edit {
  return { label: fix.label, ops: [...fix.ops] };
}

/** How a column is read (data.source.columnTypes), as the data preview offers it for a mixed column.
 *  The map is created with its first entry when the source has none (an edit sets no missing parent). */
export function setColumnType(doc: Doc, column: string, type: ColumnType): Edit {
  const data = isObject(doc.data) ? doc.data : {};
  const source = isObject(data.source) ? data.source : {};
  const label = `Read column ${column} as ${type === 'numeric' ? 'numbers' : 'categories'}`;
  const op: EditOp = isObject(source.columnTypes)
    ? { op: 'set', path: ['data', 'source', 'columnTypes', column], value: type }
    : { op: 'set', path: ['data', 'source', 'columnTypes'], value: { [column]: type } };
  return { label, ops: [op] };
}
