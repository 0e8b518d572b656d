// The study document (`*.mtl-study.json`) in the docSchema language: the single source of its
// structural check (located messages, structure.ts) and of schemas/study.schema.json (VS Code's
// completion and errors on hand edits). The types are StudySpec of studyTypes.ts.
import { anyOf, arr, bool, int, obj, oneOf, str, union, type ObjectSchema } from '../docSchema';
import { LIMITS } from '../experimentSchema';
import { toJson } from '../jsonSchema';
import { checkStructure } from '../structure';
import { isObject } from '../checkHelpers';
import type { Problem } from '../spec';
import { weightingVariants } from '../weighting/registry';
import type { StudyArchitecture, StudySpec } from './studyTypes';

/** Architectures by the name a study file gives them; a Record so a new member of the union must be described. */
export const STUDY_ARCHITECTURES: Record<StudyArchitecture, string> = {
  crossStitch: 'cross-stitch units (Misra et al. 2016): one column per task, mixed after every dense layer of the trunk',
  mmoe: 'multi-gate mixture of experts (Ma et al. 2018): 4 shared experts, one gate per task',
  ple: 'progressive layered extraction / CGC (Tang et al. 2020): 2 shared experts and 1 expert of each task, one level',
};


export const STUDY_SCHEMA: ObjectSchema = obj('A Multi-Task Studio study: variants of one experiment trained under the same repeats, compared with 95 % intervals.', {
  $schema: str('JSON Schema of this document.'),
  name: str('Name of the study (shown in its report).'),
  description: str('Free text.', false),
  experiment: str('The experiment (*.mtl.json) the variants are made from, relative to this file.'),
  repeats: int('Seeds per variant (default 3): repeat r trains with training.seed + r. Two or more give an interval.', { min: 1, max: LIMITS.repeats }),
  crossValidation: obj('k-fold cross-validation in place of the experiment\'s fixed split (as evaluation.crossValidation).', {
    folds: int('Number of folds.', { min: 2, max: LIMITS.folds }),
    test: oneOf(['fixed', 'nested'], '"fixed": the experiment\'s test split is kept and the rest folded (default); "nested": each fold is the test set once.'),
  }, ['folds']),
  variants: obj('Which variants to train. Δm of every variant is measured against the single-task models of the same seed.', {
    singleTask: bool('One model per task, nothing shared (default true). They are the as-designed runs\' single-task baselines.'),
    asDesigned: bool('The experiment as designed (default true). It is trained in any case: its single-task baselines are what every Δm is measured against.'),
    branchDepths: anyOf('true, false or a list of depths', 'Hard sharing split after each trunk depth ("where to branch"): true for every depth, or the depths listed (1 = only the first layer with weights shared).', [
      bool('Every depth between none and the designed trunk.'),
      arr(int('A trunk depth.', { min: 1, max: 1_000 }), 'The depths to try.', { minItems: 1, uniqueItems: true }),
    ]),
    weighting: arr(union('method', 'weighting method', 'A task weighting to try on the designed network.', weightingVariants()), 'Each weighting method to try on the designed network.', { itemNoun: 'Weighting' }),
    architectures: arr(oneOf(Object.keys(STUDY_ARCHITECTURES), Object.entries(STUDY_ARCHITECTURES).map(([k, v]) => `"${k}": ${v}`).join('; ')),
      'Each sharing architecture to try in place of the designed trunk (its dense layers).', { uniqueItems: true }),
    groupings: arr(arr(arr(str('A task id.'), 'A group: tasks that share a trunk.', { minItems: 1 }), 'A grouping: every task in exactly one group.', { minItems: 2 }),
      'Each grouping of the tasks to try: the tasks of a group share a trunk, each group has its own (as "Try this grouping" of the task affinity writes it).'),
  }),
}, ['name', 'experiment', 'variants'], { name: '${1:study}', experiment: '${2:experiment.mtl.json}', repeats: 3, variants: { branchDepths: true, weighting: [{ method: 'pcgrad' }], architectures: ['mmoe'] } });

/** The complete JSON Schema document of `*.mtl-study.json` (schemas/study.schema.json). */
export function studyJsonSchema(): Record<string, unknown> {
  return { $schema: 'http://json-schema.org/draft-07/schema#', title: 'Multi-Task Studio study', ...toJson(STUDY_SCHEMA) };
}

export interface StudyValidation {
  /** Present when there is no error. */
  spec?: StudySpec;
  problems: Problem[];
}

/** The study document's problems, each at its JSON path ("variants.branchDepths[1]"). */
export function checkStudy(doc: unknown): StudyValidation {
  const problems = checkStructure(doc, STUDY_SCHEMA);
  if (!isObject(doc)) return { problems };
  const variants = isObject(doc.variants) ? doc.variants : undefined;
  if (variants && variants.singleTask === false && variants.asDesigned === false
    && !variants.branchDepths && !(Array.isArray(variants.weighting) && variants.weighting.length)
    && !(Array.isArray(variants.architectures) && variants.architectures.length)
    && !(Array.isArray(variants.groupings) && variants.groupings.length)) {
    problems.push({ path: ['variants'], severity: 'error', message: 'The study names no variant to train: set asDesigned, branchDepths, weighting, architectures or groupings.' });
  }
  return problems.some((p) => p.severity === 'error') ? { problems } : { spec: doc as unknown as StudySpec, problems };
}
