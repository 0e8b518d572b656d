// An experiment's text parsed the way every host feature reports it (training refuses it,
// the diagram shows it): JSON.parse, or where it breaks in the editor's own line and column.
import { stripBom } from '../core/bom';
import { jsonSyntaxError } from '../core/edits';
import { lineColumnAt } from '../core/jsonPath';

/** JSON.parse, or where it breaks as "line L, column C" (1-based, as the editor shows it). */
export function parseDocument(withBom: string): { doc: unknown } | { error: string } {
  const text = stripBom(withBom);
  try {
    return { doc: JSON.parse(text) };
  } catch (err) {
    const at = jsonSyntaxError(text);
    if (!at) return { error: err instanceof Error ? err.message : String(err) };
    const { line, column } = lineColumnAt(text, at.offset);
    return { error: `expected ${at.expected} at line ${line + 1}, column ${column + 1}` };
  }
}
