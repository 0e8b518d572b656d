// The name of a study's run folder in the Runs view: the variant(s) and repeat it holds. One
// folder can hold two variants: the single-task models of a seed are the baselines of that
// seed's as-designed run (the runner trains them together), so study.json lists that folder
// under both.
import type { StudyResult } from './studyTypes';

/** "Single-task models + As designed · repeat 1" for the run folder `runDir` of the study, else undefined. */
export function studyRunLabel(result: Pick<StudyResult, 'variants'> | undefined, runDir: string): string | undefined {
  const found = (result?.variants ?? []).flatMap((v) => v.runs.filter((r) => r.runDir === runDir).map((r) => ({ label: v.variant.label, r })));
  const first = found[0];
  if (!first) return undefined;
  const { r } = first;
  return `${found.map((f) => f.label).join(' + ')} · repeat ${r.repeat + 1}${r.fold ? ` · fold ${r.fold.index + 1}/${r.fold.of}` : ''}`;
}
