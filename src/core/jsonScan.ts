// The one JSON scanner of core: every value of a document text with its range, from one
// iterative pass (so no nesting depth can overflow the stack). JSON.parse gives neither
// offsets nor, since Node 20, the position of an error. Two modes:
// - strict (edits.ts, and jsonSyntaxError for the designer, the Problems panel and the
//   training commands): exactly what JSON.parse accepts, a leading byte-order mark allowed,
//   nesting bounded by MAX_NESTING; the first place the text breaks is a JsonSyntaxError that
//   says what to do and what JSON allows there.
// - lenient (jsonPath.ts, to place problems while the user types): comments, trailing commas
//   and half-typed words are read; at a broken tail the values begun keep what was found,
//   the open containers end where it broke and are marked `broken`, and a member whose value
//   is missing runs to the end of the text.
import { MAX_NESTING } from './nesting';

/** A value and its range; containers list their members in text order (duplicate keys included). */
export interface JsonNode {
  kind: 'object' | 'array' | 'scalar';
  start: number;
  end: number;
  members?: JsonMember[];
  /** Lenient mode: a container still open where the text broke. */
  broken?: boolean;
}

/** An object member (`key` and the range of its quoted name) or an array element (no key; an empty range at the value). */
export interface JsonMember { key?: string; keyStart: number; keyEnd: number; value: JsonNode }

/** Where strict JSON breaks: the offset, what to do there (`message`), and what JSON allows there (`expected`, "a value"). */
export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number, readonly expected: string) { super(message); }
}

/** A strict JSON parser that keeps the range of every value (throws JsonSyntaxError). */
export function parseTree(text: string): JsonNode {
  return scan(text, true)!;
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

/** The values of a possibly half-typed text as far as they go; undefined when it holds no value at all. */
export function scanLenient(text: string): JsonNode | undefined {
  return scan(text, false);
}

const STRICT_SCALAR = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/;

class Scanner {
  pos = 0;
  constructor(readonly text: string, readonly strict: boolean) {}

  fail(message: string, expected: string, at = this.pos): never { throw new JsonSyntaxError(message, at, expected); }

  describe(): string { return this.pos >= this.text.length ? 'the end of the text' : `"${this.text[this.pos]}"`; }

  /** Skips what may stand between tokens (lenient: also byte-order marks and comments); the next character. */
  peek(): string | undefined {
    const t = this.text;
    for (;;) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (this.strict) return c;
      else if (c === '\uFEFF') this.pos++;
      else if (c === '/' && t[this.pos + 1] === '/') { const nl = t.indexOf('\n', this.pos); this.pos = nl < 0 ? t.length : nl + 1; }
      else if (c === '/' && t[this.pos + 1] === '*') { const close = t.indexOf('*/', this.pos + 2); this.pos = close < 0 ? t.length : close + 2; }
      else return c;
    }
  }

  /** The string token at `pos` (quotes included). */
  string(): { start: number; end: number } {
    const t = this.text;
    const start = this.pos;
    let i = start + 1;
    for (;;) {
      const c = t[i];
      if (c === undefined) return this.fail('Unterminated string: add the closing quote.', 'a closing quote', start);
      if (c === '"') break;
      if (c === '\\') {
        const e = t[i + 1];
        if (this.strict && (e === 'u' ? !/^[0-9a-fA-F]{4}$/.test(t.slice(i + 2, i + 6)) : !(e !== undefined && '"\\/bfnrt'.includes(e)))) {
          return this.fail('Invalid escape sequence in a string.', e === 'u' ? '4 hex digits after \\u' : 'a valid escape', i);
        }
        i += this.strict && e === 'u' ? 6 : 2;
      } else if (this.strict && c < ' ') {
        return this.fail('Line breaks and control characters are not allowed inside a string: close the string or escape them.', 'no control characters inside a string', i);
      } else i++;
    }
    this.pos = i + 1;
    return { start, end: this.pos };
  }

  /** A string, number, true, false or null at `pos` (lenient: any word, e.g. half-typed). */
  scalar(): JsonNode {
    const t = this.text;
    const start = this.pos;
    const c = t[start];
    if (c === '"') return { kind: 'scalar', ...this.string() };
    const m = this.strict ? STRICT_SCALAR.exec(t.slice(start, start + 400)) : /^[-+\w.]+/.exec(t.slice(start, start + 64));
    if (!m) return this.fail(c === undefined ? 'Unexpected end of the text: a value is missing.' : c === "'" ? 'Strings must use double quotes.' : `Unexpected ${this.describe()}: expected a value.`, 'a value');
    this.pos = start + m[0].length;
    if (this.strict && /[\w.]/.test(t[this.pos] ?? '')) return this.fail(`Unexpected ${this.describe()} after ${m[0]}.`, `',' or a closing bracket after ${m[0]}`);
    return { kind: 'scalar', start, end: this.pos };
  }
}

