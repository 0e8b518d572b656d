// "Try this grouping", the file part: the run's experiment (experiment.json: the network whose
// affinity was measured, defaults filled in) regrouped by core/taskGrouping and written as a
// new *.mtl.json beside the experiment file it came from (so its relative data paths still
// hold), under a name no existing file has. No vscode import (unit-tested with real folders).
import fs from 'node:fs';
import path from 'node:path';
import { RUN_FILES } from '../../core/runLayout';
import type { ExperimentSpec } from '../../core/spec';
import { freshFileName, groupedSpec, groupingFileName } from '../../core/taskGrouping';
import { validate } from '../../core/validate';

/** The path written, or why nothing was. */
export function writeGroupingFile(runDir: string, experimentFile: string, groups: string[][]): { file: string } | { problem: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(path.join(runDir, RUN_FILES.experiment), 'utf8'));
  } catch {
    return { problem: `This run folder has no readable ${RUN_FILES.experiment}.` };
  }
  const made = groupedSpec(doc as ExperimentSpec, groups);
  if ('error' in made) return { problem: made.error };
  const bad = validate(made.spec).problems.find((p) => p.severity === 'error');
  if (bad) return { problem: `The grouped experiment does not validate (${bad.path.join('.')}: ${bad.message}).` };
  const dir = path.dirname(experimentFile);
  const name = freshFileName(groupingFileName(path.basename(experimentFile), groups), (f) => fs.existsSync(path.join(dir, f)));
  const file = path.join(dir, name);
  // 'wx': never over a file that appeared since the name was chosen.
  fs.writeFileSync(file, `${JSON.stringify(made.spec, null, 2)}\n`, { encoding: 'utf8', flag: 'wx' });
  return { file };
}
