// How deep a document may nest. An experiment needs about 6 levels (model.layers[i].kernelSize[0]);
// a document nested thousands deep is refused at once, with the place where it goes too deep, so
// no later reader (schema check, designer, trainer) has to cope with it.

export const MAX_NESTING = 64;

/** The path of the first value nested deeper than MAX_NESTING, or undefined. Iterative. */
export function tooDeep(doc: unknown): (string | number)[] | undefined {
  const stack: Array<{ value: unknown; path: (string | number)[] }> = [{ value: doc, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_NESTING) return path;
    if (Array.isArray(value)) value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    else for (const [k, v] of Object.entries(value)) stack.push({ value: v, path: [...path, k] });
  }
  return undefined;
}
