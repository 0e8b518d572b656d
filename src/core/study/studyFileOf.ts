// The `*.mtl-study.json` that "Compare sharing strategies…" writes from the user's choices: one
// place that turns the picks into a StudySpec, so the command, its test and the file agree.
import type { WeightingSpec } from '../spec';
import type { StudyArchitecture, StudySpec } from './studyTypes';

export interface StudyChoices {
  singleTask: boolean;
  asDesigned: boolean;
  branchDepths: boolean;
  /** Weighting method ids to try on the designed network (their parameters at defaults). */
  weighting: string[];
  architectures: StudyArchitecture[];
  repeats: number;
}

export const DEFAULT_STUDY_REPEATS = 3;

export const ARCHITECTURE_LABELS: Record<StudyArchitecture, string> = {
  crossStitch: 'Cross-stitch units (soft sharing)',
  mmoe: 'Mixture of experts (MMoE)',
  ple: 'Progressive layered extraction (PLE)',
};

/** "digits-parity.mtl.json" -> "digits-parity.mtl-study.json" (beside it). */
export function studyFileName(experimentFile: string): string {
  return `${experimentFile.replace(/\.mtl\.json$/i, '').replace(/\.json$/i, '')}.mtl-study.json`;
}

export function studyFileOf(experimentName: string, experimentFile: string, c: StudyChoices): StudySpec {
  return {
    name: `${experimentName}: sharing strategies`,
    experiment: `./${experimentFile}`,
    repeats: c.repeats,
    variants: {
      singleTask: c.singleTask,
      asDesigned: c.asDesigned,
      branchDepths: c.branchDepths,
      ...(c.weighting.length ? { weighting: c.weighting.map((method) => ({ method }) as WeightingSpec) } : {}),
      ...(c.architectures.length ? { architectures: c.architectures } : {}),
    },
  };
}

/** The study "Try this grouping" writes: the experiment as designed against its tasks in `groups`, and the single-task models. */
export function groupingStudyOf(experimentName: string, experimentFile: string, groups: string[][]): StudySpec {
  return {
    name: `${experimentName}: as designed or grouped ${groups.map((g) => `{${g.join(', ')}}`).join(' ')}`,
    experiment: `./${experimentFile}`,
    repeats: DEFAULT_STUDY_REPEATS,
    variants: { singleTask: true, asDesigned: true, groupings: [groups] },
  };
}

/** Variants the choices make before branch depths are known (each depth is one more). */
export function countFixedVariants(c: StudyChoices): number {
  return (c.singleTask ? 1 : 0) + (c.asDesigned ? 1 : 0) + c.weighting.length + c.architectures.length;
}
