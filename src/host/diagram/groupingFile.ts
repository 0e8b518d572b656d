// "Try this grouping", the file part: the run's experiment (experiment.json: the network whose
// affinity was measured, defaults filled in) regrouped by core/taskGrouping and written as a
// new *.mtl.json beside the experiment file it came from (so its relative data paths still
// hold), under a name no existing file has. No vscode import (unit-tested with real folders).
import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentSpec } from '../../core/spec';
import { groupingStudyOf, studyFileName } from '../../core/study/studyFileOf';
import { freshFileName, groupedSpec, groupingFileName } from '../../core/taskGrouping';
import { validate } from '../../core/validate';
import { readRunExperiment } from '../runFolders';

/** Writes `name` in `dir`, or name-2, name-3… if taken ('wx': never over a file, even one that appeared since the name was chosen). */
function writeFresh(dir: string, name: string, text: string): string {
  const file = path.join(dir, freshFileName(name, (f) => fs.existsSync(path.join(dir, f))));
  fs.writeFileSync(file, text, { encoding: 'utf8', flag: 'wx' });
  return file;
}

/**
 * The paths written (the grouped experiment, and a study of the experiment file as designed
 * against that grouping when the experiment file exists), or why nothing was.
 */
export function writeGroupingFile(runDir: string, experimentFile: string, groups: string[][]): { file: string; study?: string } | { problem: string } {
  const read = readRunExperiment(runDir);
  if ('problem' in read) return read;
  const { doc } = read;
  const made = groupedSpec(doc as ExperimentSpec, groups);
  if ('error' in made) return { problem: made.error };
  const bad = validate(made.spec).problems.find((p) => p.severity === 'error');
  if (bad) return { problem: `The grouped experiment does not validate (${bad.path.join('.')}: ${bad.message}).` };
  const dir = path.dirname(experimentFile);
  const name = groupingFileName(path.basename(experimentFile), groups);
  const file = writeFresh(dir, name, `${JSON.stringify(made.spec, null, 2)}\n`);
  if (!fs.existsSync(experimentFile)) return { file };
  const study = groupingStudyOf((doc as ExperimentSpec).name, path.basename(experimentFile), groups);
  return { file, study: writeFresh(dir, studyFileName(name), `${JSON.stringify(study, null, 2)}\n`) };
}
