// Writes study-report.md and its charts/ into the study folder, each file atomically (a Markdown
// preview open on the report while a study runs never reads half a file). charts/ is made in the
// study folder, never with it (a study folder removed from outside stays removed: runStudy.ts).
import path from 'node:path';
import { renderStudyReport, STUDY_CHARTS_DIR } from '../../core/study/studyReport';
import { STUDY_FILES, type StudyResult } from '../../core/study/studyTypes';
import { makeFolderIn, writeFileAtomic } from '../artifacts/atomicWrite';

export async function writeStudyReport(studyDir: string, result: StudyResult): Promise<void> {
  const { markdown, charts } = renderStudyReport(result);
  await makeFolderIn(studyDir, STUDY_CHARTS_DIR);
  for (const c of charts) await writeFileAtomic(path.join(studyDir, c.file), c.svg);
  await writeFileAtomic(path.join(studyDir, STUDY_FILES.report), markdown);
}
