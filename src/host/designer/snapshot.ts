// The document text as the designer sees it: parsed JSON and its problems, or where and why
// it is not JSON. Pure (no vscode), so it is unit-tested and shared by the webview messages
// and diagnostics (one validation per version of the text).
import type { DocumentSnapshot, ParseErrorInfo } from '../../core/designerProtocol';
import { jsonSyntaxError, withoutBom } from '../../core/edits';
import { lineColumnAt } from '../../core/jsonPath';
import { validate } from '../../core/validate';

export function snapshotOf(text: string, version: number): DocumentSnapshot {
  const body = withoutBom(text);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    return { ok: false, version, error: parseError(text, error) };
  }
  return { ok: true, version, doc, problems: validate(doc).problems };
}

/** Our parser names the spot and says what to do; JSON.parse's own message is the fallback. */
function parseError(text: string, jsonError: unknown): ParseErrorInfo {
  const at = jsonSyntaxError(text);
  let offset = at?.offset ?? 0;
  const message = at?.message ?? (jsonError instanceof Error ? jsonError.message : String(jsonError));
  if (!at) {
    const position = /position (\d+)/.exec(message);
    if (position) offset = Number(position[1]);
  }
  const { line, column } = lineColumnAt(text, offset);
  return { message, offset, line, column };
}
