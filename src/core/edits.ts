// Edits of the experiment document as JSON-path operations, applied either to the parsed
// value (to preview) or to the text (what the editor stores). Text edits touch only the
// value, member or element concerned and follow the surrounding style (one-line objects
// stay one-line, indentation and line endings are kept), so undo steps and git diffs stay
// small. Comments are not JSON: the document must parse with JSON.parse before editing.

import { isObject } from './checkHelpers';
import { parseTree, type JsonMember, type JsonNode } from './jsonScan';

export type { EditOp, JsonPath } from './editOps';
import type { EditOp, JsonPath } from './editOps';

export class EditError extends Error {}

type Container = Record<string, unknown> | unknown[];

// ---- on values -----------------------------------------------------------------------

/** The document after `ops`, applied in order; the argument is not modified. */
export function applyOpsToValue(doc: unknown, ops: readonly EditOp[]): unknown {
  return ops.reduce(applyOne, doc);
}

function applyOne(doc: unknown, op: EditOp): unknown {
  if (op.path.length === 0) {
    if (op.op === 'set') return structuredClone(op.value);
    throw new EditError(`cannot ${op.op} the whole document`);
  }
  const update = (value: unknown, depth: number): unknown => {
    const key = op.path[depth]!;
    if (depth === op.path.length - 1) return changeMember(value, key, op);
    const copy = shallowCopy(value, key);
    const child = (copy as Record<string | number, unknown>)[key];
    if (child === undefined) throw new EditError(`no value at ${pathText(op.path.slice(0, depth + 1))}`);
    (copy as Record<string | number, unknown>)[key] = update(child, depth + 1);
    return copy;
  };
  return update(doc, 0);
}

function shallowCopy(value: unknown, key: string | number): Container {
  if (typeof key === 'number' && Array.isArray(value)) return [...value];
  if (typeof key === 'string' && isObject(value)) return { ...value };
  throw new EditError(`cannot index ${Array.isArray(value) ? 'an array' : typeof value} with ${JSON.stringify(key)}`);
}

function changeMember(parent: unknown, key: string | number, op: EditOp): unknown {
  const copy = shallowCopy(parent, key);
  if (Array.isArray(copy)) {
    const i = key as number;
    if (op.op === 'remove') { if (i < copy.length) copy.splice(i, 1); return copy; }
    if (op.op === 'renameKey') throw new EditError('renameKey needs an object member');
    if (i < 0 || i > copy.length || (op.op === 'set' && i > copy.length)) throw new EditError(`index ${i} out of range`);
    if (op.op === 'insert') copy.splice(i, 0, structuredClone(op.value));
    else copy[i] = structuredClone(op.value);
    return copy;
  }
  const k = key as string;
  switch (op.op) {
    case 'remove': delete copy[k]; return copy;
    case 'set': copy[k] = structuredClone(op.value); return copy;
    case 'insert': throw new EditError('insert needs an array index');
    case 'renameKey': {
      if (!Object.hasOwn(copy, k)) throw new EditError(`no member "${k}" to rename`);
      // Rebuild to keep the member's place in the key order.
      return Object.fromEntries(Object.entries(copy).filter(([name]) => name !== op.key || name === k).map(([name, v]) => [name === k ? op.key : name, v]));
    }
  }
}

const pathText = (path: JsonPath): string => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('') || '(document)';

// ---- on text ---------------------------------------------------------------------------

interface Style { unit: string; eol: string }

