// `mts validate` peeks at the data to compare the model's inputs with the number of features
// per example, counted by the loaders a run uses (one-hot columns widen a csv, so a header is
// not enough). Kept cheap: generated sources are known from their settings (core validate
// checks them without this), inputs that pick their own `features` need no data, and a csv or
// jsonl is read once, parsed and encoded only (no split, imputation or preprocessing).
import { inputShapeProblems, knownFeatureShape } from '../core/dataShape';
import type { ExperimentSpec, Problem } from '../core/spec';
import { DataError } from './data/errors';
import type { DataFolders } from './data/confine';
import { loadDataset, prereadData } from './data/load';

/** Input shape problems a run would meet; a data file the run could not read is one too (at its path). */
export async function peekInputShapes(spec: ExperimentSpec, folders: DataFolders): Promise<Problem[]> {
  const { source } = spec.data;
  if (knownFeatureShape(source) !== undefined) return []; // core validate compared those already
  if (spec.model.inputs.every((input) => input.features !== undefined)) return [];
  try {
    return inputShapeProblems(spec, loadDataset(spec, await prereadData(spec, folders)).featureShape);
  } catch (err) {
    if (err instanceof DataError) return [{ path: err.path ?? ['data', 'source'], severity: 'error', message: err.message }];
    throw err;
  }
}
