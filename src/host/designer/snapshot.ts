// The document text as the designer sees it: parsed JSON and its problems, or where and why
// it is not JSON. Pure (no vscode), so it is unit-tested and shared by the webview messages
// and diagnostics (one validation per version of the text).
import type { DocumentSnapshot, ParseErrorInfo } from '../../core/designerProtocol';
import { jsonSyntaxError } from '../../core/edits';
import { lineColumnAt } from '../../core/jsonPath';
import { dataSettingsKey } from '../../core/dataSummary';
import { validate } from '../../core/validate';

/** What the trainer's loaders found in the data of the document whose data settings are `key`. */
export interface DataFeatures { key: string; featureShape: number[] }

/** `data`: the count of features per example, used while the document's data settings are still those it was counted for. */
export function snapshotOf(text: string, version: number, data?: DataFeatures): DocumentSnapshot {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    return { ok: false, version, error: parseError(text, error) };
  }
  const current = data && dataSettingsKey(doc) === data.key ? { featureShape: data.featureShape } : {};
  return { ok: true, version, doc, problems: validate(doc, current).problems };
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