function decodeKey(raw: string): string {
  try { return JSON.parse(raw) as string; } catch { return raw.slice(1, -1); }
}

function scan(text: string, strict: boolean): JsonNode | undefined {
  const s = new Scanner(text, strict);
  if (strict && text.charCodeAt(0) === 0xfeff) s.pos = 1;
  if (s.peek() === undefined) return strict ? s.fail('The document is empty: it must be a JSON object.', 'a value', 0) : undefined;
  type Frame = { node: JsonNode & { members: JsonMember[] }; close: '}' | ']' };
  const stack: Frame[] = [];
  // The member whose value is read next: its key (none in an array) and where its value starts.
  let pending: { key?: string; keyStart: number; keyEnd: number; start: number } | undefined;
  let root: JsonNode | undefined;
  const first = s.pos;
  const attach = (node: JsonNode): void => {
    const parent = stack[stack.length - 1];
    if (parent && pending) {
      const { key, keyStart, keyEnd } = pending;
      parent.node.members.push(key === undefined ? { keyStart: node.start, keyEnd: node.start, value: node } : { key, keyStart, keyEnd, value: node });
    } else root ??= node;
    pending = undefined;
  };
  try {
    // Read one value (opening a container pushes a frame), then close what is finished.
    for (;;) {
      const c = s.peek();
      const start = s.pos;
      if (pending) pending.start = start;
      if (c === '{' || c === '[') {
        if (strict && stack.length >= MAX_NESTING) s.fail(`Nested deeper than ${MAX_NESTING} levels: an experiment needs a handful.`, 'less nesting');
        s.pos++;
        const node = { kind: c === '{' ? 'object' as const : 'array' as const, start, end: text.length, members: [] };
        attach(node);
        stack.push({ node, close: c === '{' ? '}' : ']' });
      } else {
        attach(s.scalar());
      }
      // After a value: close finished containers, or stand before the next member's value.
      for (;;) {
        const frame = stack[stack.length - 1];
        if (!frame) {
          if (strict && s.peek() !== undefined) s.fail(`Unexpected ${s.describe()} after the end of the document.`, 'the end of the document');
          return root;
        }
        const next = s.peek();
        if (next === frame.close) {
          s.pos++;
          frame.node.end = s.pos;
          stack.pop();
          continue;
        }
        const object = frame.close === '}';
        if (frame.node.members.length > 0) {
          if (next !== ',') s.fail(`Expected "," or "${frame.close}" after ${object ? 'a property value' : 'an array element'}, found ${s.describe()}.`, `',' or '${frame.close}'`);
          s.pos++;
          if (s.peek() === frame.close) {
            if (strict) s.fail(`Trailing comma before "${frame.close}": remove it.`, object ? 'a property name in double quotes' : 'a value');
            continue;
          }
        }
        if (object) {
          if (s.peek() !== '"') s.fail(`Expected a property name in double quotes, found ${s.describe()}.`, 'a property name in double quotes');
          const key = s.string();
          if (s.peek() !== ':') s.fail(`Expected ":" after the property name, found ${s.describe()}.`, "':'");
          s.pos++;
          if (strict && (s.peek() === '}' || s.text[s.pos] === ',')) s.fail(`Expected a value after ":", found ${s.describe()}.`, 'a value');
          pending = { key: decodeKey(text.slice(key.start, key.end)), keyStart: key.start, keyEnd: key.end, start: s.pos };
        } else {
          pending = { keyStart: s.pos, keyEnd: s.pos, start: s.pos };
        }
        break;
      }
    }
  } catch (error) {
    if (strict || !(error instanceof JsonSyntaxError)) throw error;
    // Broken text: what is still open ends here; a member without its value runs to the end.
    const end = s.pos;
    const top = stack[stack.length - 1];
    if (pending && top) {
      const { key, keyStart, keyEnd, start } = pending;
      const value: JsonNode = { kind: 'scalar', start, end: text.length };
      top.node.members.push(key === undefined ? { keyStart: start, keyEnd: start, value } : { key, keyStart, keyEnd, value });
    }
    for (const frame of stack) { frame.node.end = end; frame.node.broken = true; }
    return root ?? { kind: 'scalar', start: first, end: text.length };
  }
}
