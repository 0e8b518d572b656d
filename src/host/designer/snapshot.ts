// The document text as the designer sees it: parsed JSON, or where and why it is not JSON.
// Pure (no vscode), so it is unit-tested and shared by the webview messages and diagnostics.
import type { DocumentSnapshot, ParseErrorInfo } from '../../core/designerProtocol';
import { JsonSyntaxError, parseTree } from '../../core/edits';
import { lineColumnAt } from '../../core/jsonPath';

export function snapshotOf(text: string, version: number): DocumentSnapshot {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, version, doc: JSON.parse(body) as unknown };
  } catch (error) {
    return { ok: false, version, error: parseError(text, error) };
  }
}

/** Our parser names the spot and says what to do; JSON.parse's own message is the fallback. */
function parseError(text: string, jsonError: unknown): ParseErrorInfo {
  let offset = 0;
  let message = jsonError instanceof Error ? jsonError.message : String(jsonError);
  try {
    parseTree(text);
    const at = /position (\d+)/.exec(message);
    if (at) offset = Number(at[1]);
  } catch (error) {
    if (error instanceof JsonSyntaxError) { offset = error.offset; message = error.message; }
  }
  const { line, column } = lineColumnAt(text, offset);
  return { message, offset, line, column };
}
