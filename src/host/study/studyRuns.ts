// The studies this window runs, by study file (one at a time per file), and the study views open,
// by study folder: runStudy.ts starts them, index.ts opens views, the Runs view shows their state.
import type { StudyRun } from './studyRun';
import type { StudyPanel } from './studyPanel';

export const studyRuns = new Map<string, StudyRun>();
export const studyPanels = new Map<string, StudyPanel>();

export function runOfStudyDir(studyDir: string): StudyRun | undefined {
  for (const run of studyRuns.values()) if (run.studyDir === studyDir) return run;
  return undefined;
}
