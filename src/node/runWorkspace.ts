// The folder a run's data paths are relative to when nobody says (no --workspace, no open
// workspace folder): the one holding its runs folder. A run sits in runs/<experiment>/<run>/, a
// study's run one level deeper, beside study.json (runs/<experiment>/study-…/<variant>-r0/):
// `mts explain` of a study's run looked for the data inside runs/.
import fs from 'node:fs';
import path from 'node:path';
import { STUDY_FILES } from '../core/study/studyTypes';

export function defaultWorkspaceOfRun(runDir: string): string {
  const abs = path.resolve(runDir);
  const inStudy = fs.existsSync(path.join(path.dirname(abs), STUDY_FILES.result));
  return path.resolve(abs, '..', '..', '..', ...(inStudy ? ['..'] : []));
}
