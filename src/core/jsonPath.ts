// Where a JSON path is in the document text: the range of its value (and of its property
// name), so a problem can be underlined in the editor and the Problems panel. A small
// scanner rather than JSON.parse, because offsets are needed and the text may be half-typed:
// it tolerates comments, trailing commas and a broken tail, and falls back to the deepest
// part of the path it could find. Duplicate keys resolve to the last one, as JSON.parse does.

export interface TextRange { start: number; end: number }

export interface JsonLocation {
  /** Range of the value at the path (or of the deepest ancestor found, when `exact` is false). */
  value: TextRange;
  /** Range of the property name including its quotes, when the value is an object member. */
  key?: TextRange;
  /** True when the whole path was found. */
  exact: boolean;
  /** How many path segments were matched. */
  depth: number;
}

type Path = readonly (string | number)[];

class Scanner {
  pos = 0;
  constructor(readonly text: string) {}

  skipTrivia(): void {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF') this.pos++;
      else if (c === '/' && t[this.pos + 1] === '/') { const nl = t.indexOf('\n', this.pos); this.pos = nl < 0 ? t.length : nl + 1; }
      else if (c === '/' && t[this.pos + 1] === '*') { const close = t.indexOf('*/', this.pos + 2); this.pos = close < 0 ? t.length : close + 2; }
      else return;
    }
  }

  peek(): string | undefined { this.skipTrivia(); return this.text[this.pos]; }

  expect(c: string): void {
    if (this.peek() !== c) throw new SyntaxError(`expected ${c} at ${this.pos}`);
    this.pos++;
  }

  /** A string token; returns its decoded value and range (quotes included). */
  string(): { value: string; range: TextRange } {
    this.skipTrivia();
    const start = this.pos;
    if (this.text[start] !== '"') throw new SyntaxError(`expected a string at ${start}`);
    let i = start + 1;
    while (i < this.text.length && this.text[i] !== '"') i += this.text[i] === '\\' ? 2 : 1;
    if (i >= this.text.length) throw new SyntaxError('unterminated string');
    this.pos = i + 1;
    const raw = this.text.slice(start, this.pos);
    let value: string;
    try { value = JSON.parse(raw) as string; } catch { value = raw.slice(1, -1); }
    return { value, range: { start, end: this.pos } };
  }

  /** A scalar token (number, true, false, null, or a half-typed word); returns its range. */
  scalar(): TextRange {
    const start = this.pos;
    const m = /^[-+\w.]+/.exec(this.text.slice(start, start + 64));
    if (!m) throw new SyntaxError(`unexpected ${this.text[start] ?? 'end of text'} at ${start}`);
    this.pos = start + m[0].length;
    return { start, end: this.pos };
  }
}

/** A value of the document with its range; containers keep their members (the last of duplicate keys). */
interface IndexNode {
  range: TextRange;
  members?: Map<string | number, { key: TextRange | undefined; node: IndexNode }>;
  open?: '{' | '[';
  /** Still open where the text broke: as the target of a path it runs to the end of the text. */
  broken?: boolean;
}

/**
 * Every value of a document text and its range, from one pass: locating the path of each of
 * n problems then costs the depth of the path, not another scan of the text (n scans of a
 * 10,000-layer document were quadratic). The scan is iterative, so no nesting depth can
 * overflow the stack. Broken text ends the scan; the values begun before it keep what was
 * found, with the ranges the recursive scanner this replaces gave (checked against it on
 * every prefix of the test fixtures).
 */
export class JsonIndex {
  private readonly root: IndexNode | undefined;
  private lineStarts: number[] | undefined;

  constructor(readonly text: string) {
    this.root = JsonIndex.scan(text);
  }

