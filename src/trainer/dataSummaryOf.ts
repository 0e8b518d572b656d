// The data summary of a document (the designer's "Preview data", `mts data`): problems in the
// data or tasks settings, or the loader's own DataError, become a message for the user.
// Errors elsewhere (a half-edited model) do not stop a preview. No tfjs on this path.
import { checkBudget, type MemoryBudget } from '../core/budget';
import type { DataFacts } from '../core/checkSettings';
import type { DataSummaryResult } from '../core/dataSummary';
import type { ExperimentSpec } from '../core/spec';
import { validate } from '../core/validate';
import { formatPath } from '../core/wording';
import { datasetColumns } from './data/columns';
import { DataError } from './data/errors';
import { prereadData } from './data/load';
import { countRows } from './data/rowCount';
import { summarizeData } from './data/summary';

/** `budget`: refuse data estimated to need more memory than this, before generating or reading it. */
export async function dataSummaryOf(doc: unknown, workspaceDir: string, allowedRoots?: string[], budget?: MemoryBudget): Promise<DataSummaryResult> {
  const started = performance.now();
  const folders = { workspaceDir, ...(allowedRoots ? { allowedRoots } : {}) };
  // The columns from a header read, checked by validation as `mts validate` and a run check them (core checkData).
  let facts: DataFacts = {};
  const first = validate(doc);
  if (first.spec) {
    try {
      const { targets, columns } = datasetColumns(first.spec, workspaceDir, allowedRoots);
      facts = { targets, ...(columns ? { columns } : {}) };
    } catch (err) {
      if (err instanceof DataError) return refused(err);
      throw err;
    }
  }
  const checked = validate(doc, facts);
  // Not checked at all (nested too deep), the data settings are unread too: the problem stops the preview wherever it is.
  const blocking = checked.problems.filter((p) => p.severity === 'error' && (checked.unchecked || p.path.length === 0 || p.path[0] === 'data' || p.path[0] === 'tasks'));
  if (budget && checked.spec) {
    const rows = countRows(checked.spec, folders);
    blocking.push(...checkBudget(checked.spec, budget, rows !== undefined ? { rows } : {}, 'data'));
  }
  if (blocking.length > 0) {
    const first = blocking[0]!;
    const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''} in the data or tasks settings)` : '';
    return { ok: false, message: `${first.path.length ? `${formatPath(first.path)}: ` : ''}${first.message}${more}`, path: first.path, facts };
  }
  try {
    const spec = doc as ExperimentSpec;
    const summary = summarizeData(spec, await prereadData(spec, folders));
    return { ok: true, summary, seconds: (performance.now() - started) / 1000, facts: { ...facts, featureShape: summary.featureShape } };
  } catch (err) {
    if (err instanceof DataError) return refused(err, facts);
    throw err;
  }
}

function refused(err: DataError, facts?: DataFacts): DataSummaryResult {
  return { ok: false, message: err.message, refused: true, ...(err.path ? { path: err.path } : {}), ...(facts ? { facts } : {}) };
}
