// `mts explain RUN_FOLDER`: the attributions of evaluation.explain on a finished run's saved
// model (savedRun.ts), written beside the run's files as explain-saved-model.json and .md (+ charts/):
// not explain.json, which the run itself wrote with its own options.
import type { ExplainSpec, Explanation } from '../../core/explain';
import { renderExplainSection } from '../artifacts/explainSection';
import type { LoadedBackend } from '../backend';
import { writeInsight, type InsightFiles } from './insightFiles';
import { explain, tabularFeatureNames } from './saliency';
import { loadSavedRun } from './savedRun';

export const EXPLAIN_FILES = { result: 'explain-saved-model.json', report: 'explain-saved-model.md' } as const;

export async function explainOfRun(backend: LoadedBackend, runDir: string, dataDir: string, options: ExplainSpec,
  allowedRoots?: string[]): Promise<InsightFiles<Explanation>> {
  const run = await loadSavedRun(backend, runDir, dataDir, allowedRoots);
  try {
    const result = explain(backend.tf, run.spec, run.forward, run.heads, run.test, options, tabularFeatureNames(run.spec, run.data));
    const files = await writeInsight(runDir, `${run.spec.name}: what the saved model looks at`, renderExplainSection(run.spec, result, 80), result,
      EXPLAIN_FILES);
    return { result, files };
  } finally {
    run.dispose();
  }
}