  private static scan(text: string): IndexNode | undefined {
    const scanner = new Scanner(text);
    if (scanner.peek() === undefined) return undefined;
    type Frame = { node: IndexNode; close: '}' | ']'; index: number };
    const stack: Frame[] = [];
    let pending: { key: string | number; keyRange: TextRange | undefined; start: number } | undefined;
    let root: IndexNode | undefined;
    const first = scanner.pos;
    const attach = (node: IndexNode): void => {
      const parent = stack[stack.length - 1];
      if (parent && pending) parent.node.members!.set(pending.key, { key: pending.keyRange, node });
      else root ??= node;
      pending = undefined;
    };
    try {
      // Read one value (opening a container pushes a frame), then close what is finished.
      for (;;) {
        const c = scanner.peek();
        const start = scanner.pos;
        if (pending) pending.start = start;
        if (c === '{' || c === '[') {
          scanner.pos++;
          const node: IndexNode = { range: { start, end: text.length }, members: new Map(), open: c };
          attach(node);
          stack.push({ node, close: c === '{' ? '}' : ']', index: 0 });
        } else {
          attach({ range: c === '"' ? scanner.string().range : scanner.scalar() });
        }
        // After a value: close finished containers, or stand before the next member's value.
        for (;;) {
          const frame = stack[stack.length - 1];
          if (!frame) return root;
          const next = scanner.peek();
          if (next === frame.close) {
            scanner.pos++;
            frame.node.range.end = scanner.pos;
            stack.pop();
            continue;
          }
          if (frame.index > 0) {
            if (next !== ',') throw new SyntaxError(`expected , or ${frame.close} at ${scanner.pos}`);
            scanner.pos++;
            if (scanner.peek() === frame.close) continue; // trailing comma
          }
          if (frame.close === '}') {
            const k = scanner.string();
            scanner.expect(':');
            pending = { key: k.value, keyRange: k.range, start: scanner.pos };
          } else {
            pending = { key: frame.index, keyRange: undefined, start: scanner.pos };
          }
          frame.index++;
          break;
        }
      }
    } catch {
      // Broken text: what is still open ends here; a member without its value runs to the end.
      const end = scanner.pos;
      if (pending && stack.length) {
        const { key, keyRange } = pending;
        stack[stack.length - 1]!.node.members!.set(key, { key: keyRange, node: { range: { start: pending.start, end: text.length } } });
      }
      for (const frame of stack) { frame.node.range.end = end; frame.node.broken = true; }
      return root ?? { range: { start: first, end: text.length } };
    }
  }

  /** Finds `path`; undefined when the text has no JSON value at all. */
  locate(path: Path): JsonLocation | undefined {
    if (!this.root) return undefined;
    let node: IndexNode = this.root;
    let key: TextRange | undefined;
    for (let depth = 0; ; depth++) {
      const segment = path[depth];
      const container: boolean = (node.open === '{' && typeof segment === 'string') || (node.open === '[' && typeof segment === 'number');
      // A value the text broke inside runs to the end of the text, unless the path stops at a
      // member missing from it (then up to where it broke), as a scan from the start finds them.
      const toEnd = node.broken && (segment === undefined || !container);
      const here = (exact: boolean): JsonLocation => ({ value: toEnd ? { start: node.range.start, end: this.text.length } : { ...node.range }, ...(key ? { key } : {}), exact, depth });
      if (segment === undefined) return here(true);
      const member: { key: TextRange | undefined; node: IndexNode } | undefined = container ? node.members!.get(segment) : undefined;
      if (!member) return here(false);
      node = member.node;
      key = member.key;
    }
  }

  /** 0-based line and column (in UTF-16 code units, as VS Code counts) of an offset. */
  lineColumn(offset: number): { line: number; column: number } {
    const starts = this.lineStarts ??= lineStartsOf(this.text);
    const end = Math.min(offset, this.text.length);
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= end) lo = mid; else hi = mid - 1;
    }
    return { line: lo, column: end - starts[lo]! };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Finds `path` in `text`; undefined when the text has no JSON value at all. One lookup: for many, build a JsonIndex once. */
export function locateJsonPath(text: string, path: Path): JsonLocation | undefined {
  return new JsonIndex(text).locate(path);
}

/** 0-based line and column (in UTF-16 code units, as VS Code counts) of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 0, lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  return { line, column: end - lineStart };
}
