// The document text as the designer sees it: parsed JSON and its problems, or where and why
// it is not JSON. Pure (no vscode), so it is unit-tested and shared by the webview messages
// and diagnostics (one validation per version of the text).
import type { DocumentSnapshot, ParseErrorInfo } from '../../core/designerProtocol';
import { stripBom } from '../../core/bom';
import { jsonSyntaxError } from '../../core/jsonScan';
import { JsonIndex, lineColumnAt } from '../../core/jsonPath';
import { MAX_NESTING, tooDeep } from '../../core/nesting';
import type { MemoryBudget } from '../../core/budget';
import type { DataFacts } from '../../core/checkSettings';
import { dataSettingsKey, type DataSummaryResult } from '../../core/dataSummary';
import type { Problem } from '../../core/spec';
import { validate } from '../../core/validate';

/**
 * What the trainer found in the data of the document whose data settings are `key` (its data
 * summary): the columns and shape validation checks names and inputs against, and the
 * loaders' refusal, a problem as `mts validate` reports it.
 */
export interface DataContext { key: string; facts: DataFacts; refusal?: Problem }

/** The snapshot's view of a data summary; undefined when it tells nothing (e.g. the preview could not run). */
export function dataContextOf(key: string, result: DataSummaryResult): DataContext | undefined {
  const facts = result.facts ?? (result.ok ? { featureShape: result.summary.featureShape } : undefined);
  const refusal: Problem | undefined = !result.ok && result.refused ? { path: result.path ?? ['data', 'source'], severity: 'error', message: result.message } : undefined;
  if (!facts && !refusal) return undefined;
  return { key, facts: facts ?? {}, ...(refusal ? { refusal } : {}) };
}

export interface SnapshotContext {
  /** Also refuse a spec estimated to need more memory (the user's setting, or half the machine's). */
  budget?: MemoryBudget;
  /** What the data summary found, used while the document's data settings are still those it was found for. */
  data?: DataContext;
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
  const current = data && dataSettingsKey(doc) === data.key ? data : undefined;
  const problems = validate(doc, { ...current?.facts, ...(budget ? { budget } : {}) }).problems;
  const refusal = current?.refusal;
  // Validation stops at the same places a run does: a refusal it already reports is not shown twice.
  if (refusal && !problems.some((p) => p.message === refusal.message && p.path.join('.') === refusal.path.join('.'))) problems.push(refusal);
  return { ok: true, version, doc, problems };
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
