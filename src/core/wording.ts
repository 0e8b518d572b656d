// Small helpers that keep problem messages consistent and actionable: how a value is
// described, how a list of known names is shown, and a "did you mean" for typos.

/** A value as a user would recognise it in a message: "12" (a string), null, an array... */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': return `${JSON.stringify(value)} (a string)`;
    case 'number': return String(value);
    case 'boolean': return `${value} (a boolean)`;
    case 'object': return 'an object';
    default: return typeof value;
  }
}

/** "a, b, c" with at most `max` entries, then "… (n more)". */
export function listNames(names: readonly string[], max = 12): string {
  if (names.length === 0) return '(none)';
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown}, … (${names.length - max} more)` : shown;
}

/** Edit distance counting a swap of neighbours as one edit (typos like "rleu"); small inputs only. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!, up = rows[i - 1]!;
      row[j] = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/** The closest candidate to a likely typo, or undefined when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  let tied = false;
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; tied = false; } else if (d === bestDistance) tied = true;
  }
  // A tie ("trunk9" vs trunk1 and trunk2) is no real guess: say nothing rather than mislead.
  const limit = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= limit && !tied ? best : undefined;
}

/** ' Did you mean "x"?' or ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const guess = closest(word, candidates);
  return guess === undefined ? '' : ` Did you mean "${guess}"?`;
}

/** A JSON path as people read it: model.layers[3].from[0]. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += /^[A-Za-z_$][\w$]*$/.test(part) ? (out ? `.${part}` : part) : `[${JSON.stringify(part)}]`;
  }
  return out || '(document)';
}

/** [28, 28, 1] */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
