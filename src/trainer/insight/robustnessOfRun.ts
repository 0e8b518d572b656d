// `mts robustness RUN_FOLDER`: the robustness measurement on a finished run's saved model
// (savedRun.ts), written beside the run's files as robustness.json and robustness.md (+ charts/).
// Only the shared model is saved in a run, so single-task models are measured during training
// only (evaluation.robustness).
import { ROBUSTNESS_DEFAULTS, type RobustnessResult, type RobustnessSpec } from '../../core/robustness';
import { renderRobustnessSection } from '../artifacts/robustnessSection';
import type { LoadedBackend } from '../backend';
import { writeInsight, type InsightFiles } from './insightFiles';
import { measureRobustness } from './robustness';
import { loadSavedRun } from './savedRun';

export const ROBUSTNESS_FILES = { result: 'robustness.json', report: 'robustness.md' } as const;

export async function robustnessOfRun(backend: LoadedBackend, runDir: string, dataDir: string, options: RobustnessSpec,
  allowedRoots?: string[]): Promise<InsightFiles<RobustnessResult>> {
  const run = await loadSavedRun(backend, runDir, dataDir, allowedRoots);
  try {
    const { records, ranges, examples } = measureRobustness(backend.tf, run.forward, run.heads, run.test, options, 'shared', run.spec.training.seed ?? 0);
    const result: RobustnessResult = { examples, pgdSteps: options.pgdSteps ?? ROBUSTNESS_DEFAULTS.pgdSteps, ranges: Object.fromEntries(ranges), records };
    const files = await writeInsight(runDir, `${run.spec.name}: robustness of the saved model`, renderRobustnessSection(run.spec.tasks, records, 90), result, ROBUSTNESS_FILES);
    return { result, files };
  } finally {
    run.dispose();
  }
}
