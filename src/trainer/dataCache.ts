// Data loaded once and trained on many times: the runs of a study differ in their model and
// training settings, never in their data, so the trainer process keeps the rows it loaded by
// the parts of the spec that decide them; each run splits and preprocesses them again (cheap
// next to reading and decoding) and gets its own device tensors (deviceData.ts). The cached
// rows are only read.
import type { ExperimentSpec } from '../core/spec';
import type { LoadedData } from './data/index';

export type DataCache = Map<string, LoadedData>;

/** What decides a run's data: the data spec, the tasks' targets and the inputs (int32 checks, image sizes), and where files are read from. */
export function dataCacheKey(spec: Pick<ExperimentSpec, 'data' | 'tasks' | 'model'>, workspaceDir: string): string {
  return JSON.stringify([workspaceDir, spec.data, spec.tasks.map((t) => [t.id, t.target, t.kind, t.classes]), spec.model.inputs]);
}
