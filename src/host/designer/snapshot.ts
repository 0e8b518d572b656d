// The document text as the designer sees it: parsed JSON and its problems, or where and why
// it is not JSON. Pure (no vscode), so it is unit-tested and shared by the webview messages
// and diagnostics (one validation per version of the text).
import type { DocumentSnapshot, ParseErrorInfo } from '../../core/designerProtocol';
import { stripBom } from '../../core/bom';
import { jsonSyntaxError } from '../../core/jsonScan';
import { JsonIndex, lineColumnAt } from '../../core/jsonPath';
import { MAX_NESTING, tooDeep } from '../../core/nesting';
import type { MemoryBudget } from '../../core/budget';
import { dataSettingsKey } from '../../core/dataSummary';
import { validate } from '../../core/validate';

/** What the trainer's loaders found in the data of the document whose data settings are `key`. */
export interface DataFeatures { key: string; featureShape: number[] }

export interface SnapshotContext {
  /** Also refuse a spec estimated to need more memory (the user's setting, or half the machine's). */
  budget?: MemoryBudget;
  /** The count of features per example, used while the document's data settings are still those it was counted for. */
  data?: DataFeatures;
}

export function snapshotOf(text: string, version: number, context: SnapshotContext = {}): DocumentSnapshot {
  const body = stripBom(text);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    return { ok: false, version, error: parseError(text, error) };
  }
  // A document nested thousands deep cannot be posted to the webview (structured clone and
  // JSON.stringify recurse): the designer shows where it goes too deep, as for broken JSON.
  const deep = tooDeep(doc);
  if (deep) {
    const index = new JsonIndex(text);
    const offset = index.locate(deep)?.value.start ?? 0;
    return { ok: false, version, error: { message: `The document nests deeper than ${MAX_NESTING} levels here: remove the nested arrays or objects.`, offset, ...index.lineColumn(offset) } };
  }
  const { budget, data } = context;
  const current = data && dataSettingsKey(doc) === data.key ? { featureShape: data.featureShape } : {};
  return { ok: true, version, doc, problems: validate(doc, { ...current, ...(budget ? { budget } : {}) }).problems };
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