function detectStyle(text: string): Style {
  const m = /\n([ \t]+)\S/.exec(text);
  return { unit: m?.[1]?.startsWith('\t') ? '\t' : m?.[1] ?? '  ', eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** The text after `ops`, applied in order; throws EditError when a path does not fit the document. */
export function applyOpsToText(text: string, ops: readonly EditOp[]): string {
  return ops.reduce((t, op) => applyOneToText(t, op), text);
}

function applyOneToText(text: string, op: EditOp): string {
  const style = detectStyle(text);
  if (op.path.length === 0) {
    if (op.op !== 'set') throw new EditError(`cannot ${op.op} the whole document`);
    return render(op.value, '', style, false) + style.eol;
  }
  let parent = parseTree(text);
  const oneLine = (n: JsonNode): boolean => !text.slice(n.start, n.end).includes('\n');
  // The outermost container on one line that holds the edit: re-wrapped if it grows too long.
  let outer = oneLine(parent) ? parent : undefined;
  for (const key of op.path.slice(0, -1)) {
    const child = memberOf(parent, key)?.value;
    if (!child) throw new EditError(`no value at ${pathText(op.path)}`);
    parent = child;
    if (!outer && oneLine(parent)) outer = parent;
  }
  const key = op.path[op.path.length - 1]!;
  const members = parent.members;
  if (!members || (parent.kind === 'object') !== (typeof key === 'string')) throw new EditError(`cannot index at ${pathText(op.path)}`);
  const index = typeof key === 'number' ? key : lastIndexOfKey(members, key);
  const existing = index >= 0 && index < members.length ? members[index] : undefined;
  const splice = (start: number, end: number, insert: string): string => text.slice(0, start) + insert + text.slice(end);

  switch (op.op) {
    case 'renameKey':
      if (!existing || existing.key === undefined) throw new EditError(`no member at ${pathText(op.path)}`);
      return splice(existing.keyStart, existing.keyEnd, JSON.stringify(op.key));
    case 'remove':
      if (!existing) return text;
      return removeMember(text, parent, index);
    case 'set':
      if (existing) {
        const old = existing.value;
        const inline = !text.slice(old.start, old.end).includes('\n');
        return rewrapIfLong(text, splice(old.start, old.end, render(op.value, indentOfLine(text, old.start), style, inline)), outer, style);
      }
      if (typeof key === 'number' && key !== members.length) throw new EditError(`index ${key} out of range at ${pathText(op.path)}`);
      return rewrapIfLong(text, insertMember(text, parent, members.length, typeof key === 'string' ? key : undefined, op.value, style), outer, style);
    case 'insert':
      if (typeof key !== 'number' || key < 0 || key > members.length) throw new EditError(`cannot insert at ${pathText(op.path)}`);
      return rewrapIfLong(text, insertMember(text, parent, key, undefined, op.value, style), outer, style);
  }
}

function lastIndexOfKey(members: JsonMember[], key: string): number {
  for (let i = members.length - 1; i >= 0; i--) if (members[i]!.key === key) return i;
  return -1;
}

function memberOf(node: JsonNode, key: string | number): JsonMember | undefined {
  if (!node.members) return undefined;
  if (typeof key === 'number') return node.kind === 'array' ? node.members[key] : undefined;
  return node.kind === 'object' ? node.members[lastIndexOfKey(node.members, key)] : undefined;
}

function indentOfLine(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

/** Whitespace before `offset` on its line, when nothing else precedes it there. */
function ownLineIndent(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

function removeMember(text: string, parent: JsonNode, index: number): string {
  const members = parent.members!;
  const m = members[index]!;
  if (members.length === 1) return text.slice(0, parent.start + 1) + text.slice(parent.end - 1);
  // Take the following comma and spacing with it, or for the last member the preceding ones.
  if (index < members.length - 1) return text.slice(0, m.keyStart) + text.slice(members[index + 1]!.keyStart);
  return text.slice(0, members[index - 1]!.value.end) + text.slice(m.value.end);
}

function insertMember(text: string, parent: JsonNode, index: number, key: string | undefined, value: unknown, style: Style): string {
  const members = parent.members!;
  const parentInline = !text.slice(parent.start, parent.end).includes('\n');
  const prefix = key === undefined ? '' : `${JSON.stringify(key)}: `;
  if (members.length === 0) {
    // An empty container: one-line for a short array of plain values, else one member per line.
    const baseIndent = indentOfLine(text, parent.start);
    const one = prefix + render(value, '', style, true);
    if (parent.kind === 'array' && !isContainer(value) && one.length <= 60) {
      return text.slice(0, parent.start) + `[${one}]` + text.slice(parent.end);
    }
    const inner = baseIndent + style.unit;
    const body = prefix + render(value, inner, style, false);
    return text.slice(0, parent.start + 1) + style.eol + inner + body + style.eol + baseIndent + text.slice(parent.end - 1);
  }
  const neighbour = members[Math.min(index, members.length - 1)]!;
  const lineIndent = ownLineIndent(text, neighbour.keyStart);
  const inlineLayout = parentInline || lineIndent === undefined;
  const sep = inlineLayout ? ', ' : `,${style.eol}${lineIndent}`;
  const indent = inlineLayout ? indentOfLine(text, neighbour.keyStart) : lineIndent!;
  // Follow the neighbour: a one-line sibling makes a one-line member.
  const sampleInline = parentInline || (isContainer(value) ? !text.slice(neighbour.value.start, neighbour.value.end).includes('\n') : true);
  const body = prefix + render(value, indent, style, sampleInline);
  const at = index === members.length ? members[members.length - 1]!.value.end : members[index]!.keyStart;
  return index === members.length ? text.slice(0, at) + sep + body + text.slice(at) : text.slice(0, at) + body + sep + text.slice(at);
}

const MAX_LINE = 120;

/**
 * After an edit inside `outer` (the outermost container around it that was on one line),
 * lays `outer` out again one member per line when its line has grown too long.
 */
function rewrapIfLong(before: string, after: string, outer: JsonNode | undefined, style: Style): string {
  if (!outer) return after;
  const end = outer.end + (after.length - before.length);
  const lineStart = after.lastIndexOf('\n', outer.start - 1) + 1;
  const lineEnd = after.indexOf('\n', end);
  if ((lineEnd < 0 ? after.length : lineEnd) - lineStart <= MAX_LINE) return after;
  const grown = JSON.parse(after.slice(outer.start, end)) as unknown;
  return after.slice(0, outer.start) + render(grown, indentOfLine(after, outer.start), style, false) + after.slice(end);
}

const isContainer = (v: unknown): boolean => typeof v === 'object' && v !== null;

/**
 * JSON text for `value` placed on a line indented by `indent`. `inline` asks for one line
 * (`{ "a": 1, "b": [2] }`) when it stays readable; otherwise one member per line, with
 * containers of plain values kept on one line when short.
 */
export function render(value: unknown, indent: string, style: Style, inline: boolean): string {
  const one = oneLine(value);
  // A map of objects (layout, data) grows member by member: one per line keeps diffs small.
  const mapOfObjects = isContainer(value) && !Array.isArray(value) && Object.values(value as object).length > 0
    && Object.values(value as object).every((v) => isContainer(v) && !Array.isArray(v));
  if (!isContainer(value) || (inline && one.length <= MAX_LINE && !mapOfObjects)) return one;
  const entries: Array<[string | undefined, unknown]> = Array.isArray(value) ? value.map((v) => [undefined, v]) : Object.entries(value as object);
  if (entries.length === 0) return one;
  const flat = entries.every(([, v]) => !isContainer(v));
  if (flat && one.length <= 72) return one;
  const inner = indent + style.unit;
  const lines = entries.map(([k, v]) => `${inner}${k === undefined ? '' : `${JSON.stringify(k)}: `}${render(v, inner, style, false)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}${style.eol}${lines.join(`,${style.eol}`)}${style.eol}${indent}${close}`;
}

function oneLine(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (isContainer(value)) {
    const entries = Object.entries(value as object).filter(([, v]) => v !== undefined);
    return entries.length ? `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${oneLine(v)}`).join(', ')} }` : '{}';
  }
  return JSON.stringify(value) ?? 'null';
}

/** The one replacement turning `before` into `after`: the differing middle, after the common prefix and suffix. */
export function minimalReplace(before: string, after: string): { start: number; end: number; text: string } {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never split a \r\n pair or a surrogate pair.
  while (start > 0 && splitsPair(before, start)) start--;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  while (tail > 0 && splitsPair(before, before.length - tail)) tail--;
  return { start, end: before.length - tail, text: after.slice(start, after.length - tail) };
}

/** True when offset `i` falls between the two halves of \r\n or of a surrogate pair. */
function splitsPair(text: string, i: number): boolean {
  const a = text.charCodeAt(i - 1), b = text.charCodeAt(i);
  return (a === 13 && b === 10) || (a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff);
}
