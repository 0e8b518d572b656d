// The data summary of a document (the designer's "Preview data", `mts data`): problems in the
// data or tasks settings, or the loader's own DataError, become a message for the user.
// Errors elsewhere (a half-edited model) do not stop a preview. No tfjs on this path.
import type { DataSummaryResult } from '../core/dataSummary';
import type { ExperimentSpec } from '../core/spec';
import { validate } from '../core/validate';
import { formatPath } from '../core/wording';
import { DataError } from './data/errors';
import { prereadData } from './data/load';
import { summarizeData } from './data/summary';

export async function dataSummaryOf(doc: unknown, workspaceDir: string, allowedRoots?: string[]): Promise<DataSummaryResult> {
  const started = performance.now();
  const blocking = validate(doc).problems.filter((p) => p.severity === 'error' && (p.path.length === 0 || p.path[0] === 'data' || p.path[0] === 'tasks'));
  if (blocking.length > 0) {
    const first = blocking[0]!;
    const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''} in the data or tasks settings)` : '';
    return { ok: false, message: `${first.path.length ? `${formatPath(first.path)}: ` : ''}${first.message}${more}`, path: first.path };
  }
  try {
    const spec = doc as ExperimentSpec;
    const summary = summarizeData(spec, await prereadData(spec, { workspaceDir, ...(allowedRoots ? { allowedRoots } : {}) }));
    return { ok: true, summary, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    if (err instanceof DataError) return { ok: false, message: err.message, ...(err.path ? { path: err.path } : {}) };
    throw err;
  }
}
