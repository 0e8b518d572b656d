// Edits of the experiment document as JSON-path operations, applied either to the parsed
// value (to preview) or to the text (what the editor stores). Text edits touch only the
// value, member or element concerned and follow the surrounding style (one-line objects
// stay one-line, indentation and line endings are kept), so undo steps and git diffs stay
// small. Comments are not JSON: the document must parse with JSON.parse before editing.

import { isObject } from './checkHelpers';
import { MAX_NESTING } from './nesting';

export type JsonPath = (string | number)[];

export type EditOp =
  /** Replace the value at `path`, or add it (a new object member; an array index equal to the length appends). */
  | { op: 'set'; path: JsonPath; value: unknown }
  /** Delete an object member or an array element; nothing happens when it is absent. */
  | { op: 'remove'; path: JsonPath }
  /** Insert an array element before `path`'s index (the length appends). */
  | { op: 'insert'; path: JsonPath; value: unknown }
  /** Rename the object member at `path` to `key`, keeping its place and value. */
  | { op: 'renameKey'; path: JsonPath; key: string };

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

// ---- a JSON tree with text ranges ------------------------------------------------------

interface Node { start: number; end: number; members?: Member[]; kind: 'object' | 'array' | 'scalar' }
interface Member { key?: string; keyStart: number; keyEnd: number; value: Node }

/** Where strict JSON breaks: the offset, what to do there (`message`), and what JSON allows there (`expected`, "a value"). */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number, readonly expected: string) { super(message); }
}

/**
 * The first place where `text` is not strict JSON, or undefined when it is. V8's JSON.parse
 * messages no longer carry a position (Node 20+, VS Code's Electron), and "line 3, column 13"
 * is what tells a user what to fix: the designer, the Problems panel and the training
 * commands all ask this, after JSON.parse has failed.
 */
export function jsonSyntaxError(text: string): JsonSyntaxError | undefined {
  try {
    parseTree(text);
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
}

/** A strict JSON parser that keeps the range of every value (throws JsonSyntaxError). */
export function parseTree(text: string): Node {
  let pos = 0;
  const fail = (message: string, expected: string, at = pos): never => { throw new JsonSyntaxError(message, at, expected); };
  const ws = (): void => { while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++; };
  const describe = (): string => (pos >= text.length ? 'the end of the text' : `"${text[pos]}"`);
  const string = (): number => {
    const start = pos++;
    for (;;) {
      const c = text[pos];
      if (c === undefined) return fail('Unterminated string: add the closing quote.', 'a closing quote', start);
      if (c === '"') { pos++; return start; }
      if (c < ' ') return fail('Line breaks and control characters are not allowed inside a string: close the string or escape them.', 'no control characters inside a string');
      if (c === '\\') {
        const e = text[pos + 1];
        if (e === 'u' ? !/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6)) : !(e !== undefined && '"\\/bfnrt'.includes(e))) {
          return fail('Invalid escape sequence in a string.', e === 'u' ? '4 hex digits after \\u' : 'a valid escape');
        }
        pos += e === 'u' ? 6 : 2;
      } else pos++;
    }
  };
  let depth = 0;
  const value = (): Node => {
    ws();
    const start = pos;
    const c = text[pos];
    if (c === '{' || c === '[') {
      // Recursive descent: bounded, so a document nested thousands deep is refused, not a stack overflow.
      if (++depth > MAX_NESTING) return fail(`Nested deeper than ${MAX_NESTING} levels: an experiment needs a handful.`, 'less nesting');
      try { return container(start, c); } finally { depth--; }
    }
    return scalar(start, c);
  };
  const container = (start: number, c: '{' | '['): Node => {
    {
      const close = c === '{' ? '}' : ']';
      const members: Member[] = [];
      pos++;
      ws();
      if (text[pos] === close) { pos++; return { kind: c === '{' ? 'object' : 'array', start, end: pos, members }; }
      for (;;) {
        ws();
        let member: Member;
        if (c === '{') {
          if (text[pos] !== '"') return fail(text[pos] === '}' ? 'Trailing comma before "}": remove it.' : `Expected a property name in double quotes, found ${describe()}.`, 'a property name in double quotes');
          const keyStart = string();
          const keyEnd = pos;
          const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
          ws();
          if (text[pos] !== ':') return fail(`Expected ":" after the property name, found ${describe()}.`, "':'");
          pos++;
          if ((ws(), text[pos]) === '}' || text[pos] === ',') return fail(`Expected a value after ":", found ${describe()}.`, 'a value');
          member = { key, keyStart, keyEnd, value: value() };
        } else {
          if (text[pos] === ']') return fail('Trailing comma before "]": remove it.', 'a value');
          const v = value();
          member = { keyStart: v.start, keyEnd: v.start, value: v };
        }
        members.push(member);
        ws();
        if (text[pos] === ',') { pos++; continue; }
        if (text[pos] === close) { pos++; return { kind: c === '{' ? 'object' : 'array', start, end: pos, members }; }
        return fail(`Expected "," or "${close}" after ${c === '{' ? 'a property value' : 'an array element'}, found ${describe()}.`, `',' or '${close}'`);
      }
    }
  };
  const scalar = (start: number, c: string | undefined): Node => {
    if (c === '"') { string(); return { kind: 'scalar', start, end: pos }; }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 400));
    if (!m) return fail(c === undefined ? 'Unexpected end of the text: a value is missing.' : c === "'" ? 'Strings must use double quotes.' : `Unexpected ${describe()}: expected a value.`, 'a value');
    pos += m[0].length;
    if (/[\w.]/.test(text[pos] ?? '')) return fail(`Unexpected ${describe()} after ${m[0]}.`, `',' or a closing bracket after ${m[0]}`);
    return { kind: 'scalar', start, end: pos };
  };
  if (text.charCodeAt(0) === 0xfeff) pos = 1;
  ws();
  if (pos >= text.length) fail('The document is empty: it must be a JSON object.', 'a value', 0);
  const root = value();
  ws();
  if (pos < text.length) fail(`Unexpected ${describe()} after the end of the document.`, 'the end of the document');
  return root;
}

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
  const oneLine = (n: Node): boolean => !text.slice(n.start, n.end).includes('\n');
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

function lastIndexOfKey(members: Member[], key: string): number {
  for (let i = members.length - 1; i >= 0; i--) if (members[i]!.key === key) return i;
  return -1;
}

function memberOf(node: Node, key: string | number): Member | undefined {
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

function removeMember(text: string, parent: Node, index: number): string {
  const members = parent.members!;
  const m = members[index]!;
  if (members.length === 1) return text.slice(0, parent.start + 1) + text.slice(parent.end - 1);
  // Take the following comma and spacing with it, or for the last member the preceding ones.
  if (index < members.length - 1) return text.slice(0, m.keyStart) + text.slice(members[index + 1]!.keyStart);
  return text.slice(0, members[index - 1]!.value.end) + text.slice(m.value.end);
}

function insertMember(text: string, parent: Node, index: number, key: string | undefined, value: unknown, style: Style): string {
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
function rewrapIfLong(before: string, after: string, outer: Node | undefined, style: Style): string {
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
