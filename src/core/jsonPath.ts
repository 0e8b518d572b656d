// Where a JSON path is in the document text: the range of its value (and of its property
// name), so a problem can be underlined in the editor and the Problems panel. Read with the
// lenient mode of the JSON scanner (jsonScan.ts), because offsets are needed and the text may
// be half-typed: comments, trailing commas and a broken tail are tolerated, and a path falls
// back to the deepest part of it that was found. Duplicate keys resolve to the last one, as
// JSON.parse does.
import type { JsonPath } from './edits';
import { scanLenient, type JsonMember, type JsonNode } from './jsonScan';

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

type Path = Readonly<JsonPath>;

/**
 * Every value of a document text and its range, from one pass of the lenient scanner
 * (jsonScan.ts): locating the path of each of n problems then costs the depth of the path,
 * not another scan of the text (n scans of a 10,000-layer document were quadratic).
 */
export class JsonIndex {
  private readonly root: JsonNode | undefined;
  private lineStarts: number[] | undefined;
  /** An object's members by key (the last of duplicate keys, as JSON.parse), made on first lookup. */
  private readonly keyed = new Map<JsonNode, Map<string, JsonMember>>();

  constructor(readonly text: string) {
    this.root = scanLenient(text);
  }

  private member(node: JsonNode, segment: string | number): JsonMember | undefined {
    if (node.kind === 'array' && typeof segment === 'number') return node.members![segment];
    if (node.kind !== 'object' || typeof segment !== 'string') return undefined;
    let byKey = this.keyed.get(node);
    if (!byKey) this.keyed.set(node, (byKey = new Map(node.members!.map((m) => [m.key!, m]))));
    return byKey.get(segment);
  }

  /** Finds `path`; undefined when the text has no JSON value at all. */
  locate(path: Path): JsonLocation | undefined {
    if (!this.root) return undefined;
    let node: JsonNode = this.root;
    let key: TextRange | undefined;
    for (let depth = 0; ; depth++) {
      const segment = path[depth];
      const member = segment === undefined ? undefined : this.member(node, segment);
      // A value the text broke inside runs to the end of the text, unless the path stops at a
      // member missing from it (then up to where it broke), as a scan from the start finds them.
      const toEnd = node.broken && (segment === undefined || !this.fits(node, segment));
      const here = (exact: boolean): JsonLocation => ({ value: { start: node.start, end: toEnd ? this.text.length : node.end }, ...(key ? { key } : {}), exact, depth });
      if (segment === undefined) return here(true);
      if (!member) return here(false);
      node = member.value;
      key = member.key === undefined ? undefined : { start: member.keyStart, end: member.keyEnd };
    }
  }

  /** Whether `segment` indexes `node` (a key of an object, an index of an array), present or not. */
  private fits(node: JsonNode, segment: string | number): boolean {
    return (node.kind === 'object' && typeof segment === 'string') || (node.kind === 'array' && typeof segment === 'number');
  }

  /** 0-based line and column (in UTF-16 code units, as VS Code counts) of an offset. */
  lineColumn(offset: number): { line: number; column: number } {
    return lineColumnIn(this.text, this.lineStarts ??= lineStartsOf(this.text), offset);
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
  return lineColumnIn(text, lineStartsOf(text), offset);
}

function lineColumnIn(text: string, starts: readonly number[], offset: number): { line: number; column: number } {
  const end = Math.min(offset, text.length);
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= end) lo = mid; else hi = mid - 1;
  }
  return { line: lo, column: end - starts[lo]! };
}
