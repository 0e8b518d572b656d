// Data loaded once and trained on many times: the runs of a study differ in their model and
// training settings, never in their data, so the trainer process keeps what it loaded (and
// split and preprocessed) by the parts of the spec that decide it. Each run still gets its own
// device tensors (deviceData.ts); the host arrays here are only read.
import type { ExperimentSpec } from '../core/spec';
import type { ExperimentData } from './data/index';

export type DataCache = Map<string, ExperimentData>;

/** What decides a run's data: the data spec, the tasks' targets and the inputs (int32 checks, image sizes), and where files are read from. */
export function dataCacheKey(spec: Pick<ExperimentSpec, 'data' | 'tasks' | 'model'>, workspaceDir: string): string {
  return JSON.stringify([workspaceDir, spec.data, spec.tasks.map((t) => [t.id, t.target, t.kind, t.classes]), spec.model.inputs]);
}
