// How one cell of a table is read: a number, a missing value (an empty cell or a marker such
// as "NA"), or text. Decided once, as the file is read, so a table is stored as numbers plus a
// small dictionary of texts rather than as millions of strings.

/**
 * Cells read as missing by default: pandas' common markers plus "-" and "?", which hand-made
 * files use for "unknown". `data.source.missingValues` replaces this list (an empty cell is
 * always missing).
 */
export const DEFAULT_MISSING_VALUES: readonly string[] = ['NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '-', '?'];

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function isNumberText(s: string): boolean {
  return NUMBER.test(s);
}

/**
 * Shortest decimal that reads back as the same float32: how a stored number is named as a
 * category or class ("0.1", not "0.10000000149011612").
 */
export function float32Name(v: number): string {
  for (let digits = 1; digits < 10; digits++) {
    const s = Number(v.toPrecision(digits));
    if (Math.fround(s) === v) return String(s);
  }
  return String(v);
}

/** Text from a file cut short for a message: at most `max` characters. */
export function clip(s: string, max = 40): string {
  // One line in a message: a header or a cell may hold control characters.
  // eslint-disable-next-line no-control-regex
  const oneLine = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}

/**
 * A copy of a string that does not keep a larger one alive: V8 may store a slice of a 64 KB
 * chunk as a view of the whole chunk, so texts kept for the whole run are copied.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
