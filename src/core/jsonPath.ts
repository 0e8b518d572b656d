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

  /** Skips one value; returns its range. */
  value(): TextRange {
    const c = this.peek();
    const start = this.pos;
    if (c === '"') return this.string().range;
    if (c === '{' || c === '[') {
      this.members(c, () => undefined);
      return { start, end: this.pos };
    }
    const m = /^[-+\w.]+/.exec(this.text.slice(start, start + 64));
    if (!m) throw new SyntaxError(`unexpected ${c ?? 'end of text'} at ${start}`);
    this.pos = start + m[0].length;
    return { start, end: this.pos };
  }

  /**
   * Walks the members of an object ('{') or the elements of an array ('['), calling `visit`
   * with the key (or index) when the scanner stands just before that member's value.
   */
  members(open: '{' | '[', visit: (key: string | number, keyRange: TextRange | undefined) => void): void {
    const close = open === '{' ? '}' : ']';
    this.expect(open);
    for (let index = 0; ; index++) {
      if (this.peek() === close) { this.pos++; return; }
      let key: string | number = index;
      let keyRange: TextRange | undefined;
      if (open === '{') {
        const k = this.string();
        key = k.value;
        keyRange = k.range;
        this.expect(':');
      }
      visit(key, keyRange);
      this.value();
      const next = this.peek();
      if (next === ',') this.pos++;
      else if (next !== close) throw new SyntaxError(`expected , or ${close} at ${this.pos}`);
    }
  }
}

/** Finds `path` in `text`; undefined when the text has no JSON value at all. */
export function locateJsonPath(text: string, path: Path): JsonLocation | undefined {
  const scanner = new Scanner(text);
  const find = (depth: number, key: TextRange | undefined): JsonLocation => {
    const start = (scanner.skipTrivia(), scanner.pos);
    const here = (end: number, exact: boolean): JsonLocation => ({ value: { start, end }, ...(key ? { key } : {}), exact, depth });
    const segment = path[depth];
    const open = scanner.text[start];
    const container = (open === '{' && typeof segment === 'string') || (open === '[' && typeof segment === 'number');
    if (segment === undefined || !container) {
      try { return here(scanner.value().end, segment === undefined); } catch { return here(text.length, segment === undefined); }
    }
    let match: { pos: number; key: TextRange | undefined } | undefined;
    try {
      scanner.members(open as '{' | '[', (k, keyRange) => {
        if (k === segment) match = { pos: scanner.pos, key: keyRange };
      });
    } catch {
      // Broken text after this point: use what was found before it.
    }
    const end = scanner.pos;
    if (!match) return here(end, false);
    scanner.pos = match.pos;
    return find(depth + 1, match.key);
  };
  if (scanner.peek() === undefined) return undefined;
  return find(0, undefined);
}

/** 0-based line and column (in UTF-16 code units, as VS Code counts) of an offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 0, lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) { line++; lineStart = i + 1; }
  return { line, column: end - lineStart };
}
