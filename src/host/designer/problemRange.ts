// Which text a problem underlines: the value at its JSON path when it fits on one line,
// else the property name (an object spanning lines), else the item's "id" (an array item),
// else the first line. Pure (no vscode) so it is unit-tested.
import { JsonIndex, type TextRange } from '../../core/jsonPath';

/** `at`: the document text, or its index when many problems of one text are placed. */
export function problemRange(at: string | JsonIndex, path: readonly (string | number)[]): TextRange {
  const index = typeof at === 'string' ? new JsonIndex(at) : at;
  const text = index.text;
  const loc = index.locate(path);
  if (!loc) return { start: 0, end: 0 };
  const { value } = loc;
  const multiline = text.slice(value.start, value.end).includes('\n');
  if (loc.exact && !multiline) return value;
  if (loc.key) return loc.key;
  const id = index.locate([...path.slice(0, loc.depth), 'id']);
  if (id?.exact) return id.value;
  const lineEnd = text.indexOf('\n', value.start);
  return { start: value.start, end: multiline && lineEnd >= 0 ? lineEnd : value.end };
}
