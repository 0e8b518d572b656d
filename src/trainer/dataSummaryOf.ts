// The data summary of a document (the designer's "Preview data", `mts data`): problems in the
// data or tasks settings, or the loader's own DataError, become a message for the user.
// Errors elsewhere (a half-edited model) do not stop a preview. No tfjs on this path.
import { checkBudget, type MemoryBudget } from '../core/budget';
import type { DataSummaryResult } from '../core/dataSummary';
import type { ExperimentSpec } from '../core/spec';
import { validate } from '../core/validate';
import { formatPath } from '../core/wording';
import { DataError } from './data/errors';
import { prereadData } from './data/load';
import { countRows } from './data/rowCount';
import { summarizeData } from './data/summary';

/** `budget`: refuse data estimated to need more memory than this, before generating or reading it. */
export async function dataSummaryOf(doc: unknown, workspaceDir: string, allowedRoots?: string[], budget?: MemoryBudget): Promise<DataSummaryResult> {
  const started = performance.now();
  const folders = { workspaceDir, ...(allowedRoots ? { allowedRoots } : {}) };
  const checked = validate(doc);
  // Not checked at all (nested too deep), the data settings are unread too: the problem stops the preview wherever it is.
  const blocking = checked.problems.filter((p) => p.severity === 'error' && (checked.unchecked || p.path.length === 0 || p.path[0] === 'data' || p.path[0] === 'tasks'));
  if (budget && checked.spec) {
    const rows = countRows(checked.spec, folders);
    blocking.push(...checkBudget(checked.spec, budget, rows !== undefined ? { rows } : {}, 'data'));
  }
  if (blocking.length > 0) {
    const first = blocking[0]!;
    const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''} in the data or tasks settings)` : '';
    return { ok: false, message: `${first.path.length ? `${formatPath(first.path)}: ` : ''}${first.message}${more}`, path: first.path };
  }
  try {
    const spec = doc as ExperimentSpec;
    const summary = summarizeData(spec, await prereadData(spec, folders));
    return { ok: true, summary, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    if (err instanceof DataError) return { ok: false, message: err.message, ...(err.path ? { path: err.path } : {}) };
    throw err;
  }
}
