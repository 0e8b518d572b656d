// `mts validate` against the data, with the rules a run applies, so that what `mts data` and
// `mts train` refuse it refuses too, at the same JSON path with the same message:
// 1. a header read (datasetColumns) gives the columns, which core validate checks every name
//    against (targets, stratifyBy, features, categorical, preprocess and inputs' columns);
// 2. only when that passes, a file source is loaded once through the run's own pipeline
//    (targets' classes, split, folds, imputation, preprocessing, int32 inputs), then the
//    inputs are compared with the count of features it gives (one-hot columns widen a csv).
// Generated sources are known from their settings: core validate checks them without data.
import type { MemoryBudget } from '../core/budget';
import { inputShapeProblems, knownFeatureShape } from '../core/dataShape';
import { withDefaults } from '../core/defaults';
import type { ExperimentSpec, Problem } from '../core/spec';
import { validate, type Validation } from '../core/validate';
import type { DataFolders } from './data/confine';
import { datasetColumns, type DataColumns } from './data/columns';
import { DataError } from './data/errors';
import { crossValidationPlans } from './data/folds';
import { loadStratified, prereadData, splitLoaded, trainingData } from './data/load';
import { countRows } from './data/rowCount';

export interface DataValidation extends Validation {
  /** Examples in the data, when counted (the memory estimate uses it). */
  rows?: number;
}

/** The experiment's problems, its data's included; a data file that cannot be read is one too (at its path). */
export async function validateWithData(doc: unknown, folders: DataFolders, budget?: MemoryBudget): Promise<DataValidation> {
  const first = validate(doc);
  if (!first.spec) return validate(doc, budget ? { budget } : {});
  const spec = first.spec;
  let columns: DataColumns;
  try {
    columns = datasetColumns(spec, folders.workspaceDir, folders.allowedRoots);
  } catch (err) {
    return { problems: [...first.problems, dataProblem(err)] };
  }
  const rows = countRows(spec, folders);
  const checked = validate(doc, { ...columns, ...(budget ? { budget } : {}), ...(rows !== undefined ? { rows } : {}) });
  const counted = rows !== undefined ? { rows } : {};
  if (!checked.spec) return { ...checked, ...counted };
  const problems = [...checked.problems, ...await loadedDataProblems(checked.spec, folders)];
  return problems.some((p) => p.severity === 'error') ? { problems, ...counted } : { spec: checked.spec, problems, ...counted };
}

/** What only the data's values show, found by the pipeline a run loads its data with. */
async function loadedDataProblems(doc: ExperimentSpec, folders: DataFolders): Promise<Problem[]> {
  if (knownFeatureShape(doc.data.source) !== undefined) return [];
  const spec = withDefaults(doc);
  try {
    const loaded = loadStratified(spec, await prereadData(spec, folders));
    const cv = spec.evaluation?.crossValidation;
    const plans = cv ? crossValidationPlans(spec.data.split, cv, loaded, cv.test === 'nested' ? undefined : splitLoaded(spec, loaded).parts) : [splitLoaded(spec, loaded)];
    // Listed images are not decoded here (that needs TensorFlow); their shape is known from the listing.
    if (!loaded.listedOnly) for (const plan of plans) trainingData(spec, plan, { consume: !cv });
    return inputShapeProblems(spec, loaded.all.featureShape);
  } catch (err) {
    return [dataProblem(err)];
  }
}

function dataProblem(err: unknown): Problem {
  if (err instanceof DataError) return { path: err.path ?? ['data', 'source'], severity: 'error', message: err.message };
  throw err;
}
