// Python source text from values: literals and identifiers for the generated Keras package.

const KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del',
  'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass',
  'raise', 'return', 'try', 'while', 'with', 'yield', 'keras', 'ops', 'inputs', 'outputs', 'build_model', 'l2',
  // Builtins a layer id may spell ("sum", "input"): shadowing them would surprise a reader.
  'sum', 'min', 'max', 'abs', 'input', 'id', 'type', 'len', 'list', 'dict', 'range', 'map', 'filter', 'print', 'object', 'format']);

/** A JSON value as a Python literal (tuples for shapes are asked for with `tuple`). */
export function py(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'float("inf")' : 'float("nan")';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(py).join(', ')}]`;
  return `{${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${JSON.stringify(k)}: ${py(v)}`).join(', ')}}`;
}

export const tuple = (values: readonly number[]): string => `(${values.join(', ')}${values.length === 1 ? ',' : ''})`;

/** Python variable names for ids: the id itself where it is a valid, free name, else a readable unique one. */
export function pythonNames(ids: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of ids) {
    if (names.has(id)) continue;
    let base = id.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `n_${base}`;
    let name = base;
    for (let k = 1; taken.has(name) || KEYWORDS.has(name); k++) name = `${base}_${k}`;
    taken.add(name);
    names.set(id, name);
  }
  return names;
}
