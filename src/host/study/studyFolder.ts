// Reads a study folder (`runs/<experiment>/study-<timestamp>-<id>/`): its study.json, and where
// the experiment it was made from is now. No vscode import (unit-tested with real folders).
import fs from 'node:fs';
import path from 'node:path';
import { STUDY_FILES, STUDY_FOLDER_PREFIX, type StudyResult } from '../../core/study/studyTypes';

export function isStudyFolderName(name: string): boolean {
  return name.startsWith(STUDY_FOLDER_PREFIX);
}

function looksLikeResult(v: unknown): v is StudyResult {
  const r = v as Partial<StudyResult> | undefined;
  return typeof r === 'object' && r !== null && typeof r.name === 'string' && Array.isArray(r.variants)
    && r.variants.every((x) => typeof x === 'object' && x !== null && typeof x.variant?.id === 'string' && Array.isArray(x.runs) && typeof x.test === 'object');
}

/** study.json of the folder, or why it cannot be shown (missing while the study plans, half written, not a study). */
export function readStudyResult(studyDir: string): { result: StudyResult } | { problem: string } {
  const file = path.join(studyDir, STUDY_FILES.result);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { problem: `${STUDY_FILES.result} is not in ${studyDir} yet: the study writes it when its first run starts.` };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return looksLikeResult(parsed) ? { result: parsed } : { problem: `${file} is not a study result (no name or variants).` };
  } catch (err) {
    return { problem: `${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Where study.json's `studyFile` is now. Written relative to the study folder (it stays right
 * when the workspace moves); folders written before hold it absolute, or as the host gave it.
 */
export function recordedStudyFile(result: Pick<StudyResult, 'studyFile'>, studyDir: string): string {
  return path.resolve(studyDir, result.studyFile);
}

/**
 * The experiment file the study was made from, as it is now: `result.experiment` as given
 * (absolute), else relative to the study file's folder, else to each of `roots` (workspace folders).
 * Undefined when none exists.
 */
export function studyExperimentPath(result: Pick<StudyResult, 'experiment' | 'studyFile'>, roots: readonly string[], studyDir?: string): string | undefined {
  const e = result.experiment;
  const studyFile = path.isAbsolute(result.studyFile) ? result.studyFile : studyDir !== undefined ? recordedStudyFile(result, studyDir) : undefined;
  const candidates = path.isAbsolute(e) ? [e] : [
    ...(studyFile ? [path.resolve(path.dirname(studyFile), e)] : []),
    ...roots.flatMap((r) => [path.resolve(r, e), path.resolve(r, path.dirname(result.studyFile), e)]),
  ];
  return candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

/**
 * Study folders of this study file (under the experiment's runs folder) that did not complete,
 * newest first: "Run study" offers to resume the newest (its finished runs are kept).
 */
export function unfinishedStudies(experimentRuns: string, studyPath: string): Array<{ dir: string; result: StudyResult }> {
  let names: string[];
  try {
    names = fs.readdirSync(experimentRuns).filter(isStudyFolderName).sort().reverse();
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const dir = path.join(experimentRuns, name);
    const read = readStudyResult(dir);
    if (!('result' in read) || read.result.status === 'completed') return [];
    return sameStudyFile(read.result.studyFile, dir, studyPath) ? [{ dir, result: read.result }] : [];
  });
}

/**
 * Whether study.json's `studyFile` names `studyPath`: relative to the study folder (as written
 * now) or absolute (older folders). A recorded path that leads nowhere is a moved workspace (or
 * an older folder's path as the CLI was given it): the file's name decides, as the folder sits
 * under this experiment's runs.
 */
function sameStudyFile(recorded: string, studyDir: string, studyPath: string): boolean {
  const resolved = recordedStudyFile({ studyFile: recorded }, studyDir);
  if (resolved === path.resolve(studyPath)) return true;
  return !fs.existsSync(resolved) && path.basename(recorded) === path.basename(studyPath);
}
